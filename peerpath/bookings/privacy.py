"""Her bookings and her private calendar address: exported (the address itself is not, only
whether she has one); at erasure her coming places go to the next person waiting and the
address stops working."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from peerpath.bookings.models import OPEN_STATUSES, Booking, CalendarFeed
from peerpath.bookings.services import booking_cancel, calendar_feed_delete
from peerpath.core.privacy import PersonalData, register

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def export(user: User) -> dict[str, Any]:
    return {
        "bookings": [
            {
                "session": booking.occurrence.service.name,
                "when": _date(booking.occurrence.starts_at),
                "status": booking.get_status_display(),
                "came": booking.attended,
                "first_visit": booking.first_visit,
                "booked": _date(booking.created_at),
            }
            for booking in Booking.objects.filter(member=user)
            .select_related("occurrence__service")
            .order_by("-occurrence__starts_at")[:500]
        ],
        "private_calendar_address": CalendarFeed.objects.filter(user=user).exists(),
    }


def erase(*, actor: Actor, user: User, now: dt.datetime) -> None:
    for booking in Booking.objects.filter(
        member=user, status__in=OPEN_STATUSES, occurrence__starts_at__gt=now
    ).select_related("occurrence__service"):
        booking_cancel(actor=actor, booking=booking)
    calendar_feed_delete(actor=actor, user=user)


register(
    PersonalData(
        app="bookings",
        export=export,
        erase=erase,
        models=("bookings.CalendarFeed",),
        kept={
            "bookings.Booking": "past and cancelled bookings stay for the charity's attendance "
            "numbers; they point at the anonymised account and hold nothing else about her",
        },
    )
)
