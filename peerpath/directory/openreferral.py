"""Listings in the Open Referral UK / HSDS 3.0 shape, so other directories can carry them.

Every id is stable: our own public ids, or UUIDv5 names derived from them for the parts we do
not store as rows (phones, addresses, attributes). Kinds, who a listing is for and what
children may come are HSDS attributes in PeerPath's own taxonomy.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerpath.accounts.choices import Language
from peerpath.accounts.models import Organisation
from peerpath.core import clock
from peerpath.directory.choices import Family, ForWhom, Kind
from peerpath.directory.models import Location, Schedule, Service
from peerpath.directory.services import occurrences_expand

NAMESPACE = uuid.UUID("6f0d6c3e-2f61-4a53-9a4b-6a43c4b9d1a1")
TAXONOMY = "PeerPath"
TAXONOMIES: dict[str, Any] = {"kind": Kind, "for_whom": ForWhom, "family": Family}


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def _rule(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split(";") if "=" in part)


def _schedule(schedule: Schedule) -> dict[str, Any]:
    rule = _rule(schedule.rrule)
    start = timezone.localtime(schedule.first_starts_at)
    end = start + schedule.duration
    data: dict[str, Any] = {
        "id": str(schedule.public_id),
        "service_id": str(schedule.service.public_id),
        "dtstart": start.date().isoformat(),
        "freq": rule.get("FREQ", "WEEKLY"),
        "interval": int(rule.get("INTERVAL", "1")),
        "byday": rule.get("BYDAY", ""),
        "opens_at": start.time().isoformat(timespec="seconds"),
        "closes_at": end.time().isoformat(timespec="seconds"),
        "description": f"RRULE:{schedule.rrule}",
    }
    if "BYMONTHDAY" in rule:
        data["bymonthday"] = rule["BYMONTHDAY"]
    if schedule.until:
        data["until"] = schedule.until.isoformat()
    return data


def _attribute(service: Service, group: str, value: str) -> dict[str, Any]:
    label = str(dict(TAXONOMIES[group].choices).get(value, value))
    return {
        "id": _id(service.public_id, "attribute", group, value),
        "link_id": str(service.public_id),
        "link_type": group,
        "link_entity": "service",
        "taxonomy_term_id": _id("term", group, value),
        "taxonomy_term": {
            "id": _id("term", group, value),
            "code": f"{group}:{value}",
            "name": label,
            "description": label,
            "taxonomy": TAXONOMY,
        },
    }


def service_to_hsds(service: Service) -> dict[str, Any]:
    """One service with its organisation, location, schedules and attributes."""
    organisation = service.organisation
    languages = dict(Language.choices)
    data: dict[str, Any] = {
        "id": str(service.public_id),
        "organization_id": str(organisation.public_id),
        "name": service.name,
        "description": service.summary,
        "status": "active" if service.is_active else "inactive",
        "application_process": service.how_to_join,
        "fees_description": "Free" if service.is_free else service.cost,
        "eligibility_description": ", ".join(service.for_whom_labels),
        "assured_date": service.last_checked_on.isoformat(),
        "last_modified": service.updated_at.isoformat(timespec="milliseconds"),
        "organization": {
            "id": str(organisation.public_id),
            "name": organisation.name,
            "description": service.provider_name or organisation.name,
            **({"email": organisation.contact_email} if organisation.contact_email else {}),
        },
        "languages": [
            {
                "id": _id(service.public_id, "language", code),
                "name": str(languages.get(code, code)),
                "code": code,
            }
            for code in service.languages
        ],
        "phones": (
            [{"id": _id(service.public_id, "phone"), "number": service.phone}]
            if service.phone
            else []
        ),
        "schedules": [_schedule(s) for s in service.schedules.all()],
        "attributes": [
            _attribute(service, "kind", service.kind),
            *[_attribute(service, "for_whom", v) for v in service.for_whom],
            *[_attribute(service, "family", v) for v in service.family],
        ],
        "service_at_locations": [],
    }
    if service.email:
        data["email"] = service.email
    if service.website:
        data["url"] = service.website
    if service.what_you_do:
        data["description"] = f"{service.summary}\n\n{service.what_you_do}"
    location = service.location
    if location is not None:
        data["service_at_locations"].append(
            {
                "id": _id(service.public_id, "at", location.public_id),
                "service_id": str(service.public_id),
                "location": {
                    "id": str(location.public_id),
                    "location_type": "physical",
                    "name": location.name,
                    "transportation": location.directions,
                    **(
                        {"latitude": location.latitude, "longitude": location.longitude}
                        if location.latitude is not None and location.longitude is not None
                        else {}
                    ),
                    "addresses": [
                        {
                            "id": _id(location.public_id, "address"),
                            "location_id": str(location.public_id),
                            "address_1": location.address,
                            "city": location.area,
                            "state_province": "",
                            "postal_code": location.postcode,
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        )
    elif service.online:
        data["service_at_locations"].append(
            {
                "id": _id(service.public_id, "online"),
                "service_id": str(service.public_id),
                "location": {
                    "id": _id(service.public_id, "virtual"),
                    "location_type": "virtual",
                    "name": "Online",
                },
            }
        )
    return data


def services_for_export() -> Any:
    return (
        Service.objects.filter(is_active=True)
        .select_related("organisation", "location")
        .prefetch_related("schedules__service")
        .order_by("name", "pk")
    )


def service_page(*, page: int, size: int) -> dict[str, Any]:
    """A page in the HSDS API's list shape."""
    services = services_for_export()
    total = services.count()
    pages = max((total + size - 1) // size, 1)
    page = min(max(page, 1), pages)
    contents = [service_to_hsds(s) for s in services[(page - 1) * size : page * size]]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page == pages,
        "empty": not contents,
        "contents": contents,
    }


