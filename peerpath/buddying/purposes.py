"""What one-to-one support tells people about (registered with peerpath.notifications). The
words on a lock screen stay bland: a partner may read the phone."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerpath.notifications.purposes import Channel, Purpose, register_purpose

SUPPORT_ASKED = register_purpose(
    Purpose(
        key="support_asked",
        label=_("Someone asks for a peer supporter (coordinators)"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
    )
)
SUPPORT_PROPOSED = register_purpose(
    Purpose(
        key="support_proposed",
        label=_("A coordinator asks you to support someone (peer supporters)"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
    )
)
SUPPORT_ANSWERED = register_purpose(
    Purpose(
        key="support_answered",
        label=_("A peer supporter answers your proposal (coordinators)"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
    )
)
SUPPORTER_FOUND = register_purpose(
    Purpose(
        key="supporter_found",
        label=_("News about the peer supporter you asked for"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
    )
)
MATCH_ENDED = register_purpose(
    Purpose(
        key="match_ended",
        label=_("A match of yours ends (peer supporters)"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
    )
)
# The step she planned, at the time she chose (quiet hours apply). The words stay in PeerPath.
STEP_REMINDER = register_purpose(
    Purpose(
        key="step_reminder",
        label=_("Reminders of the steps you planned with your peer supporter"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
    )
)
# Nothing logged for a while against the rhythm they agreed: the supporter, then the
# coordinator.
CONTACT_OVERDUE = register_purpose(
    Purpose(
        key="contact_overdue",
        label=_("A contact with someone you support is due (peer supporters, coordinators)"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
    )
)
# Her support ended as planned: the goodbye and what comes next.
SUPPORT_ENDED = register_purpose(
    Purpose(
        key="support_ended",
        label=_("When your time with a peer supporter ends"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
    )
)
