"""Importing Open Referral files: only into the organisation given, the file checked whole
first, hostile files refused with every problem named, and nothing written unless all is well.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import time
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.audit.models import AuditEvent
from peerpath.bookings.services import booking_create
from peerpath.core import clock
from peerpath.core.actors import IMPORT, OPERATOR
from peerpath.directory.models import Location, Occurrence, Schedule, Service
from peerpath.directory.openreferral import service_to_hsds
from peerpath.directory.openreferral_import import (
    MAX_DEPTH,
    ImportRefusedError,
    openreferral_import,
)
from peerpath.directory.recurrence import Recurrence, Repeats
from peerpath.directory.services import location_create, schedule_create, service_create
from peerpath.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _next(weekday: int) -> dt.date:
    today = clock.today()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _service(**changes: object) -> dict:
    """A valid HSDS service PeerPath can hold: a weekly Tuesday group at a hall."""
    data = {
        "id": str(uuid.uuid4()),
        "name": "Bumps and Brews",
        "description": "A friendly group for mums-to-be.\n\nTea and a chat.",
        "status": "active",
        "url": "https://example.org/bumps",
        "email": "hello@example.org",
        "assured_date": (clock.today() - dt.timedelta(days=3)).isoformat(),
        "phones": [{"id": str(uuid.uuid4()), "number": "01392 000000"}],
        "languages": [{"id": str(uuid.uuid4()), "code": "en", "name": "English"}],
        "attributes": [{"id": str(uuid.uuid4()), "taxonomy_term": {"code": "kind:peer_group"}}],
        "schedules": [
            {
                "id": str(uuid.uuid4()),
                "dtstart": _next(1).isoformat(),
                "freq": "WEEKLY",
                "interval": 1,
                "byday": "TU",
                "opens_at": "10:00:00",
                "closes_at": "11:30:00",
            }
        ],
        "service_at_locations": [
            {
                "id": str(uuid.uuid4()),
                "location": {
                    "id": str(uuid.uuid4()),
                    "location_type": "physical",
                    "name": "St Thomas hall",
                    "latitude": 50.7,
                    "longitude": -3.5,
                    "addresses": [
                        {"address_1": "1 High Street", "city": "Exeter", "postal_code": "EX4 1AA"}
                    ],
                },
            }
        ],
    }
    data.update(changes)
    return data


def _file(*services: object) -> bytes:
    return json.dumps(list(services)).encode()


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Service, Location, Schedule, Occurrence, AuditEvent)
    )


def _refused(organisation, raw: bytes) -> list[str]:
    """The problems, having checked that nothing at all was written."""
    before = _counts()
    with pytest.raises(ImportRefusedError) as refused:
        openreferral_import(raw, actor=IMPORT, organisation=organisation)
    assert _counts() == before
    return [str(problem) for problem in refused.value.problems]


def _listing(organisation, coordinator, name="Tuesday group") -> Service:
    """A listing made by its coordinator, with a place and a weekly time."""
    place = location_create(
        actor=coordinator,
        organisation=organisation,
        name="Hall",
        address="1 High Street",
        area="Exeter",
        postcode="EX4 1AA",
    )
    service = service_create(
        actor=coordinator,
        organisation=organisation,
        name=name,
        kind="peer_group",
        summary="A group.",
        location=place,
        booking_required=True,
        capacity=10,
        last_checked_on=clock.today(),
    )
    first = _next(1)
    schedule_create(
        actor=coordinator,
        service=service,
        first_starts_at=timezone.make_aware(dt.datetime.combine(first, dt.time(10))),
        duration_minutes=90,
        recurrence=Recurrence.from_first_date(Repeats.WEEKLY, first),
    )
    return service


# Only within the organisation given --------------------------------------------------------------


def test_another_organisations_listing_imported_is_refused_and_nothing_is_written(
    organisation, other_organisation, coordinator, tmp_path
):
    service = _listing(organisation, coordinator)
    exported = service_to_hsds(service)
    changed_at = service.updated_at
    before = _counts()

    with pytest.raises(CommandError) as refused:
        call_command(
            "import_openreferral",
            _write(exported, tmp_path),
            "--organisation",
            other_organisation.slug,
            stdout=io.StringIO(),
        )
    message = str(refused.value)
    assert "Nothing was imported" in message
    assert (
        "item 1 (Tuesday group), field id: PeerPath knows this id as a listing of another "
        "organisation" in message
    )
    assert "field organization_id: PeerPath knows this id as another organisation" in message
    assert "field service_at_locations[0].location.id: PeerPath knows this id as a place" in message
    assert "field schedules[0].id: PeerPath knows this id as a repeating time of another" in message
    assert _counts() == before
    service.refresh_from_db()
    assert (service.organisation, service.updated_at) == (organisation, changed_at)
    assert not AuditEvent.objects.filter(actor_label=IMPORT.label).exists()


@pytest.mark.parametrize("part", ["place", "time"])
def test_a_new_listing_that_reuses_another_organisations_place_or_time_is_refused(
    organisation, other_organisation, coordinator, part
):
    theirs = _listing(organisation, coordinator)
    item = _service()
    if part == "place":
        item["service_at_locations"][0]["location"]["id"] = str(theirs.location.public_id)
        where, what = "service_at_locations[0].location.id", "a place of another organisation"
    else:
        item["schedules"][0]["id"] = str(theirs.schedules.get().public_id)
        where, what = "schedules[0].id", "a repeating time of another organisation"
    (problem,) = _refused(other_organisation, _file(item))
    assert problem.startswith(f"item 1 (Bumps and Brews), field {where}: PeerPath knows this id")
    assert what in problem


def test_a_time_of_another_listing_of_the_same_organisation_is_refused(organisation, coordinator):
    first = _listing(organisation, coordinator, name="First")
    item = _service()
    item["schedules"][0]["id"] = str(first.schedules.get().public_id)
    (problem,) = _refused(organisation, _file(item))
    assert "field schedules[0].id: this time belongs to another listing (First)" in problem


# Hostile and broken files: every problem at once, nothing written --------------------------------


def test_one_valid_service_and_one_without_an_id_writes_nothing_and_names_the_second(
    organisation,
):
    second = _service(name="No id here")
    del second["id"]
    assert _refused(organisation, _file(_service(), second)) == [
        "item 2 (No id here), field id: is missing"
    ]


def test_every_problem_in_the_file_is_reported_at_once(organisation):
    problems = _refused(
        organisation,
        _file(_service(email="not an email"), _service(), _service(url="ftp://example.org")),
    )
    assert [p.split(",")[0] for p in problems] == [
        "item 1 (Bumps and Brews)",
        "item 3 (Bumps and Brews)",
    ]


def test_deep_nesting_is_refused(organisation):
    deep: object = "bottom"
    for _ in range(MAX_DEPTH + 5):
        deep = [deep]
    (problem,) = _refused(organisation, _file(_service(extra=deep)))
    assert "field extra" in problem
    assert f"nested more than {MAX_DEPTH} levels deep" in problem


def test_nesting_deeper_than_the_json_reader_can_go_is_refused_as_a_file(organisation):
    raw = b"[" * 100_000 + b"]" * 100_000
    assert _refused(organisation, raw) == [f"file: is nested more than {MAX_DEPTH} levels deep"]


def test_wrong_types_are_refused(organisation):
    problems = _refused(
        organisation, _file(_service(name=42, schedules="every tuesday", phones={"number": 1}))
    )
    assert "field name: must be text, not 42" in problems[0]
    assert any("field schedules: must be a list" in p for p in problems)
    assert any("field phones: must be a list" in p for p in problems)


def test_bad_dates_are_refused(organisation):
    item = _service(assured_date="2026-02-30")
    item["schedules"][0]["dtstart"] = "next tuesday"
    item["schedules"][0]["until"] = "31/12/2026"
    problems = _refused(organisation, _file(item))
    assert any("field assured_date: must be a real date like 2026-03-31" in p for p in problems)
    assert any("field schedules[0].dtstart: must be a real date" in p for p in problems)
    assert any("field schedules[0].until: must be a real date" in p for p in problems)


def test_bad_uuids_are_refused(organisation):
    item = _service(id="not-a-uuid")
    item["service_at_locations"][0]["location"]["id"] = "12345"
    problems = _refused(organisation, _file(item))
    assert any("field id: must be a UUID" in p for p in problems)
    assert any("field service_at_locations[0].location.id: must be a UUID" in p for p in problems)


def test_a_non_numeric_latitude_is_refused(organisation):
    item = _service()
    item["service_at_locations"][0]["location"]["latitude"] = "fifty"
    (problem,) = _refused(organisation, _file(item))
    assert "field service_at_locations[0].location.latitude: must be a number" in problem


def test_a_latitude_off_the_earth_is_refused(organisation):
    item = _service()
    item["service_at_locations"][0]["location"]["latitude"] = 100
    (problem,) = _refused(organisation, _file(item))
    assert "latitude: must be from -90 to 90, not 100" in problem


def test_a_40_mb_description_is_refused_by_the_size_limit(organisation):
    raw = _file(_service(description="x" * 40 * 1024 * 1024))
    assert _refused(organisation, raw) == ["file: is over 5 MB; split it into smaller files"]


def test_a_long_description_within_the_size_limit_is_refused_by_its_length(organisation):
    (problem,) = _refused(organisation, _file(_service(description="x" * 3000)))
    assert "field description: is 3000 characters long; PeerPath holds at most 2252" in problem


def test_a_javascript_website_is_refused(organisation):
    (problem,) = _refused(organisation, _file(_service(url="javascript:alert(document.cookie)")))
    assert "field url: must be a web address starting http:// or https://" in problem


def test_a_bad_email_is_refused(organisation):
    (problem,) = _refused(organisation, _file(_service(email="hello at example")))
    assert "field email: is not an email address" in problem


def test_a_nul_character_is_refused(organisation):
    (problem,) = _refused(organisation, _file(_service(name="Bumps\x00and Brews")))
    assert "field name: contains a NUL character" in problem
    assert _refused(organisation, b'[{"id": "\x00"}]') == ["file: contains a NUL byte"]


def test_not_a_number_and_infinity_are_refused(organisation):
    raw = _file(_service()).replace(b"50.7", b"NaN")
    (problem,) = _refused(organisation, raw)
    assert problem.startswith("file: is not valid JSON")


# Repeating times: only PeerPath's four kinds, built from parsed parts ----------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"freq": "MINUTELY"}, "freq", "must be one of WEEKLY, MONTHLY, not 'MINUTELY'"),
        ({"freq": "WEEKLY;BYSECOND=1,2,3"}, "freq", "must be one of WEEKLY, MONTHLY"),
        ({"byday": "TU;BYHOUR=1,2,3,4,5"}, "byday", "must be one day like TU"),
        ({"byday": "MO,TU,WE"}, "byday", "must be one day like TU"),
        ({"interval": "1;COUNT=100000"}, "interval", "must be a whole number"),
        ({"interval": 7}, "interval", "must be from 1 to 2"),
        ({"bymonthday": "1,2,3"}, "bymonthday", "cannot be imported"),
        ({"count": 500}, "count", "must be 1 (a single session)"),
        ({"freq": "MONTHLY", "byday": "5TU"}, "byday", "must be a week of the month and a day"),
    ],
)
def test_frequencies_and_rule_parts_peerpath_does_not_offer_are_refused(
    organisation, changes, field, words
):
    item = _service()
    item["schedules"][0].update(changes)
    problems = _refused(organisation, _file(item))
    assert any(f"field schedules[0].{field}: {words}" in p for p in problems), problems


def test_a_first_session_in_1900_is_refused(organisation):
    item = _service()
    item["schedules"][0]["dtstart"] = "1900-01-02"
    (problem,) = _refused(organisation, _file(item))
    assert (
        "field schedules[0].dtstart: The first session must be within the last 3 years" in problem
    )


def test_a_first_session_years_ahead_is_refused(organisation):
    item = _service()
    item["schedules"][0]["dtstart"] = (clock.today() + dt.timedelta(days=365 * 3)).isoformat()
    (problem,) = _refused(organisation, _file(item))
    assert "within the next 2 years" in problem


def test_the_four_kinds_of_time_import_as_the_staff_form_would_make_them(organisation):
    tuesday = _next(1)
    item = _service()
    base = item["schedules"][0]
    item["schedules"] = [
        {**base, "id": str(uuid.uuid4())},
        {**base, "id": str(uuid.uuid4()), "interval": 2},
        {**base, "id": str(uuid.uuid4()), "freq": "MONTHLY", "byday": "-1TU"},
        {**base, "id": str(uuid.uuid4()), "count": 1},
    ]
    openreferral_import(_file(item), actor=IMPORT, organisation=organisation)
    rules = list(Schedule.objects.order_by("pk").values_list("rrule", flat=True))
    assert rules == [
        "FREQ=WEEKLY;BYDAY=TU",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        "FREQ=MONTHLY;BYDAY=-1TU",
        "FREQ=DAILY;COUNT=1",
    ]
    once = Schedule.objects.get(rrule="FREQ=DAILY;COUNT=1")
    assert [o.starts_at.date() for o in once.occurrences.all()] == [tuesday]


# Dry run, re-import and changes ----------------------------------------------------------------


def test_a_dry_run_says_what_would_change_and_writes_nothing(organisation, coordinator, tmp_path):
    existing = service_to_hsds(_listing(organisation, coordinator))
    edited = copy.deepcopy(existing)
    edited["name"] = "Tuesday group (new name)"
    new = _service()
    before = _counts()
    out = io.StringIO()
    call_command(
        "import_openreferral",
        _write([edited, new], tmp_path),
        "--organisation",
        organisation.slug,
        "--dry-run",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == f"changed: Tuesday group (new name) ({existing['id']}): fields: name"
    assert lines[1].startswith(f"created: Bumps and Brews ({new['id']}): new place")
    assert lines[-1] == "Dry run: nothing was written (2 services checked)."
    assert _counts() == before
    assert Service.objects.get(public_id=existing["id"]).name == "Tuesday group"


def test_reimporting_its_own_export_changes_nothing(organisation, coordinator):
    service = _listing(organisation, coordinator)
    exported = service_to_hsds(service)
    before, changed_at = _counts(), service.updated_at

    results = openreferral_import(_file(exported), actor=IMPORT, organisation=organisation)
    assert [r.action for r in results] == ["unchanged"]
    assert _counts() == before
    service.refresh_from_db()
    assert service.updated_at == changed_at
    assert service_to_hsds(service) == exported


def test_an_edited_export_is_applied_through_the_services_as_the_import(organisation, coordinator):
    service = _listing(organisation, coordinator)
    mum = make_person(organisation, Role.MEMBER)
    booking_create(actor=mum, occurrence=service.occurrences.earliest("starts_at"))
    edited = service_to_hsds(service)
    edited["name"] = "Tuesday group, Exeter"
    edited["service_at_locations"][0]["location"]["addresses"][0]["address_1"] = "2 Low Street"
    edited["schedules"][0]["closes_at"] = "12:00:00"

    (result,) = openreferral_import(_file(edited), actor=IMPORT, organisation=organisation)
    assert result.action == "changed"
    rows = AuditEvent.objects.filter(actor_label=IMPORT.label, actor__isnull=True)
    assert set(rows.values_list("object_id", "action")) >= {
        (str(service.public_id), "update"),
        (str(service.location.public_id), "update"),
        (str(service.schedules.get().public_id), "update"),
    }
    assert rows.get(object_id=str(service.location.public_id)).fields == ["address"]
    assert rows.get(object_id=str(service.public_id)).fields == ["name"]
    service.refresh_from_db()
    assert (service.name, service.location.address) == ("Tuesday group, Exeter", "2 Low Street")
    session = service.occurrences.earliest("starts_at")
    assert session.ends_at - session.starts_at == dt.timedelta(hours=2)
    assert session.bookings.get().member == mum  # the session stayed, with her place
    # She is told of the new address, through the same hook as a coordinator's change.
    told = Notification.objects.filter(recipient=mum, purpose="session_changed")
    assert list(told.values_list("context__change", flat=True)) == ["place"]


def test_a_listing_taken_down_in_the_file_is_taken_down_and_its_people_told(
    organisation, coordinator
):
    service = _listing(organisation, coordinator)
    mum = make_person(organisation, Role.MEMBER)
    booking_create(actor=mum, occurrence=service.occurrences.earliest("starts_at"))
    edited = service_to_hsds(service) | {"status": "inactive"}

    (result,) = openreferral_import(_file(edited), actor=IMPORT, organisation=organisation)
    assert result.changes == ["taken down"]
    service.refresh_from_db()
    assert not service.is_active
    told = Notification.objects.filter(recipient=mum, purpose="session_changed")
    assert list(told.values_list("context__change", flat=True)) == ["cancelled"]


def test_a_new_listing_keeps_the_files_ids_and_is_audited_as_the_import(organisation):
    item = _service()
    (result,) = openreferral_import(_file(item), actor=IMPORT, organisation=organisation)
    assert result.action == "created"
    service = Service.objects.get(public_id=item["id"])
    assert service.location.public_id == uuid.UUID(
        item["service_at_locations"][0]["location"]["id"]
    )
    assert service.schedules.get().public_id == uuid.UUID(item["schedules"][0]["id"])
    assert service.occurrences.exists()
    created = AuditEvent.objects.filter(action="create", actor_label=IMPORT.label)
    assert set(created.values_list("object_id", flat=True)) == {
        item["id"],
        item["service_at_locations"][0]["location"]["id"],
        item["schedules"][0]["id"],
    }
    again = openreferral_import(_file(item), actor=IMPORT, organisation=organisation)
    assert [r.action for r in again] == ["unchanged"]


def test_the_command_fails_with_a_non_zero_exit_code(organisation, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([_service(url="javascript:alert(1)")]))
    with pytest.raises(CommandError) as refused:
        call_command("import_openreferral", str(path), "--organisation", organisation.slug)
    assert refused.value.returncode == 1
    assert "1 problem." in str(refused.value)


# Defence in depth: rules made anywhere are bounded -----------------------------------------------


def test_a_stored_rule_peerpath_does_not_make_is_not_expanded_and_does_not_spin(organisation):
    service = Service.objects.create(
        organisation=organisation,
        name="Odd",
        kind="peer_group",
        summary="A group.",
        last_checked_on=clock.today(),
    )
    start = dt.datetime.combine(clock.today(), dt.time(10), tzinfo=dt.UTC)
    from peerpath.directory.services import occurrences_expand

    long_ago = dt.datetime(1900, 1, 2, 10, tzinfo=dt.UTC)
    for rule, first in (
        ("FREQ=MINUTELY", start),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", start),
        ("FREQ=WEEKLY;BYHOUR=1,2", start),
        ("FREQ=WEEKLY;BYDAY=TU", long_ago),  # 6,500 weeks to step through before today
    ):
        schedule = Schedule.objects.create(service=service, first_starts_at=first, rrule=rule)
        began = time.monotonic()
        assert occurrences_expand(actor=OPERATOR, schedule=schedule) == 0
        assert time.monotonic() - began < 1


def test_one_expansion_makes_a_bounded_number_of_sessions(organisation):
    from peerpath.directory.recurrence import MAX_SESSIONS_PER_EXPANSION
    from peerpath.directory.services import occurrences_expand

    service = Service.objects.create(
        organisation=organisation,
        name="Weekly",
        kind="peer_group",
        summary="A group.",
        last_checked_on=clock.today(),
    )
    start = dt.datetime.combine(clock.today(), dt.time(10), tzinfo=dt.UTC)
    schedule = Schedule.objects.create(
        service=service, first_starts_at=start, rrule="FREQ=WEEKLY;BYDAY=TU"
    )
    made = occurrences_expand(actor=OPERATOR, schedule=schedule, weeks=52 * 5)
    assert made == MAX_SESSIONS_PER_EXPANSION

    # Past sessions do not count towards the bound: a group running for three years still
    # has its next eight weeks made.
    three_years = Schedule.objects.create(
        service=service,
        first_starts_at=start - dt.timedelta(weeks=52 * 3),
        rrule="FREQ=WEEKLY;BYDAY=TU",
    )
    assert occurrences_expand(actor=OPERATOR, schedule=three_years) in (8, 9)


def test_the_schedule_service_refuses_a_first_session_in_1900(organisation, coordinator):
    from django.core.exceptions import ValidationError

    service = _listing(organisation, coordinator)
    with pytest.raises(ValidationError, match="within the last 3 years"):
        schedule_create(
            actor=coordinator,
            service=service,
            first_starts_at=dt.datetime(1900, 1, 2, 10, tzinfo=dt.UTC),
            duration_minutes=90,
            recurrence=Recurrence(Repeats.WEEKLY, 1),
        )


def _write(data: object, folder) -> str:
    path = folder / f"{uuid.uuid4()}.json"
    path.write_text(json.dumps(data))
    return str(path)


@pytest.mark.parametrize(
    ("raw_change", "field", "words"),
    [
        # A whole number too big for a float (10**400) is a problem line, not a traceback.
        (("50.7", "1" + "0" * 400), "latitude", "must be a number"),
        (('"interval": 1', '"interval": ' + "9" * 400), "interval", "must be a whole number"),
        # A lone surrogate passes json.loads but cannot be stored.
        (("Bumps and Brews", "Bumps \\ud800 Brews"), "name", "contains a broken character"),
    ],
)
def test_numbers_too_big_for_a_float_and_broken_characters_are_refused(
    organisation, raw_change, field, words
):
    old, new = raw_change
    raw = _file(_service()).replace(old.encode(), new.encode(), 1)
    (problem,) = _refused(organisation, raw)
    assert f"field {field}" in problem or f".{field}" in problem, problem
    assert words in problem, problem


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"url": "https://user:pass@evil.example/"}, "url", "must not hold a user name"),
        ({"url": "https://g\u043e\u043egle.com/"}, "url", "plain letters"),
        ({"name": "\u200b\u200b"}, "name", "invisible or direction-reversing"),
        ({"name": "Bumps \u202eswerB"}, "name", "invisible or direction-reversing"),
    ],
)
def test_links_and_names_that_read_as_something_else_are_refused(
    organisation, changes, field, words
):
    (problem,) = _refused(organisation, _file(_service(**changes)))
    assert field in problem, problem
    assert words in problem, problem
