"""Reading bookings for pages that have already checked who may see them (``access.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, QuerySet

from peerpath.bookings.models import OPEN_STATUSES, Booking, BookingStatus, CalendarFeed
from peerpath.core import clock
from peerpath.directory.models import Occurrence, Service

CALENDAR_DAYS_BACK = 30


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


def calendar_feed_bookings(feed: CalendarFeed) -> QuerySet[Booking]:
    """Her places and offered places, from 30 days ago onwards, for her calendar (the feed
    comes from ``access.get_calendar_feed_for_token``)."""
    return (
        Booking.objects.filter(
            member=feed.user,
            status__in=(BookingStatus.BOOKED, BookingStatus.OFFERED),
            occurrence__starts_at__gte=clock.now() - dt.timedelta(days=CALENDAR_DAYS_BACK),
        )
        .select_related("occurrence__service__location")
        .order_by("occurrence__starts_at", "pk")
    )


def people_booked(sessions: Sequence[Occurrence]) -> dict[int, int]:
    """{session pk: how many people hold a place}, for sessions anyone has booked."""
    rows = (
        Booking.objects.filter(occurrence__in=list(sessions), status=BookingStatus.BOOKED)
        .values("occurrence")
        .annotate(people=Count("pk"))
        .values_list("occurrence", "people")
    )
    return dict(rows)


def people_booked_ahead(service: Service) -> int:
    """How many people hold or wait for a place at the listing's future sessions."""
    return (
        Booking.objects.filter(
            occurrence__service=service,
            occurrence__starts_at__gt=clock.now(),
            occurrence__cancelled=False,
            status__in=OPEN_STATUSES,
        )
        .values("member")
        .distinct()
        .count()
    )


def future_sessions_with_people(services: list[Service]) -> QuerySet[Occurrence]:
    """The listings' future sessions that someone holds or waits for a place at."""
    return (
        Occurrence.objects.filter(
            service__in=services,
            starts_at__gt=clock.now(),
            cancelled=False,
            bookings__status__in=OPEN_STATUSES,
        )
        .distinct()
        .select_related("service__organisation")
    )
