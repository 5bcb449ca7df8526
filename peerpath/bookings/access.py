"""A booking is hers alone; sessions are public."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from peerpath.accounts.access import can_keep_register
from peerpath.accounts.choices import Role
from peerpath.accounts.models import User
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.bookings.models import Booking, BookingStatus, CalendarFeed
from peerpath.core import clock
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


def get_register_occurrence(user: AnyUser, public_id: str) -> Occurrence:
    """A session whose register she may keep; 404 for anyone else."""
    occurrence: Occurrence = get_object_or_404(
        Occurrence.objects.select_related("service__organisation", "service__location"),
        public_id=public_id,
    )
    if not can_keep_register(user, occurrence.service):
        raise Http404
    return occurrence


def register_bookings(user: AnyUser, occurrence: Occurrence) -> list[Booking]:
    """Who has a place at a session she keeps the register of. The read is audited: being
    on a perinatal support group's register says something about a person's health."""
    if not can_keep_register(user, occurrence.service):
        raise Http404
    bookings = list(
        Booking.objects.filter(occurrence=occurrence, status=BookingStatus.BOOKED)
        .select_related("member")
        .order_by("member__display_name", "pk")
    )
    audit_record(
        actor=user if isinstance(user, User) else None,
        action=Action.READ,
        obj=occurrence,
        organisation=occurrence.service.organisation,
        detail="register",
    )
    return bookings


def register_waiting(user: AnyUser, occurrence: Occurrence) -> list[Booking]:
    """Who is waiting for a place, or has been offered one, in the order they joined."""
    if not can_keep_register(user, occurrence.service):
        raise Http404
    return list(
        Booking.objects.filter(
            occurrence=occurrence, status__in=[BookingStatus.WAITING, BookingStatus.OFFERED]
        )
        .select_related("member")
        .order_by("created_at", "pk")
    )


def returning_member_ids(occurrence: Occurrence, bookings: list[Booking]) -> set[int]:
    """Of these people, those who came to an earlier session of the same group."""
    return set(
        Booking.objects.filter(
            occurrence__service_id=occurrence.service_id,
            occurrence__starts_at__lt=occurrence.starts_at,
            member_id__in=[booking.member_id for booking in bookings],
            attended=True,
        ).values_list("member_id", flat=True)
    )


CALENDAR_DAYS_BACK = 30


def get_own_calendar_feed(user: AnyUser) -> CalendarFeed | None:
    """Her private calendar address, if she has made one."""
    if not isinstance(user, User):
        raise Http404
    return CalendarFeed.objects.filter(user=user).first()


def get_calendar_feed_for_token(token: str) -> CalendarFeed:
    """The feed a secret address belongs to; 404 for an unknown or replaced address."""
    from peerpath.bookings.services import calendar_token_hash

    feed: CalendarFeed = get_object_or_404(
        CalendarFeed.objects.select_related("user"),
        token_hash=calendar_token_hash(token),
        user__is_active=True,
    )
    return feed


def calendar_feed_bookings(feed: CalendarFeed) -> QuerySet[Booking]:
    """Her places and offered places, from 30 days ago onwards, for her calendar."""
    return (
        Booking.objects.filter(
            member=feed.user,
            status__in=(BookingStatus.BOOKED, BookingStatus.OFFERED),
            occurrence__starts_at__gte=clock.now() - dt.timedelta(days=CALENDAR_DAYS_BACK),
        )
        .select_related("occurrence__service__location")
        .order_by("occurrence__starts_at", "pk")
    )


def facilitated_sessions(user: AnyUser, *, days_ahead: int = 7) -> list[Occurrence]:
    """Sessions of the groups she runs, from yesterday to a week ahead, for their registers."""
    if not isinstance(user, User):
        return []
    from peerpath.accounts.access import roles_by_organisation

    now = clock.now()
    current = [
        organisation_id
        for organisation_id, roles in roles_by_organisation(user).items()
        if Role.PEER_SUPPORTER in roles
    ]
    return list(
        Occurrence.objects.filter(
            service__facilitators=user,
            service__organisation_id__in=current,
            service__is_active=True,
            starts_at__gte=now - dt.timedelta(days=1),
            starts_at__lt=now + dt.timedelta(days=days_ahead),
        )
        .select_related("service")
        .order_by("starts_at")[:30]
    )
