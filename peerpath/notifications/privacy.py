"""Her messages, her choices about them, the phones she allowed and whether her mobile number
is checked: exported; deleted at erasure (nothing more is sent to an erased person, and her
messages are of use to nobody)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from peerpath.core.privacy import PersonalData, register
from peerpath.notifications.models import (
    Notification,
    NotificationPreference,
    PhoneCheck,
    PushSubscription,
)

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _choices(user: User) -> dict[str, Any]:
    preference = NotificationPreference.objects.filter(user=user).first()
    if preference is None:
        return {"saved": False}
    return {
        "saved": True,
        "all_off": preference.all_off,
        "quiet_from": str(preference.quiet_start or ""),
        "quiet_until": str(preference.quiet_end or ""),
        "channels": preference.channels,
        "phones_and_computers_with_notifications": PushSubscription.objects.filter(
            user=user
        ).count(),
    }


def export(user: User) -> dict[str, Any]:
    return {
        "notifications": [
            {"when": _date(n.due_at), "what": n.get_purpose_display(), "read": _date(n.read_at)}
            for n in Notification.objects.filter(recipient=user).order_by("-due_at")[:500]
        ],
        "notification_choices": _choices(user),
        "mobile_number_checked_at": _date(
            PhoneCheck.objects.filter(user=user).values_list("verified_at", flat=True).first()
        ),
    }


def erase(*, actor: Actor, user: User, now: dt.datetime) -> None:
    PushSubscription.objects.filter(user=user).delete()
    PhoneCheck.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()  # and their deliveries


register(
    PersonalData(
        app="notifications",
        export=export,
        erase=erase,
        models=(
            "notifications.Notification",
            "notifications.NotificationPreference",
            "notifications.PushSubscription",
            "notifications.PhoneCheck",
        ),
    )
)
