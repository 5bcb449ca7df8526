"""Her private calendar feed: the sessions she has a place at, for her phone's calendar.

Built the same way as a listing's ICS file (``peerpath.directory.calendar``): one event per
session, with where it is, how to join and the listing's address. Calendar apps fetch the
feed every few hours, so a cancelled session shows as cancelled and a moved one moves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from icalendar import Event

from peerpath.bookings.models import Booking, BookingStatus
from peerpath.core import clock
from peerpath.directory.calendar import new_calendar
from peerpath.directory.models import Service


def _where(service: Service) -> str:
    if service.location is not None:
        return f"{service.location.name}, {service.location.address}"
    return _("Online")


def _description(booking: Booking, listing: str, bookings_url: str) -> str:
    service = booking.occurrence.service
    lines = [service.summary]
    if booking.status == BookingStatus.OFFERED:
        lines.append(
            _("You have been offered a place. Say yes here: %(url)s") % {"url": bookings_url}
        )
    if booking.occurrence.note:
        lines.append(booking.occurrence.note)
    if service.how_to_join:
        lines.append(_("How to join: %(how)s") % {"how": service.how_to_join})
    lines.append(listing)
    return "\n".join(lines)


def bookings_calendar(
    bookings: Iterable[Booking], *, listing_url: Callable[[Service], str], bookings_url: str
) -> bytes:
    """An iCalendar feed of her bookings. Offered places are tentative until she says yes."""
    calendar = new_calendar("Your bookings", _("Your sessions"), feed=True)
    for booking in bookings:
        occurrence = booking.occurrence
        service = occurrence.service
        listing = listing_url(service)
        event = Event()
        event.add("uid", f"booking-{booking.public_id}@peerpath")
        event.add("dtstamp", clock.now())
        event.add("last-modified", max(occurrence.updated_at, booking.updated_at))
        event.add("dtstart", occurrence.starts_at)
        event.add("dtend", occurrence.ends_at)
        event.add("summary", service.name)
        event.add("location", _where(service))
        event.add("description", _description(booking, listing, bookings_url))
        event.add("url", listing)
        if occurrence.cancelled:
            event.add("status", "CANCELLED")
        elif booking.status == BookingStatus.OFFERED:
            event.add("status", "TENTATIVE")
        else:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
