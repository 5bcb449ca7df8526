"""What supervision tells people about (registered with peerpath.notifications; discovered)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerpath.notifications.purposes import Channel, Purpose, register_purpose

# Her coordinators and safeguarding leads: a peer supporter said she is struggling, or would
# like to talk. The words say no more than that; her answer shows after sign-in.
SUPPORTER_WANTS_TO_TALK = register_purpose(
    Purpose(
        key="supporter_wants_to_talk",
        label=_("A peer supporter would like a word with you (coordinators)"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
    )
)
