"""A booking is hers alone; sessions are public."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from peerpath.accounts.models import User
from peerpath.bookings.models import Booking
from peerpath.directory.models import Occurrence

if TYPE_CHECKING:
    from peerpath.accounts.access import AnyUser


def own_bookings(user: AnyUser) -> QuerySet[Booking]:
    if not isinstance(user, User):
        raise Http404
    return Booking.objects.filter(member=user).select_related("occurrence__service__location")


def get_own_booking(user: AnyUser, public_id: str) -> Booking:
    booking: Booking = get_object_or_404(own_bookings(user), public_id=public_id)
    return booking


def get_bookable_occurrence(public_id: str) -> Occurrence:
    occurrence: Occurrence = get_object_or_404(
        Occurrence.objects.select_related("service"),
        public_id=public_id,
        service__is_active=True,
        service__booking_required=True,
    )
    return occurrence
