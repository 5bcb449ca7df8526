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
