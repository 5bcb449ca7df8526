"""A booking is hers alone; sessions are public; a session's register is for the charity's
coordinators and admins and the group's facilitators."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from peerpath.accounts.access import roles_by_organisation, roles_in
from peerpath.accounts.choices import Role
from peerpath.accounts.models import User
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.bookings.models import Booking, BookingStatus, CalendarFeed
from peerpath.core import clock
from peerpath.directory.models import Occurrence

if TYPE_CHECKING:
    from peerpath.accounts.access import AnyUser
    from peerpath.directory.models import Service


def can_keep_register(user: AnyUser, service: Service) -> bool:
    """A session's register: the charity's coordinators and admins, and the peer supporters
    named as the group's facilitators."""
    if not user.is_authenticated:
        return False
    roles = roles_in(user, service.organisation_id)
    if roles & {Role.COORDINATOR, Role.ORG_ADMIN}:
        return True
    return Role.PEER_SUPPORTER in roles and service.facilitators.filter(pk=user.pk).exists()


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
    if not isinstance(user, User) or not can_keep_register(user, occurrence.service):
        raise Http404
    bookings = list(
        Booking.objects.filter(occurrence=occurrence, status=BookingStatus.BOOKED)
        .select_related("member")
        .order_by("member__display_name", "pk")
    )
    audit_record(
        actor=user,
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


def facilitated_sessions(user: AnyUser, *, days_ahead: int = 7) -> list[Occurrence]:
    """Sessions of the groups she runs, from yesterday to a week ahead, for their registers."""
    if not isinstance(user, User):
        return []
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
