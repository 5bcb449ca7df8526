"""Exports validate against the published HSDS 3.0 JSON schemas (from the shared reference)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from jsonschema.validators import validator_for

from peerpath.core import clock
from peerpath.directory.demo import seed_directory

SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "reference" / "hsds-3.0" / "schema"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not SCHEMAS.exists(),
        reason=f"The HSDS 3.0 schemas are not at {SCHEMAS} (they are in development and CI).",
    ),
]


def _validator(name: str):
    schema = json.loads((SCHEMAS / name).read_text())
    cls = validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _errors(validator, instance) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def test_every_demo_listing_exports_as_valid_hsds(client, organisation):
    seed_directory(organisation)
    service_schema = _validator("service.json")
    page = client.get(reverse("directory:openreferral_services"), {"per_page": 100}).json()
    list_item_schema = _validator("service_list.json")  # one service as a list returns it
    assert page["total_items"] == 40
    assert (page["page_number"], page["total_pages"], page["empty"]) == (1, 1, False)
    for service in page["contents"]:
        assert _errors(service_schema, service) == [], service["name"]
        assert _errors(list_item_schema, service) == [], service["name"]


def test_an_export_carries_kind_stage_children_place_and_schedule(client, organisation):
    seed_directory(organisation)
    page = client.get(reverse("directory:openreferral_services"), {"per_page": 100}).json()
    walk = next(s for s in page["contents"] if s["name"] == "Walk and Talk, Topsham")
    codes = {a["taxonomy_term"]["code"] for a in walk["attributes"]}
    assert {"kind:activity_group", "for_whom:baby_0_12", "family:buggy_access"} <= codes
    (schedule,) = walk["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"]) == (
        "WEEKLY",
        "FR",
        "10:00:00",
    )
    address = walk["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["city"], address["postal_code"]) == ("Topsham", "EX3 0JN")
    one = client.get(
        reverse("directory:openreferral_service", kwargs={"public_id": walk["id"]})
    ).json()
    assert one == walk


def test_the_export_command_writes_the_same_services(organisation):
    seed_directory(organisation)
    out = io.StringIO()
    call_command("export_openreferral", stdout=out)
    services = json.loads(out.getvalue())
    assert len(services) == 40
    assert {s["status"] for s in services} == {"active"}


def test_the_schema_check_would_catch_a_bad_export(client, organisation):
    seed_directory(organisation)
    service = client.get(reverse("directory:openreferral_services")).json()["contents"][0]
    service["schedules"] = [{"id": "not-a-uuid", "freq": "DAILY"}]
    del service["status"]
    problems = " ".join(_errors(_validator("service.json"), service))
    assert "'status' is a required property" in problems
    assert "'DAILY' is not one of" in problems


EXAMPLES = SCHEMAS.parent / "examples"


def test_import_of_an_export_gives_back_the_same_export(client, organisation):
    from peerpath.core.actors import IMPORT
    from peerpath.directory.models import Location, Occurrence, Schedule, Service
    from peerpath.directory.openreferral_import import openreferral_import

    seed_directory(organisation)
    before = client.get(reverse("directory:openreferral_services"), {"per_page": 100}).json()[
        "contents"
    ]
    Occurrence.objects.all().delete()
    Schedule.objects.all().delete()
    Service.objects.all().delete()
    Location.objects.all().delete()
    results = openreferral_import(
        json.dumps(before).encode(), actor=IMPORT, organisation=organisation
    )
    assert {result.action for result in results} == {"created"}
    after = client.get(reverse("directory:openreferral_services"), {"per_page": 100}).json()[
        "contents"
    ]
    for item in (*before, *after):
        item.pop("last_modified")
    assert after == before


def _import_example(organisation, example, tmp_path) -> str:
    path = tmp_path / "example.json"
    path.write_text(json.dumps(example))
    out = io.StringIO()
    call_command("import_openreferral", str(path), "--organisation", organisation.slug, stdout=out)
    return out.getvalue()


def test_the_published_example_is_refused_naming_what_peerpath_cannot_hold(organisation, tmp_path):
    from django.core.management import CommandError

    from peerpath.directory.models import Service

    example = json.loads((EXAMPLES / "service_full.json").read_text())
    with pytest.raises(CommandError) as refused:
        _import_example(organisation, example, tmp_path)
    problems = str(refused.value).splitlines()[1:]
    fields = {problem.split(", field ")[1].split(":")[0] for problem in problems}
    assert {
        "fees_description",  # over 100 characters
        "service_at_locations[0].location.latitude",  # 100: off the earth
        "service_at_locations[0].location.addresses[0].postal_code",  # not a UK postcode
        "schedules[0].byday",  # two days: PeerPath's times are on one day
        "schedules[0].bymonthday",
        "schedules[0].count",
    } <= fields
    assert all(problem.startswith("item 1 (Community Counselling), field ") for problem in problems)
    assert not Service.objects.exists()


def test_the_published_example_imports_with_what_peerpath_can_hold(organisation, tmp_path):
    from peerpath.directory.models import Service

    example = json.loads((EXAMPLES / "service_full.json").read_text())
    example["description"] = example["description"][:200]
    example["fees_description"] = "£50 an hour for non-NHS patients"
    location = example["service_at_locations"][0]["location"]
    location["latitude"], location["longitude"] = 50.72, -3.53
    location["addresses"][0]["postal_code"] = "EX1 1AA"
    (schedule,) = example["schedules"]
    dtstart = clock.today() + dt.timedelta(days=7)
    schedule.update({"dtstart": dtstart.isoformat(), "byday": "TH", "until": None, "count": None})
    for key in ("bymonthday", "byweekno", "byyearday"):
        schedule.pop(key)

    out = _import_example(organisation, example, tmp_path)
    service = Service.objects.get(public_id=example["id"])
    assert service.name == example["name"]
    assert service.kind == "other"
    assert service.website == example["url"]
    assert (service.is_free, service.cost) == (False, "£50 an hour for non-NHS patients")
    assert (
        service.location.area
        == example["service_at_locations"][0]["location"]["addresses"][0]["city"]
    )
    assert "ur" in service.languages
    assert service.schedules.get().rrule == "FREQ=WEEKLY;BYDAY=TH"
    assert "Imported 1 services." in out


def test_importing_a_file_that_is_not_json_says_so(organisation, tmp_path):
    from django.core.management import CommandError

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="file: is not valid JSON"):
        call_command("import_openreferral", str(broken), "--organisation", organisation.slug)


def _hsds_property(schema: dict, path: list[str]) -> dict | None:
    node = schema
    for name in path:
        if node.get("type") == "array":
            node = node["items"]
        node = node.get("properties", {}).get(name)
        if node is None:
            return None
    return node


def test_what_the_import_reads_has_the_types_hsds_gives_it():
    """PeerPath's own checks (no schema at run time) agree with HSDS 3.0 on every field."""
    from peerpath.directory.openreferral_import import SERVICE

    schema = json.loads((SCHEMAS / "service.json").read_text())
    words = {
        "text": {"string"},
        "uuid": {"string"},
        "date": {"string"},
        "number": {"number"},
        "integer": {"number", "integer"},
        "list": {"array"},
        "object": {"object"},
    }
    checked = 0

    def walk(spec, path):
        nonlocal checked
        for name, sub in spec.fields.items():
            here = [*path, name]
            hsds = _hsds_property(schema, here)
            assert hsds is not None, ".".join(here)
            assert hsds["type"] in words[sub.kind], (".".join(here), hsds["type"])
            if sub.kind == "uuid":
                assert hsds.get("format") == "uuid", ".".join(here)
            checked += 1
            target = sub.items if sub.kind == "list" else sub
            if target is not None and target.fields:
                walk(target, here)

    walk(SERVICE, [])
    assert checked > 50


def test_an_export_passes_the_import_checks_and_hsds(client, organisation):
    from peerpath.core.actors import IMPORT
    from peerpath.directory.openreferral_import import openreferral_import

    seed_directory(organisation)
    page = client.get(reverse("directory:openreferral_services"), {"per_page": 100}).json()
    results = openreferral_import(
        json.dumps(page).encode(), actor=IMPORT, organisation=organisation, dry_run=True
    )
    assert {result.action for result in results} == {"unchanged"}
