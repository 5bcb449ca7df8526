"""Listings in the Open Referral UK / HSDS 3.0 shape, so other directories can carry them.

Every id is stable: our own public ids, or UUIDv5 names derived from them for the parts we do
not store as rows (phones, addresses, attributes). Kinds, who a listing is for and what
children may come are HSDS attributes in PeerPath's own taxonomy. Importing is in
``openreferral_import``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from peerpath.accounts.choices import Language
from peerpath.directory.choices import Family, ForWhom, Kind
from peerpath.directory.models import Schedule, Service
from peerpath.directory.recurrence import Recurrence, hsds_parts

NAMESPACE = uuid.UUID("6f0d6c3e-2f61-4a53-9a4b-6a43c4b9d1a1")
TAXONOMY = "PeerPath"
TAXONOMIES: dict[str, Any] = {"kind": Kind, "for_whom": ForWhom, "family": Family}


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def _schedule(schedule: Schedule) -> dict[str, Any]:
    start = timezone.localtime(schedule.first_starts_at)
    end = start + schedule.duration
    parts = hsds_parts(schedule.rrule, start.replace(tzinfo=None))
    shape = Recurrence.from_rule(schedule.rrule, start.replace(tzinfo=None))
    data: dict[str, Any] = {
        "id": str(schedule.public_id),
        "service_id": str(schedule.service.public_id),
        "dtstart": start.date().isoformat(),
        "freq": parts.get("freq", "WEEKLY"),
        "interval": parts.get("interval", 1),
        "byday": parts.get("byday", ""),
        "opens_at": start.time().isoformat(timespec="seconds"),
        "closes_at": end.time().isoformat(timespec="seconds"),
        "description": f"RRULE:{shape.text if shape else schedule.rrule}",
    }
    for key in ("bymonthday", "count"):
        if key in parts:
            data[key] = parts[key]
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
