"""What the directory tells people about (registered with peerpath.notifications; discovered)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerpath.notifications.purposes import Channel, Purpose, register_purpose

# A saved search found something new ("Tell me when something starts").
NEW_GROUP = register_purpose(
    Purpose(
        key="new_group",
        label=_("New groups that match what you are looking for"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
        inbox_template="directory/notifications/new_group/inbox.jinja",
        email_templates="directory/notifications/new_group",
    )
)
