"""What bookings tell people about (registered with peerpath.notifications; discovered)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerpath.notifications.purposes import Channel, Purpose, register_purpose

SESSION_REMINDER = register_purpose(
    Purpose(
        key="session_reminder",
        label=_("Reminders about groups and sessions you booked"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
        email_templates="bookings/notifications/session_reminder",
    )
)
# A cancelled or moved session she has booked: she may be about to travel with a baby.
SESSION_CHANGED = register_purpose(
    Purpose(
        key="session_changed",
        label=_("Changes to groups and sessions you booked"),
        default_channels=(Channel.IN_APP, Channel.EMAIL, Channel.SMS),
        inbox_template="bookings/notifications/session_changed/inbox.jinja",
        email_templates="bookings/notifications/session_changed",
    )
)
WAITING_LIST_OFFER = register_purpose(
    Purpose(
        key="waiting_list_offer",
        label=_("A place comes up from a waiting list"),
        default_channels=(Channel.IN_APP, Channel.EMAIL, Channel.SMS),
    )
)
