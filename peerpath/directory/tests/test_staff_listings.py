"""Coordinators and admins manage their charity's listings, places, times and sessions, and
see where and when there is nothing on."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.audit.models import AuditEvent
from peerpath.bookings.models import Booking, BookingStatus
from peerpath.bookings.services import booking_create
from peerpath.core.actors import OPERATOR
from peerpath.directory import alerts
from peerpath.directory.access import can_manage_listings
from peerpath.directory.choices import ForWhom, Kind
from peerpath.directory.gaps import gaps_find
from peerpath.directory.models import Location, Occurrence, Schedule, Service
from peerpath.directory.recurrence import Recurrence, rule_for
from peerpath.directory.services import (
    location_create,
    occurrence_cancel,
    occurrence_move,
    schedule_create,
    schedule_end,
    schedule_starts,
    service_create,
    service_deactivate,
    service_update,
)
from peerpath.directory.staff_forms import describe_schedule
from peerpath.jobs.models import Job
from peerpath.notifications.models import Delivery, DeliveryStatus, Notification

pytestmark = pytest.mark.django_db
# Monday 2 March 2026, 09:00 in London (GMT).
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LONDON = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), LONDON)


def _listing(organisation, actor=OPERATOR, *, name="Tuesday group", area="Exeter", **values):
    place = location_create(
        actor=actor,
        organisation=organisation,
        name=f"{area} hall",
        address="1 High Street",
        area=area,
    )
    fields = {
        "kind": Kind.PEER_GROUP,
        "summary": "A friendly group.",
        "for_whom": [ForWhom.BABY_0_12],
        "location": place,
        "last_checked_on": dt.date(2026, 2, 1),
        **values,
    }
    return service_create(actor=actor, organisation=organisation, name=name, **fields)


def _weekly(service, actor=OPERATOR, *, day=dt.date(2026, 3, 3), hour=10, rule="weekly"):
    return schedule_create(
        actor=actor,
        service=service,
        first_starts_at=_local(day, hour),
        duration_minutes=90,
        recurrence=Recurrence.from_first_date(rule, day),
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name, organisation, **kwargs) -> str:
    return reverse(f"directory:{name}", kwargs={"slug": organisation.slug, **kwargs})


# Who may -------------------------------------------------------------------------------------


def test_only_the_charitys_coordinators_and_admins_may_manage_its_listings(organisation, personas):
    allowed = {
        name
        for name, person in personas.items()
        if person is not None and can_manage_listings(person, organisation)
    }
    assert allowed == {"coordinator", "org_admin"}


def test_another_charitys_coordinator_gets_not_found_for_a_listing(
    organisation, coordinator, outsider, other_organisation
):
    service = _listing(organisation, coordinator)
    own_slug = _url("staff_listing", organisation, public_id=service.public_id)
    assert _client(outsider).get(own_slug).status_code == 404
    # Not through her own charity's address either.
    other = _url("staff_listing", other_organisation, public_id=service.public_id)
    assert _client(outsider).get(other).status_code == 404
    assert _client(coordinator).get(own_slug).status_code == 200


@pytest.mark.parametrize("persona", ["supporter_unmatched", "moderator", "member"])
def test_peer_supporters_moderators_and_members_cannot_open_the_listings(
    request, organisation, persona
):
    person = request.getfixturevalue(persona)
    for name in ("staff_listings", "staff_listing_create", "staff_gaps"):
        assert _client(person).get(_url(name, organisation)).status_code == 404


# Services ------------------------------------------------------------------------------------


def test_creating_a_listing_is_audited_and_queues_the_saved_search_check(organisation, coordinator):
    service = _listing(organisation, coordinator)
    event = AuditEvent.objects.get(object_id=str(service.public_id))
    assert (event.action, event.actor) == ("create", coordinator)
    assert "name" in event.fields
    assert Job.objects.filter(task=alerts.CHECK_TASK).exists()


def test_changing_a_listing_records_only_what_changed(organisation, coordinator):
    service = _listing(organisation, coordinator)
    service_update(actor=coordinator, service=service, name="Tuesday group", summary="New.")
    event = AuditEvent.objects.filter(object_id=str(service.public_id)).latest("pk")
    assert (event.action, event.fields) == ("update", ["summary"])


def test_a_weekly_schedule_makes_its_sessions_at_once(organisation, coordinator):
    service = _listing(organisation, coordinator)
    schedule = _weekly(service, coordinator)
    starts = [timezone.localtime(o.starts_at) for o in service.occurrences.all()]
    assert len(starts) == 8
    assert {(s.weekday(), s.hour) for s in starts} == {(1, 10)}
    assert describe_schedule(schedule) == "Every Tuesday, 10:00 to 11:30"
    assert AuditEvent.objects.filter(object_id=str(schedule.public_id), action="create").exists()


@pytest.mark.parametrize(
    ("repeats", "first", "expected"),
    [
        ("fortnightly", dt.date(2026, 3, 3), ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", [3, 17, 31])),
        ("monthly", dt.date(2026, 3, 10), ("FREQ=MONTHLY;BYDAY=+2TU", [10])),
        ("monthly", dt.date(2026, 3, 31), ("FREQ=MONTHLY;BYDAY=-1TU", [31])),
        ("once", dt.date(2026, 3, 5), ("FREQ=DAILY;COUNT=1", [5])),
    ],
)
def test_the_friendly_choices_become_the_right_rule(
    organisation, coordinator, repeats, first, expected
):
    rule, dates = expected
    assert rule_for(repeats, first) == rule
    service = _listing(organisation, coordinator)
    _weekly(service, coordinator, day=first, rule=repeats)
    march = [
        timezone.localtime(o.starts_at).day
        for o in service.occurrences.all()
        if timezone.localtime(o.starts_at).month == 3
    ]
    assert march == dates


def test_a_month_with_a_fifth_tuesday_uses_the_last_tuesday_every_month(organisation, coordinator):
    service = _listing(organisation, coordinator)
    schedule = _weekly(service, coordinator, day=dt.date(2026, 3, 31), rule="monthly")
    starts = schedule_starts(schedule, until=_local(dt.date(2026, 7, 1), 0))
    assert [timezone.localtime(s).date() for s in starts] == [
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 28),
        dt.date(2026, 5, 26),
        dt.date(2026, 6, 30),
    ]
    assert describe_schedule(schedule).startswith("The last Tuesday of each month")


def _booked(service, member):
    session = service.occurrences.order_by("starts_at")[1]  # Tuesday 10 March
    return session, booking_create(actor=member, occurrence=session)


def _reminder_deliveries(booking):
    return Delivery.objects.filter(
        notification__idempotency_key__startswith=f"booking:{booking.public_id}:",
        notification__idempotency_key__regex=r":(day-before|morning):",
    )


def test_cancelling_a_booked_session_tells_her_and_withdraws_her_reminders(
    organisation, coordinator, member
):
    service = _listing(organisation, coordinator, booking_required=True, capacity=8)
    _weekly(service, coordinator)
    session, booking = _booked(service, member)
    assert _reminder_deliveries(booking).filter(status=DeliveryStatus.PENDING).exists()
    Job.objects.all().delete()

    occurrence_cancel(actor=coordinator, occurrence=session, note="The hall is closed.")

    told = Notification.objects.get(idempotency_key=f"booking:{booking.public_id}:cancelled:")
    assert (told.recipient, told.purpose, told.context) == (
        member,
        "session_changed",
        {"change": "cancelled"},
    )
    assert told.link == reverse("bookings:my_bookings")
    assert set(told.deliveries.values_list("channel", flat=True)) == {"in_app", "email", "sms"}
    assert not _reminder_deliveries(booking).filter(status=DeliveryStatus.PENDING).exists()
    event = AuditEvent.objects.filter(object_id=str(session.public_id)).latest("pk")
    assert (event.actor, event.fields) == (coordinator, ["cancelled", "note"])
    assert Job.objects.filter(task=alerts.CHECK_TASK).exists()


def test_moving_a_booked_session_tells_her_and_moves_her_reminders(
    organisation, coordinator, member
):
    service = _listing(organisation, coordinator, booking_required=True)
    _weekly(service, coordinator)
    session, booking = _booked(service, member)

    occurrence_move(
        occurrence=session, starts_at=_local(dt.date(2026, 3, 12), 18), actor=coordinator
    )

    told = Notification.objects.get(
        idempotency_key__startswith=f"booking:{booking.public_id}:moved"
    )
    assert told.context == {"change": "moved", "changes": ["moved"]}
    reminders = Notification.objects.filter(
        idempotency_key__in=[
            f"booking:{booking.public_id}:day-before:20260312T1800",
            f"booking:{booking.public_id}:morning:20260312T1800",
        ]
    )
    assert sorted(timezone.localtime(n.due_at) for n in reminders) == [
        _local(dt.date(2026, 3, 11), 18),
        _local(dt.date(2026, 3, 12), 8),
    ]
    assert not Delivery.objects.filter(
        notification__in=reminders, status=DeliveryStatus.SKIPPED
    ).exists()
    # The reminders for the old time will not be sent.
    old = _reminder_deliveries(booking).exclude(notification__in=reminders)
    assert old.exists()
    assert set(old.values_list("status", flat=True)) == {DeliveryStatus.SKIPPED}
    session.refresh_from_db()
    assert (session.weekday, session.time_of_day) == (3, "evening")


def test_ending_a_schedule_removes_later_sessions_but_cancels_a_booked_one(
    organisation, coordinator, member
):
    service = _listing(organisation, coordinator, booking_required=True)
    schedule = _weekly(service, coordinator)
    later = service.occurrences.order_by("starts_at")[3]  # Tuesday 24 March
    booking = booking_create(actor=member, occurrence=later)

    removed, cancelled = schedule_end(
        actor=coordinator, schedule=schedule, from_date=dt.date(2026, 3, 17)
    )

    dates = [timezone.localtime(o.starts_at).day for o in service.occurrences.all()]
    assert dates == [3, 10, 24]
    assert (removed, cancelled) == (5, 1)
    later.refresh_from_db()
    assert later.cancelled
    assert Notification.objects.filter(
        idempotency_key=f"booking:{booking.public_id}:cancelled:"
    ).exists()
    schedule.refresh_from_db()
    assert schedule.until == dt.date(2026, 3, 16)
    # The daily expansion does not bring them back.
    from peerpath.directory.services import occurrences_expand

    occurrences_expand(actor=OPERATOR, schedule=schedule)
    assert service.occurrences.count() == 3


def test_taking_a_listing_down_hides_it_and_clears_its_future_sessions(
    organisation, coordinator, member
):
    service = _listing(organisation, coordinator, booking_required=True)
    _weekly(service, coordinator)
    session, booking = _booked(service, member)
    service_deactivate(actor=coordinator, service=service)
    service.refresh_from_db()
    assert not service.is_active
    assert list(service.occurrences.values_list("pk", "cancelled")) == [(session.pk, True)]
    told = Notification.objects.get(idempotency_key=f"booking:{booking.public_id}:cancelled:")
    assert told.link == reverse("bookings:my_bookings")
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


# Pages and forms -----------------------------------------------------------------------------


def _listing_post(place, **changes):
    data = {
        "name": "Bumps and Babies",
        "kind": Kind.PEER_GROUP,
        "summary": "Tea and a chat.",
        "for_whom": [ForWhom.PREGNANT],
        "cost_kind": "free",
        "where": "place",
        "location": str(place.public_id) if place else "",
        "booking": "turn_up",
        "last_checked_on": "2026-03-01",
    }
    data.update(changes)
    return data


def test_a_coordinator_adds_a_listing_from_the_form(organisation, coordinator, supporter_unmatched):
    place = location_create(
        actor=coordinator, organisation=organisation, name="Hall", address="1 Road", area="Exeter"
    )
    response = _client(coordinator).post(
        _url("staff_listing_create", organisation),
        _listing_post(place, facilitators=[str(supporter_unmatched.public_id)]),
    )
    service = Service.objects.get(name="Bumps and Babies")
    assert response.status_code == 302
    assert response["Location"] == _url("staff_listing", organisation, public_id=service.public_id)
    assert (service.location, service.for_whom, service.booking_required) == (
        place,
        ["pregnant"],
        False,
    )
    assert list(service.facilitators.all()) == [supporter_unmatched]


def test_a_listing_at_a_place_without_one_chosen_is_explained_and_keeps_what_was_typed(
    organisation, coordinator
):
    response = _client(coordinator).post(
        _url("staff_listing_create", organisation),
        _listing_post(None, cost_kind="paid", cost=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the place, or add it first." in page
    assert "Say what it costs, for example £3 a session." in page
    assert 'value="Bumps and Babies"' in page
    assert not Service.objects.exists()


def test_a_schedule_in_the_past_is_refused_beside_the_field(organisation, coordinator):
    service = _listing(organisation, coordinator)
    response = _client(coordinator).post(
        _url("staff_schedule_create", organisation, public_id=service.public_id),
        {
            "first_date": "2026-02-01",
            "start_time": "10:00",
            "duration_minutes": "90",
            "repeats": "weekly",
        },
    )
    page = response.content.decode()
    assert "The first session must be today or later." in page
    assert 'value="10:00"' in page
    assert not Schedule.objects.exists()


def test_a_schedule_without_a_time_or_how_often_says_so(organisation, coordinator):
    service = _listing(organisation, coordinator)
    response = _client(coordinator).post(
        _url("staff_schedule_create", organisation, public_id=service.public_id),
        {"first_date": "2026-03-04", "duration_minutes": "90", "last_date": "2026-03-01"},
    )
    page = response.content.decode()
    assert "Enter a start time, for example 10:00." in page
    assert "Choose how often it happens." in page
    assert 'value="2026-03-04"' in page


def test_moving_a_session_into_the_past_is_refused(organisation, coordinator):
    service = _listing(organisation, coordinator)
    _weekly(service, coordinator)
    session = service.occurrences.first()
    response = _client(coordinator).post(
        _url("staff_session_move", organisation, public_id=session.public_id),
        {"new_date": "2026-03-01", "new_time": "10:00"},
    )
    assert "The new date and time must be in the future." in response.content.decode()
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).date() == dt.date(2026, 3, 3)


def test_a_bad_postcode_is_explained(organisation, coordinator):
    response = _client(coordinator).post(
        _url("staff_location_create", organisation),
        {"name": "Hall", "address": "1 Road", "area": "Exeter", "postcode": "not a code"},
    )
    assert "Enter a postcode like EX4 3SR, or leave it empty." in response.content.decode()
    assert not Location.objects.exists()


def test_cancelling_from_the_sessions_page_shows_the_note_to_women(organisation, coordinator):
    service = _listing(organisation, coordinator)
    _weekly(service, coordinator)
    session = service.occurrences.first()
    _client(coordinator).post(
        _url("staff_session_cancel", organisation, public_id=session.public_id),
        {"note": "Hall closed for repairs"},
    )
    public = Client().get(
        reverse("directory:service_detail", kwargs={"public_id": service.public_id})
    )
    assert "Hall closed for repairs" in public.content.decode()


def test_details_checked_today_clears_needs_checking(organisation, coordinator):
    service = _listing(organisation, coordinator, last_checked_on=dt.date(2025, 6, 1))
    page = _client(coordinator).get(_url("staff_listings", organisation)).content.decode()
    assert "Needs checking" in page
    _client(coordinator).post(
        _url("staff_listing_checked", organisation, public_id=service.public_id)
    )
    service.refresh_from_db()
    assert service.last_checked_on == dt.date(2026, 3, 2)
    page = _client(coordinator).get(_url("staff_listings", organisation)).content.decode()
    assert "Needs checking" not in page


def test_the_sessions_page_links_each_session_to_its_register(organisation, coordinator):
    service = _listing(organisation, coordinator)
    _weekly(service, coordinator)
    session = service.occurrences.first()
    page = _client(coordinator).get(
        _url("staff_sessions", organisation, public_id=service.public_id)
    )
    assert reverse("bookings:session_register", kwargs={"public_id": session.public_id}) in (
        page.content.decode()
    )


# Gaps ----------------------------------------------------------------------------------------


def test_gaps_count_every_providers_sessions_for_the_stage_and_area(
    organisation, other_organisation, coordinator
):
    ours = _listing(organisation, coordinator, area="Exeter")
    _weekly(ours, coordinator)  # Tuesdays 10am, for babies
    theirs = _listing(other_organisation, OPERATOR, name="Their group", area="Exeter")
    _weekly(theirs, OPERATOR, day=dt.date(2026, 3, 5), hour=19)  # Thursdays 7pm
    online = _listing(
        other_organisation, OPERATOR, name="Online", area="Crediton", location=None, online=True
    )
    _weekly(online, OPERATOR, day=dt.date(2026, 3, 4), hour=13)
    cancelled = ours.occurrences.first()
    occurrence_cancel(actor=OPERATOR, occurrence=cancelled)

    found = gaps_find()
    exeter = found.grid(ForWhom.BABY_0_12, "Exeter")
    assert exeter.counts[(1, "morning")] == 3  # four Tuesdays, one cancelled
    assert exeter.counts[(3, "evening")] == 4
    assert exeter.summary() == [
        "No afternoon sessions on any day.",
        "Nothing on Monday, Wednesday, Friday, Saturday and Sunday.",
    ]
    assert found.grid(ForWhom.BABY_0_12, "online").counts[(2, "afternoon")] == 4
    assert found.grid(ForWhom.PREGNANT, "Exeter").summary() == [
        "No sessions at all in the next 4 weeks."
    ]
    assert ("Crediton", "Crediton") in found.areas


def test_the_gaps_page_shows_none_plainly_and_a_summary_per_area(organisation, coordinator):
    service = _listing(organisation, coordinator, area="Exeter")
    _weekly(service, coordinator)
    response = _client(coordinator).get(
        _url("staff_gaps", organisation), {"stage": "baby_0_12", "area": "Exeter"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<td class="nhsuk-table__cell">4</td>' in page
    assert "<strong>None</strong>" in page
    assert "No evening sessions on any day." in page


def test_a_wrong_choice_on_the_gaps_page_is_explained(organisation, coordinator):
    response = _client(coordinator).get(_url("staff_gaps", organisation), {"area": "Atlantis"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


# Queries -------------------------------------------------------------------------------------


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_the_listings_page_costs_the_same_few_queries_however_many_listings(
    organisation, coordinator
):
    client = _client(coordinator)
    url = _url("staff_listings", organisation)
    _weekly(_listing(organisation, coordinator, name="First"), coordinator)
    client.get(url)  # the session is settled
    few = _queries(client, url)
    for number in range(6):
        _weekly(_listing(organisation, coordinator, name=f"Group {number}"), coordinator)
    assert _queries(client, url) == few == 9  # 9: the header counts open alerts


def test_the_gaps_page_costs_the_same_few_queries_however_big_the_directory(
    organisation, other_organisation, coordinator
):
    client = _client(coordinator)
    url = _url("staff_gaps", organisation)
    _weekly(_listing(organisation, coordinator), coordinator)
    client.get(url)
    few = _queries(client, url, {"stage": "baby_0_12"})
    for number in range(5):
        _weekly(
            _listing(other_organisation, OPERATOR, name=f"Group {number}", area=f"Town {number}"),
            OPERATOR,
            hour=9 + 2 * number,
        )
    assert _queries(client, url, {"stage": "baby_0_12"}) == few == 9  # with the alert count


def test_sessions_page_costs_the_same_queries_however_many_sessions(organisation, coordinator):
    client = _client(coordinator)
    service = _listing(organisation, coordinator)
    url = _url("staff_sessions", organisation, public_id=service.public_id)
    _weekly(service, coordinator)
    booking_create(
        actor=make_person(organisation, Role.MEMBER), occurrence=service.occurrences.first()
    )
    client.get(url)
    few = _queries(client, url)
    _weekly(service, coordinator, day=dt.date(2026, 3, 4))
    _weekly(service, coordinator, day=dt.date(2026, 3, 5))
    assert Occurrence.objects.filter(service=service).count() == 24
    assert _queries(client, url) == few


def test_taking_a_listing_down_asks_first_and_says_who_will_be_told(
    organisation, coordinator, member
):
    service = _listing(organisation, coordinator, booking_required=True, capacity=5)
    _weekly(service, coordinator)
    _booked(service, member)
    client = _client(coordinator)
    address = _url("staff_listing_active", organisation, public_id=service.public_id)

    page = client.get(address).content.decode()
    assert "1 person has a place or is waiting at a future session." in page
    assert client.post(address, {}).status_code == 400  # nothing chosen: nothing happens
    service.refresh_from_db()
    assert service.is_active

    assert client.post(address, {"active": "no"}).status_code == 302
    service.refresh_from_db()
    assert not service.is_active
    assert client.post(address, {"active": "yes"}).status_code == 302
    service.refresh_from_db()
    assert service.is_active


def test_dates_years_ahead_are_refused_beside_the_field(organisation, coordinator):
    service = _listing(organisation, coordinator)
    client = _client(coordinator)
    response = client.post(
        _url("staff_schedule_create", organisation, public_id=service.public_id),
        {
            "first_date": "9999-12-31",
            "start_time": "23:00",
            "duration_minutes": "180",
            "repeats": "weekly",
        },
    )
    assert response.status_code == 200
    assert "Enter a date within the next 2 years." in response.content.decode()
    assert not service.schedules.exists()
    _weekly(service, coordinator)
    session = service.occurrences.earliest("starts_at")
    response = client.post(
        _url("staff_session_move", organisation, public_id=session.public_id),
        {"new_date": "9999-12-31", "new_time": "23:30"},
    )
    assert "Enter a date within the next 2 years." in response.content.decode()
