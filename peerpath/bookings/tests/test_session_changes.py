"""When a session or its listing changes, the people booked or waiting hear about it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.bookings.models import BookingStatus
from peerpath.bookings.services import booking_create
from peerpath.core.actors import OPERATOR
from peerpath.directory.models import Location, Schedule, Service
from peerpath.directory.services import (
    location_update,
    occurrence_move,
    occurrences_expand,
    service_update,
)
from peerpath.notifications.dispatch import deliveries_dispatch
from peerpath.notifications.models import Delivery, DeliveryStatus, Notification

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # a Monday, GMT
LONDON = timezone.get_default_timezone()


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def course(organisation, clock):
    location = Location.objects.create(
        organisation=organisation, name="Hall", address="1 High St", area="Exeter"
    )
    service = Service.objects.create(
        organisation=organisation,
        name="Course",
        kind="activity_group",
        summary="A course.",
        location=location,
        booking_required=True,
        capacity=1,
        last_checked_on=dt.date(2026, 11, 1),
    )
    schedule = Schedule.objects.create(
        service=service,
        first_starts_at=dt.datetime(2026, 11, 24, 10, 0, tzinfo=LONDON),
        rrule="FREQ=WEEKLY;BYDAY=TU",
    )
    occurrences_expand(actor=OPERATOR, schedule=schedule)
    return service


def _changes(user):
    return list(
        Notification.objects.filter(recipient=user, purpose="session_changed").values_list(
            "context__change", flat=True
        )
    )


def _reminder_times(user):
    return sorted(
        timezone.localtime(n.due_at)
        for n in Notification.objects.filter(recipient=user, purpose="session_reminder").exclude(
            deliveries__status=DeliveryStatus.SKIPPED
        )
    )


def test_a_move_after_the_evening_reminder_was_sent_still_reminds_her_for_the_new_day(
    organisation, course, clock, coordinator
):
    mum = make_person(organisation, Role.MEMBER)
    session = course.occurrences.earliest("starts_at")  # Tuesday 24th, 10am
    booking_create(actor=mum, occurrence=session)
    clock.move_to(dt.datetime(2026, 11, 23, 18, 5, tzinfo=dt.UTC))
    deliveries_dispatch(worker_id="test", limit=100, lease_seconds=60)
    assert Delivery.objects.filter(
        notification__recipient=mum, status=DeliveryStatus.SENT
    ).exists()  # the evening reminder went

    occurrence_move(
        occurrence=session,
        starts_at=dt.datetime(2026, 11, 26, 10, 0, tzinfo=LONDON),
        actor=coordinator,
    )
    assert _changes(mum) == ["moved"]
    assert _reminder_times(mum)[-2:] == [
        dt.datetime(2026, 11, 25, 18, 0, tzinfo=LONDON),
        dt.datetime(2026, 11, 26, 8, 0, tzinfo=LONDON),
    ]
    # The morning reminder for the old day will not be sent.
    old_morning = Notification.objects.get(
        recipient=mum, due_at=dt.datetime(2026, 11, 24, 8, 0, tzinfo=LONDON)
    )
    assert set(old_morning.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SKIPPED}


def test_more_places_are_offered_to_people_waiting(organisation, course, coordinator):
    first, second, third = (make_person(organisation, Role.MEMBER) for _ in range(3))
    session = course.occurrences.earliest("starts_at")
    booking_create(actor=first, occurrence=session)
    waiting = [booking_create(actor=m, occurrence=session) for m in (second, third)]
    assert {b.status for b in waiting} == {BookingStatus.WAITING}

    service_update(actor=coordinator, service=course, capacity=2)
    statuses = [type(b).objects.get(pk=b.pk).status for b in waiting]
    assert statuses == [BookingStatus.OFFERED, BookingStatus.WAITING]  # first come first


def test_when_booking_is_no_longer_needed_people_waiting_are_told_to_just_turn_up(
    organisation, course, coordinator
):
    first, second = (make_person(organisation, Role.MEMBER) for _ in range(2))
    session = course.occurrences.earliest("starts_at")
    booking_create(actor=first, occurrence=session)
    waiting = booking_create(actor=second, occurrence=session)

    service_update(actor=coordinator, service=course, booking_required=False, capacity=None)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.BOOKED
    assert _changes(second) == ["just_turn_up"]
    assert _changes(first) == []


def test_a_new_address_is_sent_to_people_booked_at_future_sessions(
    organisation, course, coordinator
):
    mum = make_person(organisation, Role.MEMBER)
    booking_create(actor=mum, occurrence=course.occurrences.earliest("starts_at"))
    location_update(actor=coordinator, location=course.location, area="Exeter")  # no change
    assert _changes(mum) == []
    location_update(actor=coordinator, location=course.location, address="2 Low St")
    assert _changes(mum) == ["place"]
    message = Notification.objects.get(recipient=mum, purpose="session_changed")
    assert "sms" in set(message.deliveries.values_list("channel", flat=True))


def _texts(user):
    return Delivery.objects.filter(
        notification__recipient=user, notification__purpose="session_changed", channel="sms"
    )


def test_an_afternoon_of_edits_to_a_booked_session_sends_one_message_per_person(
    organisation, course, clock, coordinator
):
    from peerpath.directory.services import occurrence_cancel

    mum = make_person(organisation, Role.MEMBER, phone="+447700900123")
    session = course.occurrences.earliest("starts_at")  # Tuesday 24th, 10am
    booking_create(actor=mum, occurrence=session)

    # Four edits in five minutes: the place twice, the time twice.
    location_update(actor=coordinator, location=course.location, address="2 Low St")
    clock.shift(dt.timedelta(minutes=1))
    occurrence_move(
        occurrence=session,
        starts_at=dt.datetime(2026, 11, 24, 11, 0, tzinfo=LONDON),
        actor=coordinator,
    )
    clock.shift(dt.timedelta(minutes=2))
    location_update(actor=coordinator, location=course.location, directions="Side door")
    clock.shift(dt.timedelta(minutes=2))
    occurrence_move(
        occurrence=session,
        starts_at=dt.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON),
        actor=coordinator,
    )

    (message,) = Notification.objects.filter(recipient=mum, purpose="session_changed")
    assert message.context["changes"] == ["place", "moved"]
    assert _texts(mum).count() == 1
    assert deliveries_dispatch(worker_id="test", limit=100, lease_seconds=60) == 0  # not yet due

    # Ten minutes after the first edit the one message goes, once, through each channel.
    clock.shift(dt.timedelta(minutes=6))
    deliveries_dispatch(worker_id="test", limit=100, lease_seconds=60)
    assert set(_texts(mum).values_list("status", flat=True)) == {DeliveryStatus.SENT}

    # A change after that is news: a new message. A cancellation goes at once and replaces
    # whatever was still gathering.
    location_update(actor=coordinator, location=course.location, directions="Front door")
    occurrence_cancel(occurrence=session, note="Hall flooded", actor=coordinator)
    messages = Notification.objects.filter(recipient=mum, purpose="session_changed")
    assert messages.count() == 3
    gathering = (
        messages.filter(context__change="place", deliveries__status=DeliveryStatus.SKIPPED)
        .distinct()
        .get()
    )
    assert gathering.context["changes"] == ["place"]
    cancelled = messages.get(context__change="cancelled")
    assert cancelled.due_at <= timezone.now()
    assert _texts(mum).filter(status=DeliveryStatus.PENDING).count() == 1