# Import ---------------------------------------------------------------------------------------


def _rrule_from(schedule: dict[str, Any]) -> str:
    parts = [f"FREQ={schedule.get('freq') or 'WEEKLY'}"]
    if schedule.get("interval") and int(schedule["interval"]) != 1:
        parts.append(f"INTERVAL={int(schedule['interval'])}")
    for key in ("byday", "bymonthday"):
        if schedule.get(key):
            parts.append(f"{key.upper()}={schedule[key]}")
    return ";".join(parts)


def _time(value: str | None, default: dt.time) -> dt.time:
    try:
        return dt.time.fromisoformat(value) if value else default
    except ValueError:
        return default


def _fit(model: Any, name: str, value: object) -> str:
    """Text cut to the column's length: other directories' fields can be longer than ours."""
    text = "" if value is None else str(value)
    limit = model._meta.get_field(name).max_length
    return text[:limit] if limit else text


def _terms(data: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {group: [] for group in TAXONOMIES}
    for attribute in data.get("attributes") or []:
        code = str((attribute.get("taxonomy_term") or {}).get("code") or "")
        group, _, value = code.partition(":")
        if group in TAXONOMIES and value in TAXONOMIES[group].values:
            found[group].append(value)
    return found


@transaction.atomic
def service_from_hsds(data: dict[str, Any], *, organisation: Organisation) -> Service:
    """Create or update one listing from HSDS 3.0 JSON (ours, or another directory's)."""
    terms = _terms(data)
    description = str(data.get("description") or "")
    summary, _, what = description.partition("\n\n")
    fees = str(data.get("fees_description") or "")
    phones = data.get("phones") or []
    places = data.get("service_at_locations") or []
    location_data = (places[0].get("location") or {}) if places else {}
    online = location_data.get("location_type") == "virtual"
    location = None
    if location_data and not online:
        address = (location_data.get("addresses") or [{}])[0]
        location, _ = Location.objects.update_or_create(
            public_id=location_data["id"],
            defaults={
                "organisation": organisation,
                "name": _fit(
                    Location, "name", location_data.get("name") or address.get("address_1")
                ),
                "address": _fit(Location, "address", address.get("address_1")),
                "area": _fit(Location, "area", address.get("city")),
                "postcode": _fit(Location, "postcode", address.get("postal_code")),
                "latitude": location_data.get("latitude"),
                "longitude": location_data.get("longitude"),
                "directions": location_data.get("transportation") or "",
            },
        )
    checked = data.get("assured_date")
    organisation_data = data.get("organization") or {}
    provider = str(organisation_data.get("description") or organisation_data.get("name") or "")
    service, _ = Service.objects.update_or_create(
        public_id=data["id"],
        defaults={
            "organisation": organisation,
            "provider_name": ""
            if provider == organisation.name
            else _fit(Service, "provider_name", provider),
            "name": _fit(Service, "name", data["name"]),
            "kind": (terms["kind"] or [Kind.OTHER])[0],
            "summary": summary[:250],
            "what_you_do": what,
            "for_whom": terms["for_whom"],
            "family": terms["family"],
            "languages": [lang["code"] for lang in data.get("languages") or [] if lang.get("code")],
            "is_free": fees.strip().lower() in {"", "free"},
            "cost": "" if fees.strip().lower() in {"", "free"} else _fit(Service, "cost", fees),
            "online": online,
            "location": location,
            "how_to_join": str(data.get("application_process") or ""),
            "phone": _fit(Service, "phone", phones[0]["number"]) if phones else "",
            "email": _fit(Service, "email", data.get("email")),
            "website": _fit(Service, "website", data.get("url")),
            "last_checked_on": dt.date.fromisoformat(checked) if checked else clock.today(),
            "is_active": data.get("status", "active") == "active",
        },
    )
    zone = timezone.get_current_timezone()
    for item in data.get("schedules") or []:
        if not item.get("dtstart"):
            continue
        opens = _time(item.get("opens_at"), dt.time(10, 0))
        closes = _time(item.get("closes_at"), dt.time(11, 30))
        start = timezone.make_aware(
            dt.datetime.combine(dt.date.fromisoformat(item["dtstart"]), opens), zone
        )
        minutes = dt.datetime.combine(dt.date.min, closes) - dt.datetime.combine(dt.date.min, opens)
        schedule, _ = Schedule.objects.update_or_create(
            public_id=item["id"],
            defaults={
                "service": service,
                "first_starts_at": start,
                "duration_minutes": max(int(minutes.total_seconds() // 60), 15),
                "rrule": _rrule_from(item),
                "until": dt.date.fromisoformat(item["until"][:10]) if item.get("until") else None,
            },
        )
        occurrences_expand(schedule=schedule)
    return service
