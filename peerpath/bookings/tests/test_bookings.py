"""Places, the waiting list, offers that run out, and reminders, with a controlled clock."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.bookings.models import Booking, BookingStatus
from peerpath.bookings.services import (
    BookingError,
    booking_accept_offer,
    booking_cancel,
    booking_create,
)
from peerpath.core.actors import OPERATOR
from peerpath.directory.models import Location, Schedule, Service
from peerpath.directory.services import occurrences_expand
from peerpath.jobs.models import Job
from peerpath.jobs.services import job_run, jobs_claim
from peerpath.notifications.models import Notification

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # a Monday, GMT
LONDON = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def session(organisation):
    location = Location.objects.create(
        organisation=organisation, name="Hall", address="1 High St", area="Exeter"
    )
    service = Service.objects.create(
        organisation=organisation,
        name="Baby Massage",
        kind="activity_group",
        summary="Massage.",
        location=location,
        booking_required=True,
        capacity=2,
        last_checked_on=dt.date(2026, 11, 1),
    )
    schedule = Schedule.objects.create(
        service=service,
        first_starts_at=dt.datetime(2026, 11, 26, 13, 30, tzinfo=LONDON),
        rrule="FREQ=WEEKLY;BYDAY=TH",
    )
    occurrences_expand(actor=OPERATOR, schedule=schedule)
    return service.occurrences.order_by("starts_at").first()


def _mums(organisation, count):
    return [make_person(organisation, Role.MEMBER) for _ in range(count)]


def test_places_fill_up_then_people_join_the_waiting_list(organisation, session):
    first, second, third = _mums(organisation, 3)
    assert booking_create(actor=first, occurrence=session).status == BookingStatus.BOOKED
    assert booking_create(actor=second, occurrence=session).status == BookingStatus.BOOKED
    assert booking_create(actor=third, occurrence=session).status == BookingStatus.WAITING
    with pytest.raises(BookingError, match="already"):
        booking_create(actor=first, occurrence=session)


def test_a_booking_sets_reminders_the_evening_before_and_the_morning_of(organisation, session):
    (mum,) = _mums(organisation, 1)
    booking = booking_create(actor=mum, occurrence=session)
    due = sorted(Notification.objects.filter(recipient=mum).values_list("due_at", flat=True))
    assert due == [
        dt.datetime(2026, 11, 25, 18, 0, tzinfo=LONDON),
        dt.datetime(2026, 11, 26, 8, 0, tzinfo=LONDON),
    ]
    booking_cancel(actor=mum, booking=booking)
    statuses = set(
        Notification.objects.filter(recipient=mum).values_list("deliveries__status", flat=True)
    )
    assert statuses == {"skipped"}  # cancelled: the reminders will not be sent


def test_a_cancellation_offers_the_place_to_the_next_person_who_can_take_it(organisation, session):
    first, second, third = _mums(organisation, 3)
    booked = booking_create(actor=first, occurrence=session)
    booking_create(actor=second, occurrence=session)
    waiting = booking_create(actor=third, occurrence=session)
    booking_cancel(actor=first, booking=booked)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.OFFERED
    assert waiting.offered_until == NOW + dt.timedelta(hours=24)
    assert Notification.objects.filter(recipient=third, purpose="waiting_list_offer").exists()
    booking_accept_offer(actor=third, booking=waiting)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.BOOKED


def test_an_offer_that_runs_out_passes_to_the_next_person(organisation, session, clock):
    first, second, third, fourth = _mums(organisation, 4)
    booked = booking_create(actor=first, occurrence=session)
    booking_create(actor=second, occurrence=session)
    slow = booking_create(actor=third, occurrence=session)
    next_in_line = booking_create(actor=fourth, occurrence=session)
    booking_cancel(actor=first, booking=booked)
    clock.shift(dt.timedelta(hours=24, seconds=1))
    for job in jobs_claim(worker_id="w", limit=10, lease_seconds=60):
        job_run(job=job, worker_id="w")
    slow.refresh_from_db()
    next_in_line.refresh_from_db()
    assert slow.status == BookingStatus.EXPIRED
    assert next_in_line.status == BookingStatus.OFFERED
    with pytest.raises(BookingError, match="run out"):
        booking_accept_offer(actor=third, booking=slow)
    assert Job.objects.filter(task="bookings.expire_offer").count() == 2


def test_an_offer_running_out_and_the_next_offer_are_audited_as_the_worker(
    organisation, session, clock
):
    from peerpath.audit.models import AuditEvent
    from peerpath.core.actors import WORKER

    first, second, third, fourth = _mums(organisation, 4)
    booked = booking_create(actor=first, occurrence=session)
    booking_create(actor=second, occurrence=session)
    slow = booking_create(actor=third, occurrence=session)
    next_in_line = booking_create(actor=fourth, occurrence=session)
    booking_cancel(actor=first, booking=booked)
    offered = AuditEvent.objects.get(object_id=str(slow.public_id), detail__startswith="offered")
    assert (offered.actor, offered.fields) == (first, ["offered_until", "status"])

    clock.shift(dt.timedelta(hours=24, seconds=1))
    for job in jobs_claim(worker_id="w", limit=10, lease_seconds=60):
        job_run(job=job, worker_id="w")
    by_worker = AuditEvent.objects.filter(actor_label=WORKER.label, actor__isnull=True)
    assert set(by_worker.values_list("object_id", "detail")) == {
        (str(slow.public_id), "offer ran out"),
        (str(next_in_line.public_id), "offered from the waiting list"),
    }


def test_the_expiry_task_takes_an_id_and_does_nothing_for_a_booking_no_longer_offered(
    organisation, session
):
    from peerpath.bookings.tasks import expire_offer

    (mum,) = _mums(organisation, 1)
    booking = booking_create(actor=mum, occurrence=session)
    expire_offer(booking_id=booking.pk)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    expire_offer(booking_id=0)  # gone: nothing to do


def test_she_books_and_cancels_from_the_pages_and_nobody_else_can_cancel_hers(
    organisation, session
):
    mum, other = _mums(organisation, 2)
    client = Client()
    client.force_login(mum)
    client.post(reverse("bookings:booking_create", kwargs={"public_id": session.public_id}))
    booking = Booking.objects.get(member=mum)
    page = client.get(reverse("bookings:my_bookings")).content.decode()
    assert "Baby Massage" in page
    assert "Cancel my place" in page
    intruder = Client()
    intruder.force_login(other)
    response = intruder.post(
        reverse("bookings:booking_cancel", kwargs={"public_id": booking.public_id})
    )
    assert response.status_code == 404
    client.post(reverse("bookings:booking_cancel", kwargs={"public_id": booking.public_id}))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_a_cancelled_session_offers_no_places_and_says_so(organisation, session):
    from peerpath.directory.services import occurrence_cancel

    first, second, third = _mums(organisation, 3)
    booked = booking_create(actor=first, occurrence=session)
    booking_create(actor=second, occurrence=session)
    waiting = booking_create(actor=third, occurrence=session)
    occurrence_cancel(actor=OPERATOR, occurrence=session, note="The hall is flooded.")
    booking_cancel(actor=first, booking=booked)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.WAITING  # nobody is offered a place that is not there
    client = Client()
    client.force_login(second)
    page = client.get(reverse("bookings:my_bookings")).content.decode()
    assert "Cancelled by the group" in page
    assert "The hall is flooded." in page
    assert "Remove it from this list" in page
    assert "Cancel my place" not in page


def test_an_offer_cannot_be_taken_once_the_session_is_cancelled(organisation, session):
    from peerpath.directory.services import occurrence_cancel

    first, second, third = _mums(organisation, 3)
    booked = booking_create(actor=first, occurrence=session)
    booking_create(actor=second, occurrence=session)
    offered = booking_create(actor=third, occurrence=session)
    booking_cancel(actor=first, booking=booked)
    offered.refresh_from_db()
    assert offered.status == BookingStatus.OFFERED
    occurrence_cancel(actor=OPERATOR, occurrence=session)
    with pytest.raises(BookingError, match="cancelled"):
        booking_accept_offer(actor=third, booking=offered)
