"""Work the worker does for bookings: thin wrappers that fetch by id and call a service."""

from __future__ import annotations

from peerpath.bookings.models import Booking
from peerpath.bookings.services import booking_expire_offer
from peerpath.core.actors import WORKER
from peerpath.jobs.registry import task


@task("bookings.expire_offer")
def expire_offer(*, booking_id: int) -> None:
    """An offered place ran out (queued by ``offer_next_place`` for when it runs out)."""
    booking = Booking.objects.select_related("occurrence__service").filter(pk=booking_id).first()
    if booking is None:
        return  # nothing left to run out
    booking_expire_offer(actor=WORKER, booking=booking)
