"""What check-ins tell people about (registered with peerpath.notifications; discovered)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerpath.notifications.purposes import Channel, Purpose, register_purpose

# Her own rhythm. The words never say "check-in" where a lock screen shows them: a partner
# may read the phone, and a check-in is about her mental health.
CHECKIN_REMINDER = register_purpose(
    Purpose(
        key="checkin_reminder",
        label=_("Reminders to check in, on the rhythm you chose"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
        email_templates="checkins/notifications/checkin_reminder",
    )
)
# A member chose to show her results to this peer supporter or coordinator.
RESULTS_SHARED = register_purpose(
    Purpose(
        key="checkin_results_shared",
        label=_("A member shares her check-in results with you (peer supporters, coordinators)"),
        default_channels=(Channel.IN_APP, Channel.EMAIL),
    )
)
