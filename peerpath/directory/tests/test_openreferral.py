"""Exports validate against the published HSDS 3.0 JSON schemas (from the shared reference)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from jsonschema.validators import validator_for

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
    page = client.get(reverse("openreferral_services"), {"per_page": 100}).json()
    list_item_schema = _validator("service_list.json")  # one service as a list returns it
    assert page["total_items"] == 40
    assert (page["page_number"], page["total_pages"], page["empty"]) == (1, 1, False)
    for service in page["contents"]:
        assert _errors(service_schema, service) == [], service["name"]
        assert _errors(list_item_schema, service) == [], service["name"]


def test_an_export_carries_kind_stage_children_place_and_schedule(client, organisation):
    seed_directory(organisation)
    page = client.get(reverse("openreferral_services"), {"per_page": 100}).json()
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
    one = client.get(reverse("openreferral_service", kwargs={"public_id": walk["id"]})).json()
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
    service = client.get(reverse("openreferral_services")).json()["contents"][0]
    service["schedules"] = [{"id": "not-a-uuid", "freq": "DAILY"}]
    del service["status"]
    problems = " ".join(_errors(_validator("service.json"), service))
    assert "'status' is a required property" in problems
    assert "'DAILY' is not one of" in problems


EXAMPLES = SCHEMAS.parent / "examples"


def test_import_of_an_export_gives_back_the_same_export(client, organisation):
    from peerpath.directory.models import Location, Occurrence, Schedule, Service
    from peerpath.directory.openreferral import service_from_hsds

    seed_directory(organisation)
    before = client.get(reverse("openreferral_services"), {"per_page": 100}).json()["contents"]
    Occurrence.objects.all().delete()
    Schedule.objects.all().delete()
    Service.objects.all().delete()
    Location.objects.all().delete()
    for service in before:
        service_from_hsds(service, organisation=organisation)
    after = client.get(reverse("openreferral_services"), {"per_page": 100}).json()["contents"]
    for item in (*before, *after):
        item.pop("last_modified")
    assert after == before


def test_the_published_example_imports_with_what_peerpath_can_hold(organisation):
    out = io.StringIO()
    call_command(
        "import_openreferral",
        str(EXAMPLES / "service_full.json"),
        "--organisation",
        organisation.slug,
        stdout=out,
    )
    from peerpath.directory.models import Service

    example = json.loads((EXAMPLES / "service_full.json").read_text())
    service = Service.objects.get(public_id=example["id"])
    assert service.name == example["name"]
    assert service.kind == "other"
    assert service.website == example["url"]
    assert (
        service.location.area
        == example["service_at_locations"][0]["location"]["addresses"][0]["city"]
    )
    assert "ur" in service.languages
    assert service.schedules.count() == len(example["schedules"])
    assert "Imported 1 services." in out.getvalue()


def test_importing_a_file_that_is_not_json_says_so(organisation, tmp_path):
    from django.core.management import CommandError

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="Could not read"):
        call_command("import_openreferral", str(broken), "--organisation", organisation.slug)
