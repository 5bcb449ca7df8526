"""Her private calendar feed: her sessions only, a secret address she can replace, gone when
she is erased, and never written to the logs."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import logging.config

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.accounts.subject_rights import member_data_export, user_erase
from peerpath.bookings.models import Booking, BookingStatus, CalendarFeed
from peerpath.bookings.services import (
    booking_create,
    calendar_feed_create,
    calendar_feed_reset,
    calendar_token_hash,
)
from peerpath.core.logging import scrub
from peerpath.directory.models import Location, Occurrence, Service

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # a Monday, GMT


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _service(organisation, name: str, *, online: bool = False) -> Service:
    location = None
    if not online:
        location = Location.objects.create(
            organisation=organisation, name="Heavitree Hall", address="1 High St", area="Exeter"
        )
    return Service.objects.create(
        organisation=organisation,
        name=name,
        kind="peer_group",
        summary="A friendly group.",
        location=location,
        online=online,
        how_to_join="The video link arrives by email the day before." if online else "",
        booking_required=True,
        capacity=10,
        last_checked_on=dt.date(2026, 11, 1),
    )


def _session(service: Service, starts: dt.datetime) -> Occurrence:
    return Occurrence.objects.create(
        service=service,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        original_starts_at=starts,
        weekday=starts.weekday(),
        time_of_day="morning",
    )


def _booked(member, occurrence, status=BookingStatus.BOOKED) -> Booking:
    return Booking.objects.create(occurrence=occurrence, member=member, status=status)


def _feed(client: Client, token: str):
    return client.get(reverse("bookings:calendar_feed", kwargs={"token": token}))


def _events(response) -> dict[str, dict[str, str]]:
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["summary"]): {key: str(value) for key, value in event.items()}
        for event in calendar.walk("VEVENT")
    }


def test_her_feed_lists_her_booked_and_offered_sessions_from_thirty_days_ago(organisation):
    mum, other = (make_person(organisation, Role.MEMBER) for _ in range(2))
    day = dt.timedelta(days=1)
    _booked(mum, _session(_service(organisation, "Bump and Baby Chat"), NOW + 2 * day))
    _booked(
        mum,
        _session(_service(organisation, "Online Evening Circle", online=True), NOW + 3 * day),
        BookingStatus.OFFERED,
    )
    _booked(mum, _session(_service(organisation, "Last Month's Walk"), NOW - 10 * day))
    _booked(mum, _session(_service(organisation, "Long Ago Group"), NOW - 40 * day))
    _booked(
        mum,
        _session(_service(organisation, "Waiting Group"), NOW + 4 * day),
        BookingStatus.WAITING,
    )
    _booked(
        mum,
        _session(_service(organisation, "Cancelled Place"), NOW + 5 * day),
        BookingStatus.CANCELLED,
    )
    _booked(other, _session(_service(organisation, "Her Neighbour's Group"), NOW + 2 * day))
    feed = calendar_feed_create(actor=mum)

    response = _feed(Client(), feed.token)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    events = _events(response)
    assert set(events) == {"Bump and Baby Chat", "Online Evening Circle", "Last Month's Walk"}
    chat = events["Bump and Baby Chat"]
    assert chat["LOCATION"] == "Heavitree Hall, 1 High St"
    assert chat["STATUS"] == "CONFIRMED"
    assert "/find-support/" in chat["URL"]
    assert chat["URL"] in chat["DESCRIPTION"]
    online = events["Online Evening Circle"]
    assert online["LOCATION"] == "Online"
    assert online["STATUS"] == "TENTATIVE"
    assert "The video link arrives by email the day before." in online["DESCRIPTION"]
    assert "/account/bookings/" in online["DESCRIPTION"]


def test_a_cancelled_session_is_marked_cancelled_and_a_moved_one_shows_its_new_time(
    organisation,
):
    mum = make_person(organisation, Role.MEMBER)
    service = _service(organisation, "Knit and Natter")
    cancelled = _session(service, NOW + dt.timedelta(days=2))
    moved = _session(_service(organisation, "Baby Massage"), NOW + dt.timedelta(days=3))
    _booked(mum, cancelled)
    _booked(mum, moved)
    Occurrence.objects.filter(pk=cancelled.pk).update(cancelled=True)
    new_start = NOW + dt.timedelta(days=3, hours=4)
    Occurrence.objects.filter(pk=moved.pk).update(
        starts_at=new_start, ends_at=new_start + dt.timedelta(hours=1)
    )
    feed = calendar_feed_create(actor=mum)

    calendar = Calendar.from_ical(_feed(Client(), feed.token).content)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}

    assert str(events["Knit and Natter"]["status"]) == "CANCELLED"
    assert events["Baby Massage"].decoded("dtstart") == new_start


def test_making_a_new_address_stops_the_old_one_working(organisation):
    mum = make_person(organisation, Role.MEMBER)
    first = calendar_feed_create(actor=mum).token
    assert calendar_feed_create(actor=mum).token == first  # asking again keeps the address

    second = calendar_feed_reset(actor=mum).token

    assert second != first
    assert _feed(Client(), first).status_code == 404
    assert _feed(Client(), second).status_code == 200
    assert CalendarFeed.objects.filter(user=mum).count() == 1


def test_an_unknown_address_finds_nothing(organisation):
    assert _feed(Client(), "not-a-real-token").status_code == 404


def test_another_womans_address_shows_nothing_of_hers(organisation):
    mum, other = (make_person(organisation, Role.MEMBER) for _ in range(2))
    _booked(mum, _session(_service(organisation, "Bump and Baby Chat"), NOW + dt.timedelta(1)))
    theirs = _booked(
        other, _session(_service(organisation, "Dads and Partners"), NOW + dt.timedelta(2))
    )
    calendar_feed_create(actor=mum)
    feed = calendar_feed_create(actor=other)

    response = _feed(Client(), feed.token)

    assert set(_events(response)) == {"Dads and Partners"}
    assert f"booking-{theirs.public_id}@peerpath" in response.content.decode()
    assert "Bump and Baby Chat" not in response.content.decode()


def test_the_token_is_stored_hashed_and_encrypted(organisation):
    mum = make_person(organisation, Role.MEMBER)
    feed = calendar_feed_create(actor=mum)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT token, token_hash FROM bookings_calendarfeed WHERE id = %s", [feed.pk]
        )
        stored_token, stored_hash = cursor.fetchone()
    assert feed.token not in stored_token
    assert stored_hash == calendar_token_hash(feed.token)
    assert feed.token not in stored_hash


def test_she_makes_and_replaces_her_address_from_her_bookings_page(organisation):
    mum = make_person(organisation, Role.MEMBER)
    client = Client()
    client.force_login(mum)
    page = client.get(reverse("bookings:my_bookings")).content.decode()
    assert "Add your bookings to your phone" in page
    assert "Make my calendar address" in page
    assert "/calendar/" not in page

    response = client.post(reverse("bookings:calendar_feed_create"))

    assert response.status_code == 302
    token = CalendarFeed.objects.get(user=mum).token
    page = client.get(reverse("bookings:my_bookings")).content.decode()
    assert f"http://testserver/calendar/{token}.ics" in page
    assert f"webcal://testserver/calendar/{token}.ics" in page
    assert "Anyone who can see your calendar will see these sessions." in page
    assert "Make a new address" in page

    client.post(reverse("bookings:calendar_feed_reset"))

    page = client.get(reverse("bookings:my_bookings")).content.decode()
    new_token = CalendarFeed.objects.get(user=mum).token
    assert new_token != token
    assert token not in page
    assert new_token in page


def test_only_she_can_make_her_address(organisation):
    response = Client().post(reverse("bookings:calendar_feed_create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not CalendarFeed.objects.exists()


def test_her_bookings_page_costs_the_same_queries_however_many_bookings(organisation):
    mum = make_person(organisation, Role.MEMBER)
    calendar_feed_create(actor=mum)
    client = Client()
    client.force_login(mum)
    service = _service(organisation, "Bump and Baby Chat")
    booking_create(actor=mum, occurrence=_session(service, NOW + dt.timedelta(days=1)))
    client.get(
        reverse("bookings:my_bookings")
    )  # the first page of a visit also loads the site's name
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("bookings:my_bookings"))
    for days in (2, 3, 4):
        booking_create(actor=mum, occurrence=_session(service, NOW + dt.timedelta(days=days)))
    with CaptureQueriesContext(connection) as four:
        client.get(reverse("bookings:my_bookings"))
    assert len(four.captured_queries) == len(one.captured_queries)


def test_her_feed_costs_the_same_queries_however_many_bookings(organisation):
    mum = make_person(organisation, Role.MEMBER)
    feed = calendar_feed_create(actor=mum)
    service = _service(organisation, "Bump and Baby Chat")
    _booked(mum, _session(service, NOW + dt.timedelta(days=1)))
    with CaptureQueriesContext(connection) as one:
        _feed(Client(), feed.token)
    for days in (2, 3, 4):
        _booked(mum, _session(_service(organisation, f"Group {days}"), NOW + dt.timedelta(days)))
    with CaptureQueriesContext(connection) as four:
        response = _feed(Client(), feed.token)
    assert len(_events(response)) == 4
    assert len(four.captured_queries) == len(one.captured_queries)


def test_erasure_removes_her_address_and_the_export_says_only_whether_she_had_one(
    organisation,
):
    mum = make_person(organisation, Role.MEMBER)
    assert member_data_export(actor=mum, user=mum)["private_calendar_address"] is False
    token = calendar_feed_create(actor=mum).token

    exported = member_data_export(actor=mum, user=mum)

    assert exported["private_calendar_address"] is True
    assert token not in json.dumps(exported, default=str)

    user_erase(actor=mum, user=mum)

    assert not CalendarFeed.objects.filter(user=mum).exists()
    assert _feed(Client(), token).status_code == 404


@pytest.fixture
def log_output():
    """The production logging configuration, writing JSON to a buffer."""
    buffer = io.StringIO()
    config = json.loads(json.dumps(settings.LOGGING))
    config["handlers"]["console"]["formatter"] = "json"
    config["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(config)
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


def test_her_calendar_address_never_reaches_the_logs(organisation, log_output):
    mum = make_person(organisation, Role.MEMBER)
    old = calendar_feed_create(actor=mum).token
    new = calendar_feed_reset(actor=mum).token

    # A calendar app still asking for the old address is answered 404, which Django logs.
    assert _feed(Client(), old).status_code == 404
    # What a server's access log line looks like for the working address.
    logging.getLogger("uvicorn.access").warning(
        '127.0.0.1:5000 - "GET /calendar/%s.ics HTTP/1.1" 200', new
    )

    output = log_output.getvalue()
    assert "Not Found: /calendar/[token]" in output
    assert "GET /calendar/[token] HTTP/1.1" in output
    assert old not in output
    assert new not in output


def test_scrubbing_leaves_her_other_calendar_pages_readable():
    assert scrub("POST /account/bookings/calendar-address/new/") == (
        "POST /account/bookings/calendar-address/new/"
    )
    assert scrub("GET https://peerpath.example/calendar/abc-DEF_123.ics") == (
        "GET https://peerpath.example/calendar/[token]"
    )


def test_times_in_the_feed_are_the_sessions_own(organisation):
    mum = make_person(organisation, Role.MEMBER)
    starts = dt.datetime(2026, 11, 26, 13, 30, tzinfo=timezone.get_default_timezone())
    _booked(mum, _session(_service(organisation, "Baby Massage"), starts))
    feed = calendar_feed_create(actor=mum)
    (event,) = Calendar.from_ical(_feed(Client(), feed.token).content).walk("VEVENT")
    assert event.decoded("dtstart") == starts
    assert event.decoded("dtend") == starts + dt.timedelta(hours=1)
