"""Finding support: sessions expanded from rules, search filters, listings, calendars."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from peerpath.core.actors import OPERATOR
from peerpath.directory.choices import Kind
from peerpath.directory.models import Location, Occurrence, Schedule, Service
from peerpath.directory.services import occurrence_cancel, occurrences_expand

pytestmark = pytest.mark.django_db
# Wednesday 21 October 2026, 09:00 in London (BST). The clocks go back on Sunday 25 October.
NOW = dt.datetime(2026, 10, 21, 8, 0, tzinfo=dt.UTC)
LONDON = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _group(
    organisation,
    *,
    name,
    area="Exeter",
    online=False,
    rule="FREQ=WEEKLY;BYDAY=TH",
    hour=10,
    **fields,
) -> Service:
    location = None
    if not online:
        location = Location.objects.create(
            organisation=organisation, name=f"{area} hall", address="1 High Street", area=area
        )
    service = Service.objects.create(
        organisation=organisation,
        name=name,
        kind=fields.pop("kind", Kind.PEER_GROUP),
        summary="A group.",
        online=online,
        location=location,
        last_checked_on=dt.date(2026, 10, 1),
        **fields,
    )
    schedule = Schedule.objects.create(
        service=service,
        first_starts_at=dt.datetime(2026, 10, 1, hour, 0, tzinfo=LONDON),
        rrule=rule,
    )
    occurrences_expand(actor=OPERATOR, schedule=schedule)
    return service


def test_a_weekly_group_keeps_its_local_time_when_the_clocks_change(organisation):
    service = _group(organisation, name="Thursday group")
    starts = [timezone.localtime(o.starts_at) for o in service.occurrences.all()[:3]]
    assert [s.date() for s in starts] == [
        dt.date(2026, 10, 22),
        dt.date(2026, 10, 29),
        dt.date(2026, 11, 5),
    ]
    assert {s.hour for s in starts} == {10}
    assert starts[0].utcoffset() != starts[1].utcoffset()  # BST, then GMT


def test_expanding_twice_adds_nothing(organisation):
    service = _group(organisation, name="Thursday group")
    before = service.occurrences.count()
    occurrences_expand(actor=OPERATOR, schedule=service.schedules.get())
    assert service.occurrences.count() == before == 8


def test_search_finds_morning_groups_in_a_town_this_week_and_leaves_out_the_rest(
    client, organisation
):
    _group(organisation, name="Thursday morning, Exeter")
    _group(organisation, name="Thursday evening, Exeter", hour=19)
    _group(organisation, name="Thursday morning, Exmouth", area="Exmouth")
    _group(organisation, name="Next month only", rule="FREQ=MONTHLY;BYMONTHDAY=20")
    html = client.get(
        reverse("directory:find_support"), {"where": "Exeter", "times": "morning"}
    ).content.decode()
    assert "Thursday morning, Exeter" in html
    assert "Thursday evening, Exeter" not in html
    assert "Thursday morning, Exmouth" not in html
    assert "Next month only" not in html
    assert "Thursday 22 October, 10:00 a.m." in html


def test_filters_for_stage_family_language_and_cost(client, organisation):
    _group(organisation, name="Bumps", for_whom=["pregnant"], family=["buggy_access"])
    _group(organisation, name="Toddlers", for_whom=["baby_12_24"], is_free=False, cost="£2")
    _group(organisation, name="Po polsku", for_whom=["pregnant"], languages=["pl"])
    search = reverse("directory:find_support")
    pregnant = client.get(search, {"stage": "pregnant"}).content.decode()
    assert "Bumps" in pregnant
    assert "Po polsku" in pregnant
    assert "Toddlers" not in pregnant
    buggy = client.get(search, {"family": "buggy_access"}).content.decode()
    assert "Bumps" in buggy
    assert "Toddlers" not in buggy
    polish = client.get(search, {"language": "pl"}).content.decode()
    assert "Po polsku" in polish
    assert "Bumps" not in polish
    free = client.get(search, {"free": "on"}).content.decode()
    assert "Toddlers" not in free
    assert "Bumps" in free


def test_when_nothing_matches_the_nearest_online_group_is_suggested(client, organisation):
    _group(organisation, name="Online circle", online=True, kind=Kind.ONLINE_GROUP)
    _group(organisation, name="Exeter monthly", rule="FREQ=MONTHLY;BYMONTHDAY=20")
    html = client.get(reverse("directory:find_support"), {"where": "Exeter"}).content.decode()
    assert "Nothing matches those choices" in html
    assert "The next online group is" in html
    assert "Online circle" in html


def _search_queries(client) -> list[str]:
    """The statements one search runs (savepoints, which PostgreSQL's cursor read adds inside
    the test's transaction, are transaction control rather than queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("directory:find_support"), {"when": "four_weeks"})
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_the_search_costs_the_same_queries_for_2_or_20_groups(client, organisation):
    for n in range(2):
        _group(organisation, name=f"Group {n}")
    client.get(reverse("directory:find_support"))
    few = _search_queries(client)
    assert len(few) <= 6
    for n in range(18):
        _group(organisation, name=f"More {n}", area=f"Town {n % 4}")
    many = _search_queries(client)
    assert len(many) == len(few)
    assert (
        "More 17"
        in client.get(reverse("directory:find_support"), {"when": "four_weeks"}).content.decode()
    )


def test_a_listing_shows_the_next_six_dates_with_cancellations(client, organisation):
    service = _group(organisation, name="Thursday group", rule="FREQ=WEEKLY;BYDAY=TH")
    occurrence_cancel(actor=OPERATOR, occurrence=service.occurrences.first(), note="Hall closed")
    html = client.get(
        reverse("directory:service_detail", kwargs={"public_id": service.public_id})
    ).content.decode()
    assert html.count("a.m.") >= 6
    assert "cancelled" in html
    assert "Hall closed" in html
    assert "Just turn up" in html


def test_an_old_listing_warns_that_details_may_be_out_of_date(client, organisation):
    service = _group(organisation, name="Old group")
    Service.objects.filter(pk=service.pk).update(last_checked_on=dt.date(2026, 3, 1))
    html = client.get(
        reverse("directory:service_detail", kwargs={"public_id": service.public_id})
    ).content.decode()
    assert "These details may be out of date" in html


def test_the_calendar_file_has_each_coming_session(client, organisation):
    service = _group(organisation, name="Thursday group")
    response = client.get(
        reverse("directory:service_calendar", kwargs={"public_id": service.public_id})
    )
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.count("BEGIN:VEVENT") == 8
    assert "SUMMARY:Thursday group" in body
    assert "DTSTART:20261022T090000Z" in body  # 10:00 in London (BST), written in UTC


def test_an_inactive_listing_is_not_found(client, organisation):
    service = _group(organisation, name="Closed group", is_active=False)
    response = client.get(
        reverse("directory:service_detail", kwargs={"public_id": service.public_id})
    )
    assert response.status_code == 404


def test_the_periodic_task_expands_new_weeks_as_time_passes(organisation):
    from peerpath.directory.tasks import expand_occurrences

    service = _group(organisation, name="Thursday group")
    with time_machine.travel(NOW + dt.timedelta(weeks=2), tick=False):
        expand_occurrences()
    assert service.occurrences.count() == 10
    assert (
        Occurrence.objects.filter(service=service).values("original_starts_at").distinct().count()
        == 10
    )


def test_an_unknown_place_in_a_shared_link_is_explained_and_other_filters_still_apply(
    client, organisation
):
    _group(organisation, name="Morning group")
    _group(organisation, name="Evening group", hour=19)
    html = client.get(
        reverse("directory:find_support"), {"where": "Atlantis", "times": "morning"}
    ).content.decode()
    assert "There is a problem" in html
    assert "Morning group" in html
    assert "Evening group" not in html


def _centroids(tmp_path):
    from django.core.management import call_command

    csv = tmp_path / "postcodes.csv"
    csv.write_text(
        "pcds,lat,long,oslaua\n"
        "EX1 2QJ,50.7225,-3.5058,E07000041\n"
        "EX4 1AL,50.7183,-3.5412,E07000041\n"
        "EX8 1PS,50.6204,-3.4134,E07000040\n"
        "not a postcode,1,1,x\n"
    )
    out = __import__("io").StringIO()
    call_command("import_postcodes", str(csv), stdout=out)
    return out.getvalue()


def test_postcodes_load_from_an_ons_style_csv_and_bad_rows_are_counted(tmp_path):
    assert "Loaded 3 postcodes; skipped 1 unusable rows." in _centroids(tmp_path)
    assert "Loaded 3 postcodes" in _centroids(tmp_path)  # running again updates, adds nothing
    from peerpath.directory.models import PostcodeCentroid

    assert PostcodeCentroid.objects.count() == 3


def test_search_near_a_postcode_shows_groups_within_the_distance(client, organisation, tmp_path):
    _centroids(tmp_path)
    exeter = _group(organisation, name="Heavitree group")
    Location.objects.filter(pk=exeter.location_id).update(latitude=50.7225, longitude=-3.5058)
    exmouth = _group(organisation, name="Exmouth group", area="Exmouth")
    Location.objects.filter(pk=exmouth.location_id).update(latitude=50.6204, longitude=-3.4134)
    near = client.get(reverse("directory:find_support"), {"postcode": "ex4 1al", "distance": "3"})
    html = near.content.decode()
    assert "Heavitree group" in html
    assert "Exmouth group" not in html
    assert "miles away" in html
    wider = client.get(
        reverse("directory:find_support"), {"postcode": "EX4", "distance": "10"}
    ).content.decode()
    assert "Exmouth group" in wider


def test_a_postcode_we_cannot_find_is_explained_beside_the_field(client, organisation, tmp_path):
    _centroids(tmp_path)
    _group(organisation, name="Heavitree group")
    unknown = client.get(
        reverse("directory:find_support"), {"postcode": "ZZ9 9ZZ"}
    ).content.decode()
    assert "We could not find that postcode" in unknown
    assert 'value="ZZ9 9ZZ"' in unknown
    nonsense = client.get(
        reverse("directory:find_support"), {"postcode": "my house"}
    ).content.decode()
    assert "Enter a postcode like EX4 3SR" in nonsense


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Bump, and Baby", "X-WR-CALNAME:Bump\\, and Baby"),
        ("Bump\rBEGIN:VEVENT", "X-WR-CALNAME:Bump BEGIN:VEVENT"),
        ("Tea;\nand talk", "X-WR-CALNAME:Tea\\; and talk"),
    ],
)
def test_the_calendar_name_is_one_escaped_line(client, organisation, name, written):
    from icalendar import Calendar

    service = _group(organisation, name=name)
    body = client.get(
        reverse("directory:service_calendar", kwargs={"public_id": service.public_id})
    ).content

    assert written.encode() in body
    assert b"\r" not in body.replace(b"\r\n", b"")  # no lone CR anywhere
    assert len(Calendar.from_ical(body).walk("VEVENT")) == len(list(service.occurrences.all()))
