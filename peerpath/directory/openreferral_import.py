"""Importing Open Referral UK / HSDS 3.0 listings into one organisation, the file checked whole.

An import works only within the organisation it is given: any id in the file that PeerPath
knows as another organisation's (a listing, a place, a time, a session, the organisation
itself) is refused. The whole file is checked before anything is written: its size, nesting
and text lengths, the shape of what PeerPath reads (types as HSDS 3.0 gives them), and
PeerPath's own rules (web links, emails, postcodes, dates, the four kinds of repeating time).
Every problem is reported at once, as "item N (name), field F: message", and then nothing is
written. A file that passes is applied in one transaction through the directory's services,
as ``IMPORT``, so every change is audited and the people booked are told (the same hooks as a
coordinator's changes). A dry run says what would change and writes nothing.

The checks here are PeerPath's own code (``jsonschema`` is a development tool only); the tests
hold them against the published HSDS 3.0 schemas.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import uuid
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypedDict
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from peerpath.accounts.choices import Language
from peerpath.accounts.models import Organisation
from peerpath.core import clock
from peerpath.core.services import UNSET
from peerpath.directory import services
from peerpath.directory.choices import Family, ForWhom, Kind
from peerpath.directory.geo import looks_like_postcode
from peerpath.directory.models import Location, Occurrence, Schedule, Service
from peerpath.directory.recurrence import (
    LAST,
    WEEKDAY_CODES,
    Recurrence,
    RecurrenceError,
    Repeats,
    check_duration,
)

if TYPE_CHECKING:
    from peerpath.core.actors import Actor

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 12  # inside one service (the published full example is 10 deep)
MAX_SERVICES = 500
MAX_TEXT_ANYWHERE = 10_000  # any text in the file, even in fields PeerPath does not read
MAX_ITEMS_ANYWHERE = 1_000  # any list in the file
MAX_KEY_LENGTH = 100
MAX_PROBLEMS = 200
SUMMARY_LENGTH = 250
WHAT_YOU_DO_LENGTH = 2000
DEFAULT_MINUTES = 90
PROVIDER_LENGTH = 150


# Problems -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file; ``item`` counts services from 1 (None: the whole file)."""

    message: str
    item: int | None = None
    label: str = ""
    field: str = ""

    def __str__(self) -> str:
        if self.item is None:
            return f"file: {self.message}"
        return (
            f"item {self.item} ({self.label}), field {self.field or '(the whole item)'}: "
            f"{self.message}"
        )


class ImportRefusedError(Exception):
    """The file was refused; nothing was written. ``problems`` says everything wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


# The shape PeerPath reads (as HSDS 3.0 types it) ----------------------------------------------

FieldKind = Literal["text", "uuid", "date", "number", "integer", "list", "object"]


@dataclass(frozen=True)
class Spec:
    kind: FieldKind
    max_length: int | None = None
    required: bool = False
    fields: Mapping[str, Spec] = field(default_factory=dict)
    items: Spec | None = None
    max_items: int | None = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    too_many: str = ""


def _text(length: int, **kwargs: Any) -> Spec:
    return Spec("text", max_length=length, **kwargs)


ID = Spec("uuid")
DATE = Spec("date")
PHONE = Spec("object", fields={"id": ID, "number": _text(40, required=True)})
LANGUAGE = Spec("object", fields={"id": ID, "code": _text(10), "name": _text(100)})
ADDRESS = Spec(
    "object",
    fields={
        "id": ID,
        "location_id": ID,
        "address_1": _text(250),
        "city": _text(80),
        "postal_code": _text(10),
    },
)
LOCATION = Spec(
    "object",
    fields={
        "id": Spec("uuid", required=True),
        "location_type": _text(20, choices=("physical", "postal", "virtual")),
        "name": _text(150),
        "transportation": _text(1000),
        "latitude": Spec("number", minimum=-90, maximum=90),
        "longitude": Spec("number", minimum=-180, maximum=180),
        "addresses": Spec("list", items=ADDRESS, max_items=10),
    },
)
SCHEDULE = Spec(
    "object",
    fields={
        "id": Spec("uuid", required=True),
        "service_id": ID,
        "location_id": ID,
        "service_at_location_id": ID,
        "dtstart": Spec("date", required=True),
        "until": DATE,
        "valid_from": DATE,
        "valid_to": DATE,
        "freq": _text(10, choices=("WEEKLY", "MONTHLY")),
        "interval": Spec("integer", minimum=1, maximum=2),
        "count": Spec("integer", minimum=1),
        "byday": _text(20),
        "bymonthday": _text(100),
        "byweekno": _text(100),
        "byyearday": _text(100),
        "wkst": _text(2, choices=WEEKDAY_CODES),
        "opens_at": _text(25, required=True),
        "closes_at": _text(25),
        "timezone": Spec("number"),
        "description": _text(1000),
    },
)
ATTRIBUTE = Spec(
    "object",
    fields={
        "id": ID,
        "link_id": ID,
        "taxonomy_term_id": ID,
        "taxonomy_term": Spec("object", fields={"id": ID, "code": _text(100)}),
    },
)
ORGANISATION = Spec(
    "object", fields={"id": ID, "name": _text(250), "description": _text(MAX_TEXT_ANYWHERE)}
)
SERVICE = Spec(
    "object",
    fields={
        "id": Spec("uuid", required=True),
        "organization_id": ID,
        "name": _text(150, required=True),
        "description": _text(SUMMARY_LENGTH + 2 + WHAT_YOU_DO_LENGTH),
        "status": _text(20, choices=("active", "inactive", "defunct", "temporarily closed")),
        "url": _text(200),
        "email": _text(254),
        "application_process": _text(1000),
        "fees_description": _text(100),
        "assured_date": DATE,
        "organization": ORGANISATION,
        "phones": Spec("list", items=PHONE, max_items=20),
        "languages": Spec("list", items=LANGUAGE, max_items=50),
        "schedules": Spec("list", items=SCHEDULE, max_items=20),
        "attributes": Spec("list", items=ATTRIBUTE, max_items=200),
        "service_at_locations": Spec(
            "list",
            items=Spec("object", fields={"id": ID, "service_id": ID, "location": LOCATION}),
            max_items=1,
            too_many="PeerPath holds one place per listing: make one listing for each place",
        ),
    },
)

_KIND_WORDS = {
    "text": "text",
    "uuid": "a UUID (like 6f0d6c3e-2f61-4a53-9a4b-6a43c4b9d1a1)",
    "date": "a date like 2026-03-31",
    "number": "a number",
    "integer": "a whole number",
    "list": "a list",
    "object": "an object (with fields)",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$")
_MONTHLY_DAY = re.compile(r"^([+-]?)(\d)([A-Z]{2})$")


def _path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."  # noqa: PLR2004


def _uuid(value: object) -> uuid.UUID | None:
    if not isinstance(value, str) or len(value) != 36:  # noqa: PLR2004  (8-4-4-4-12)
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


MAX_NUMBER = 10**12  # larger than any count, interval or coordinate; floats cannot hold 10**400


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return abs(value) <= MAX_NUMBER


# Characters that reverse or hide text (bidi overrides and isolates, zero-width characters):
# a name or link made of them can read as something else, or as nothing at all.
_HIDING = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _kind_matches(spec: Spec, value: object) -> bool:
    if spec.kind in ("text", "uuid", "date"):
        return isinstance(value, str)
    if spec.kind == "number":
        return _is_number(value)
    if spec.kind == "integer":
        return _is_number(value) and float(value).is_integer()  # type: ignore[arg-type]
    if spec.kind == "list":
        return isinstance(value, list)
    return isinstance(value, dict)


def _check_shape(spec: Spec, value: object, path: str) -> Iterator[tuple[str, str]]:  # noqa: PLR0912
    """(field, message) for every way ``value`` does not fit ``spec``."""
    if value is None and not spec.required:
        return
    if not _kind_matches(spec, value):
        yield path, f"must be {_KIND_WORDS[spec.kind]}, not {_shown(value)}"
        return
    if isinstance(value, str):
        if spec.choices and value not in spec.choices:
            yield path, f"must be one of {', '.join(spec.choices)}, not {_shown(value)}"
        elif spec.max_length is not None and len(value) > spec.max_length:
            yield (
                path,
                (f"is {len(value)} characters long; PeerPath holds at most {spec.max_length}"),
            )
        elif spec.required and not value.strip():
            yield path, "is empty"
        elif spec.kind == "uuid" and _uuid(value) is None:
            yield path, f"must be {_KIND_WORDS['uuid']}, not {_shown(value)}"
        elif spec.kind == "date" and _date(value) is None:
            yield path, f"must be a real date like 2026-03-31, not {_shown(value)}"
    elif _is_number(value):
        number = float(value)  # type: ignore[arg-type]
        low, high = spec.minimum, spec.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
            yield path, f"must be {bounds}, not {_shown(value)}"
    elif isinstance(value, list):
        if spec.max_items is not None and len(value) > spec.max_items:
            yield (
                path,
                spec.too_many
                or (f"has {len(value)} entries; PeerPath takes at most {spec.max_items}"),
            )
        elif spec.items is not None:
            for index, entry in enumerate(value):
                yield from _check_shape(spec.items, entry, _path(path, index))
    elif isinstance(value, dict):
        for name, sub in spec.fields.items():
            if name not in value:
                if sub.required:
                    yield _path(path, name), "is missing"
                continue
            yield from _check_shape(sub, value[name], _path(path, name))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_anywhere(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Limits on everything in an item, read or not: nesting, text, lists, NUL characters."""
    stack: list[tuple[object, str, int]] = [(value, path, 1)]
    while stack:
        current, where, depth = stack.pop()
        if isinstance(current, dict | list) and depth > MAX_DEPTH:
            yield where, f"is nested more than {MAX_DEPTH} levels deep"
            continue
        if isinstance(current, str):
            if "\x00" in current:
                yield where, "contains a NUL character"
            elif not _encodable(current):
                yield where, "contains a broken character (an unpaired \\ud800-style escape)"
            elif _HIDING.search(current):
                yield where, "contains invisible or direction-reversing characters"
            elif len(current) > MAX_TEXT_ANYWHERE:
                yield (
                    where,
                    (
                        f"is {len(current)} characters long; PeerPath reads at most "
                        f"{MAX_TEXT_ANYWHERE} in any field"
                    ),
                )
        elif isinstance(current, list):
            if len(current) > MAX_ITEMS_ANYWHERE:
                yield where, f"has more than {MAX_ITEMS_ANYWHERE} entries"
                continue
            stack.extend(
                (entry, _path(where, index), depth + 1) for index, entry in enumerate(current)
            )
        elif isinstance(current, dict):
            for key, entry in current.items():
                if "\x00" in key or len(key) > MAX_KEY_LENGTH:
                    yield where, "has a field name with a NUL character or over 100 characters"
                    continue
                stack.append((entry, _path(where, key), depth + 1))


# Reading the file -----------------------------------------------------------------------------


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def read_services(raw: bytes) -> list[object]:
    """The services in a file: one service, a list of services, or an API page with
    ``contents``. Raises ImportRefusedError for a file that is too big, not JSON, or too deep."""
    if len(raw) > MAX_FILE_BYTES:
        raise ImportRefusedError(
            [Problem(f"is over {MAX_FILE_BYTES // (1024 * 1024)} MB; split it into smaller files")]
        )
    if b"\x00" in raw:
        raise ImportRefusedError([Problem("contains a NUL byte")])
    try:
        text = raw.decode("utf-8-sig")
        document = json.loads(text, parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise ImportRefusedError([Problem("is not UTF-8 text")]) from None
    except RecursionError:
        raise ImportRefusedError(
            [Problem(f"is nested more than {MAX_DEPTH} levels deep")]
        ) from None
    except ValueError as error:
        raise ImportRefusedError([Problem(f"is not valid JSON ({error})")]) from None
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items: list[object] = document["contents"]
    elif isinstance(document, dict):
        items = [document]
    elif isinstance(document, list):
        items = document
    else:
        raise ImportRefusedError(
            [Problem("must be one service, a list of services, or a page with 'contents'")]
        )
    if len(items) > MAX_SERVICES:
        raise ImportRefusedError(
            [Problem(f"has {len(items)} services; import at most {MAX_SERVICES} at a time")]
        )
    if not items:
        raise ImportRefusedError([Problem("has no services in it")])
    return items


# PeerPath's own rules, item by item -----------------------------------------------------------


class ImportedListing(TypedDict):
    """The listing's fields an import sets: keyword arguments of ``service_create`` and
    ``service_update`` (the rest, such as booking and facilitators, keep their values)."""

    name: str
    kind: str
    summary: str
    what_you_do: str
    provider_name: str
    for_whom: list[str]
    family: list[str]
    languages: list[str]
    is_free: bool
    cost: str
    online: bool
    how_to_join: str
    phone: str
    email: str
    website: str


@dataclass
class LocationIn:
    public_id: uuid.UUID
    path: str
    name: str
    address: str
    area: str
    postcode: str
    directions: str
    coordinates: tuple[float, float] | None

    def same_place(self, other: LocationIn) -> bool:
        keys = ("name", "address", "area", "postcode", "directions", "coordinates")
        return all(getattr(self, key) == getattr(other, key) for key in keys)


@dataclass
class ScheduleIn:
    public_id: uuid.UUID
    path: str
    first_starts_at: dt.datetime
    duration_minutes: int
    recurrence: Recurrence
    until: dt.date | None


@dataclass
class ServiceIn:
    index: int
    label: str
    public_id: uuid.UUID
    values: ImportedListing
    last_checked_on: dt.date | None
    is_active: bool
    location: LocationIn | None
    schedules: list[ScheduleIn]
    ids: list[tuple[str, uuid.UUID]]  # every id in the item, where it is


class _Reader:
    """Reads one item, noting its problems."""

    def __init__(self, index: int, data: dict[str, Any], problems: list[Problem]) -> None:
        self.index = index
        self.data = data
        self.problems = problems
        name, key = data.get("name"), data.get("id")
        label = name if isinstance(name, str) and name.strip() else key
        self.label = (label[:60] if isinstance(label, str) else "") or "no name or id"
        self.ok = True

    def problem(self, where: str, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(message, item=self.index, label=self.label, field=where))

    def text(self, key: str, data: Mapping[str, Any] | None = None) -> str:
        value = (self.data if data is None else data).get(key)
        return value if isinstance(value, str) else ""


def _id_paths(value: object, path: str = "") -> Iterator[tuple[str, uuid.UUID]]:
    """Every id in the item and where it is, nearest the top first."""
    queue: deque[tuple[object, str]] = deque([(value, path)])
    while queue:
        current, where = queue.popleft()
        if isinstance(current, dict):
            for key, entry in current.items():
                here = _path(where, key)
                if (key == "id" or key.endswith("_id")) and (found := _uuid(entry)):
                    yield here, found
                queue.append((entry, here))
        elif isinstance(current, list):
            queue.extend((entry, _path(where, index)) for index, entry in enumerate(current))


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _first(value: object) -> dict[str, Any]:
    """The first entry of a list, if it is an object (the shape check reports the rest)."""
    entries = _list(value)
    return entries[0] if entries and isinstance(entries[0], dict) else {}


def _terms(data: Mapping[str, Any]) -> dict[str, list[str]]:
    groups: dict[str, Any] = {"kind": Kind, "for_whom": ForWhom, "family": Family}
    found: dict[str, list[str]] = {group: [] for group in groups}
    for attribute in _list(data.get("attributes")):
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        code = term.get("code") if isinstance(term, dict) else None
        group, _, value = str(code or "").partition(":")
        if group in groups and value in groups[group].values and value not in found[group]:
            found[group].append(value)
    return found


def _location(reader: _Reader) -> tuple[bool, LocationIn | None]:
    """(online, the place) from the item's one place, if it has one."""
    place = _first(reader.data.get("service_at_locations"))
    data = place.get("location") if isinstance(place.get("location"), dict) else None
    if not data:
        return False, None
    if data.get("location_type") == "virtual":
        return True, None
    path = "service_at_locations[0].location"
    address = _first(data.get("addresses"))
    street = reader.text("address_1", address).strip()
    area = " ".join(reader.text("city", address).split())
    postcode = " ".join(reader.text("postal_code", address).upper().split())
    name = reader.text("name", data).strip() or street
    if not street:
        reader.problem(f"{path}.addresses[0].address_1", "is missing: the place needs an address")
    if not area:
        reader.problem(
            f"{path}.addresses[0].city", "is missing: PeerPath lists places by town or area"
        )
    if postcode and not looks_like_postcode(postcode):
        reader.problem(f"{path}.addresses[0].postal_code", "is not a UK postcode like EX4 3SR")
    latitude, longitude = data.get("latitude"), data.get("longitude")
    coordinates = None
    if _is_number(latitude) and _is_number(longitude):
        if math.isfinite(latitude) and math.isfinite(longitude):
            coordinates = (float(latitude), float(longitude))
    elif (latitude is None) != (longitude is None):
        reader.problem(path, "has a latitude or a longitude without the other")
    public_id = _uuid(data.get("id"))
    if public_id is None:
        return False, None  # reported by the shape check
    return False, LocationIn(
        public_id=public_id,
        path=path,
        name=name,
        address=street,
        area=area,
        postcode=postcode,
        directions=reader.text("transportation", data),
        coordinates=coordinates,
    )


def _time(reader: _Reader, where: str, value: object) -> dt.time | None:
    if not isinstance(value, str) or not _TIME.match(value):
        reader.problem(where, f"must be a time like 10:00 or 10:00:00, not {_shown(value)}")
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        reader.problem(where, f"must be a real time, not {_shown(value)}")
        return None


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    """The moment, in PeerPath's time zone (a time with an offset is converted)."""
    zone = timezone.get_current_timezone()
    if time.tzinfo is not None:
        return dt.datetime.combine(day, time).astimezone(zone)
    return timezone.make_aware(dt.datetime.combine(day, time), zone)


def _weekday(code: str) -> int | None:
    return WEEKDAY_CODES.index(code) if code in WEEKDAY_CODES else None


_SHAPES = (
    "PeerPath's times repeat every week, every 2 weeks, or every month on a weekday (like the "
    "second Tuesday), or happen once"
)


def _repeating(  # noqa: PLR0911
    reader: _Reader, path: str, *, freq: object, interval: object, byday: str, first: dt.date
) -> Recurrence | None:
    """Every week, every 2 weeks, or every month on a weekday, from the parsed fields."""
    if freq is None:
        reader.problem(f"{path}.freq", f"is missing: {_SHAPES}")
        return None
    if freq == "WEEKLY":
        weekday = first.weekday() if not byday else _weekday(byday)
        if weekday is None:
            reader.problem(
                f"{path}.byday",
                f"must be one day like TU, not {_shown(byday)} (make one time for each day)",
            )
            return None
        repeats = Repeats.FORTNIGHTLY if interval == 2 else Repeats.WEEKLY  # noqa: PLR2004
        return Recurrence(repeats, weekday)
    if freq != "MONTHLY":
        return None  # reported by the shape check
    if interval != 1:
        reader.problem(f"{path}.interval", "a monthly time repeats every month (1)")
        return None
    if not byday:
        return Recurrence.from_first_date(Repeats.MONTHLY, first)
    match = _MONTHLY_DAY.match(byday)
    weekday = _weekday(match.group(3)) if match else None
    week = int(match.group(2)) * (-1 if match.group(1) == "-" else 1) if match else 0
    if weekday is None or (week != LAST and not 1 <= week <= 4):  # noqa: PLR2004
        reader.problem(
            f"{path}.byday",
            f"must be a week of the month and a day, like 2TU or -1FR, not {_shown(byday)}",
        )
        return None
    return Recurrence(Repeats.MONTHLY, weekday, week)


def _recurrence(
    reader: _Reader, path: str, data: Mapping[str, Any], first: dt.date
) -> Recurrence | None:
    """The repeating time, from the parsed parts of the HSDS fields (none is pasted into the
    rule; anything else is refused, every part that is wrong reported)."""
    refused = False
    for name in ("bymonthday", "byweekno", "byyearday"):
        if data.get(name) not in (None, ""):
            reader.problem(f"{path}.{name}", f"cannot be imported: {_SHAPES}")
            refused = True
    freq, interval, count = data.get("freq"), data.get("interval"), data.get("count")
    given = data.get("byday")
    byday = given if isinstance(given, str) else ""
    interval = 1 if interval is None else interval
    if (count is not None and not _is_number(count)) or not _is_number(interval):
        return None  # reported by the shape check
    if count is not None and count != 1:
        reader.problem(f"{path}.count", "must be 1 (a single session); give a last date as until")
        count, refused = None, True  # and say what else is wrong with the rule
    if count == 1:
        if byday and byday != WEEKDAY_CODES[first.weekday()]:
            reader.problem(f"{path}.byday", "a single session is on the day of its dtstart")
            return None
        return None if refused else Recurrence(Repeats.ONCE, 0)
    recurrence = _repeating(reader, path, freq=freq, interval=interval, byday=byday, first=first)
    return None if refused else recurrence


def _schedules(reader: _Reader) -> list[ScheduleIn]:
    found = []
    for index, data in enumerate(_list(reader.data.get("schedules"))):
        path = f"schedules[{index}]"
        if not isinstance(data, dict):
            continue  # reported by the shape check
        public_id, first = _uuid(data.get("id")), _date(data.get("dtstart"))
        if public_id is None or first is None:
            continue  # reported by the shape check
        opens = _time(reader, f"{path}.opens_at", data.get("opens_at"))
        closes = None
        if data.get("closes_at") not in (None, ""):
            closes = _time(reader, f"{path}.closes_at", data.get("closes_at"))
        recurrence = _recurrence(reader, path, data, first)
        if opens is None or recurrence is None:
            continue
        starts = _at(first, opens)
        minutes = DEFAULT_MINUTES
        if closes is not None:
            minutes = int((_at(first, closes) - starts).total_seconds() // 60)
            if minutes <= 0:
                reader.problem(f"{path}.closes_at", "must be after opens_at")
                continue
        try:
            check_duration(minutes)
        except RecurrenceError as error:
            reader.problem(f"{path}.closes_at", str(error))
            continue
        until = _date(data.get("until"))
        found.append(
            ScheduleIn(
                public_id=public_id,
                path=path,
                first_starts_at=starts,
                duration_minutes=minutes,
                recurrence=recurrence,
                until=until,
            )
        )
    return found


_URL = URLValidator(schemes=["http", "https"])


def _contacts(reader: _Reader) -> tuple[str, str, str]:
    """(phone, email, website), each checked as the staff form does."""
    phone = reader.text("number", _first(reader.data.get("phones"))).strip()
    if phone:
        digits = sum(ch.isdigit() for ch in phone)
        if phone and not 3 <= digits <= 13:  # noqa: PLR2004  (111 to +44 numbers)
            reader.problem("phones[0].number", "is not a phone number like 01392 000000")
    email = reader.text("email").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            reader.problem("email", "is not an email address like name@example.org")
    website = reader.text("url").strip()
    if website:
        try:
            _URL(website)
        except ValidationError:
            reader.problem("url", "must be a web address starting http:// or https://")
        else:
            parts = urlsplit(website)
            if "@" in parts.netloc:
                reader.problem("url", "must not hold a user name or password (text before @)")
            elif not (parts.hostname or "").isascii():
                reader.problem(
                    "url", "must spell its address in plain letters (the xn-- form for others)"
                )
    return phone, email, website


def _check_description(reader: _Reader, summary: str, what: str, *, whole: int) -> None:
    if whole > SUMMARY_LENGTH + 2 + WHAT_YOU_DO_LENGTH:
        return  # reported by the shape check
    if not summary.strip():
        reader.problem("description", "is missing: its first paragraph is the listing's summary")
    elif len(summary) > SUMMARY_LENGTH:
        reader.problem(
            "description",
            f"its first paragraph is the summary shown in search results and may be at most "
            f"{SUMMARY_LENGTH} characters (it is {len(summary)})",
        )
    elif len(what) > WHAT_YOU_DO_LENGTH:
        reader.problem(
            "description", f"after the summary may be at most {WHAT_YOU_DO_LENGTH} characters"
        )


def _item(
    index: int, data: object, problems: list[Problem], organisation: Organisation
) -> ServiceIn | None:
    if not isinstance(data, dict):
        problems.append(Problem("must be an object (one service)", item=index, label="no name"))
        return None
    reader = _Reader(index, data, problems)
    for where, message in _check_anywhere(data):
        reader.problem(where, message)
    if not reader.ok:
        return None  # the limits first: nothing more is read of a hostile item
    for where, message in _check_shape(SERVICE, data, ""):
        reader.problem(where, message)
    description = reader.text("description")
    summary, _, what = description.partition("\n\n")
    _check_description(reader, summary, what, whole=len(description))
    runs_it = data.get("organization") if isinstance(data.get("organization"), dict) else {}
    provider = reader.text("description", runs_it) or reader.text("name", runs_it)
    if provider == organisation.name:
        provider = ""  # the organisation runs it itself
    if len(provider) > PROVIDER_LENGTH:
        reader.problem(
            "organization.description",
            "PeerPath shows it as who runs the listing: at most 150 characters",
        )
    languages = []
    for number, language in enumerate(_list(data.get("languages"))):
        code = language.get("code") if isinstance(language, dict) else None
        if code in Language.values:
            languages.append(str(code))
        elif code is not None:
            reader.problem(
                f"languages[{number}].code",
                f"{_shown(code)} is not a language PeerPath lists ({', '.join(Language.values)})",
            )
    checked = _date(data.get("assured_date"))
    if checked is not None and checked > clock.today():
        reader.problem("assured_date", "the date they were checked cannot be in the future")
    fees = reader.text("fees_description").strip()
    free = fees.lower() in {"", "free"}
    phone, email, website = _contacts(reader)
    online, location = _location(reader)
    schedules = _schedules(reader)
    public_id = _uuid(data.get("id"))
    if not reader.ok or public_id is None:
        return None
    terms = _terms(data)
    return ServiceIn(
        index=index,
        label=reader.label,
        public_id=public_id,
        values={
            "name": reader.text("name"),
            "kind": (terms["kind"] or [Kind.OTHER.value])[0],
            "summary": summary,
            "what_you_do": what,
            "provider_name": provider,
            "for_whom": terms["for_whom"],
            "family": terms["family"],
            "languages": languages,
            "is_free": free,
            "cost": "" if free else fees,
            "online": online,
            "how_to_join": reader.text("application_process"),
            "phone": phone,
            "email": email,
            "website": website,
        },
        last_checked_on=checked,
        is_active=data.get("status", "active") == "active",
        location=location,
        schedules=schedules,
        ids=list(_id_paths(data)),
    )


# Planning: what would change, checked against what PeerPath already holds ---------------------


Action = Literal["created", "changed", "unchanged"]


@dataclass
class ListingResult:
    """What the import did (or, in a dry run, would do) to one listing."""

    index: int
    label: str
    public_id: uuid.UUID
    action: Action
    changes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        said = f"{self.action}: {self.label} ({self.public_id})"
        return f"{said}: {'; '.join(self.changes)}" if self.changes else said


@dataclass
class _Plan:
    item: ServiceIn
    result: ListingResult
    service: Service | None
    location: Location | None
    location_changed: bool
    service_fields: list[str]
    schedules: list[tuple[ScheduleIn, Schedule | None]]


_OWNED = (
    ("a listing", Service, "organisation_id"),
    ("a place", Location, "organisation_id"),
    ("a repeating time", Schedule, "service__organisation_id"),
    ("a session", Occurrence, "service__organisation_id"),
)


def _foreign_ids(items: list[ServiceIn], organisation: Organisation) -> dict[uuid.UUID, str]:
    """Ids in the file that PeerPath knows as another organisation's: what each one is."""
    wanted = {found for item in items for _, found in item.ids}
    foreign: dict[uuid.UUID, str] = dict.fromkeys(
        Organisation.objects.filter(public_id__in=wanted)
        .exclude(pk=organisation.pk)
        .values_list("public_id", flat=True),
        "another organisation",
    )
    for what, model, owner in _OWNED:
        rows = model.objects.filter(public_id__in=wanted).values_list("public_id", owner)
        for public_id, owner_id in rows:
            if owner_id != organisation.pk:
                foreign[public_id] = f"{what} of another organisation"
    return foreign


def _location_changes(found: LocationIn, location: Location) -> list[str]:
    changes = [
        name
        for name in ("name", "address", "area", "postcode", "directions")
        if getattr(found, name) != getattr(location, name)
    ]
    if found.coordinates is not None and found.coordinates != (
        location.latitude,
        location.longitude,
    ):
        changes.append("position")
    return changes


def _schedule_same(found: ScheduleIn, schedule: Schedule) -> bool:
    first = timezone.localtime(schedule.first_starts_at).replace(tzinfo=None)
    return (
        schedule.first_starts_at == found.first_starts_at
        and schedule.duration_minutes == found.duration_minutes
        and Recurrence.from_rule(schedule.rrule, first) == found.recurrence
        and schedule.until == found.until
    )


def _plan(  # noqa: PLR0912, PLR0915
    items: list[ServiceIn], organisation: Organisation, problems: list[Problem]
) -> list[_Plan]:
    foreign = _foreign_ids(items, organisation)
    services_by_id = {
        s.public_id: s
        for s in Service.objects.filter(
            organisation=organisation, public_id__in=[i.public_id for i in items]
        ).select_related("location")
    }
    locations_by_id = {
        place.public_id: place
        for place in Location.objects.filter(
            organisation=organisation,
            public_id__in=[i.location.public_id for i in items if i.location],
        )
    }
    schedules_by_id = {
        schedule.public_id: schedule
        for schedule in Schedule.objects.filter(
            service__organisation=organisation,
            public_id__in=[s.public_id for i in items for s in i.schedules],
        ).select_related("service")
    }
    seen_services: dict[uuid.UUID, int] = {}
    seen_schedules: dict[uuid.UUID, int] = {}
    places: dict[uuid.UUID, LocationIn] = {}
    plans = []
    for item in items:

        def refuse(where: str, message: str, item: ServiceIn = item) -> None:
            problems.append(Problem(message, item=item.index, label=item.label, field=where))

        before = len(problems)
        told: set[uuid.UUID] = set()
        for where, known in item.ids:
            if known in foreign and known not in told:
                told.add(known)
                refuse(
                    where,
                    f"PeerPath knows this id as {foreign[known]}; an import may only change "
                    f"{organisation.slug}'s own listings, so nothing was imported",
                )
        if item.public_id in seen_services:
            refuse(
                "id", f"the file has this listing twice (also item {seen_services[item.public_id]})"
            )
        seen_services[item.public_id] = item.index
        if item.location is not None:
            earlier = places.get(item.location.public_id)
            if earlier is not None and not earlier.same_place(item.location):
                refuse(f"{item.location.path}.id", "another item describes this place differently")
            places.setdefault(item.location.public_id, item.location)
        service = services_by_id.get(item.public_id)
        schedules: list[tuple[ScheduleIn, Schedule | None]] = []
        for found in item.schedules:
            if found.public_id in seen_schedules:
                refuse(
                    f"{found.path}.id",
                    f"the file has this time twice (also item {seen_schedules[found.public_id]})",
                )
            seen_schedules[found.public_id] = item.index
            schedule = schedules_by_id.get(found.public_id)
            if schedule is not None and schedule.service.public_id != item.public_id:
                refuse(
                    f"{found.path}.id",
                    f"this time belongs to another listing ({schedule.service.name})",
                )
                continue
            if schedule is None or not _schedule_same(found, schedule):
                try:  # the bounds of a new or changed rule (one left as it is stays)
                    found.recurrence.check(
                        first=timezone.localtime(found.first_starts_at).date(), until=found.until
                    )
                except RecurrenceError as error:
                    refuse(f"{found.path}.dtstart", str(error))
                    continue
            schedules.append((found, schedule))
        if len(problems) > before:
            continue
        location = locations_by_id.get(item.location.public_id) if item.location else None
        location_changes = (
            _location_changes(item.location, location)
            if item.location is not None and location is not None
            else []
        )
        changes: list[str] = []
        fields: list[str] = []
        if service is None:
            action: Action = "created"
            if item.location is not None:
                changes.append("new place" if location is None else "at an existing place")
        else:
            fields = [
                name for name, value in item.values.items() if getattr(service, name) != value
            ]
            if item.last_checked_on is not None and item.last_checked_on != service.last_checked_on:
                fields.append("last_checked_on")
            wanted_location = item.location.public_id if item.location else None
            if (service.location.public_id if service.location else None) != wanted_location:
                fields.append("location")
            if fields:
                changes.append(f"fields: {', '.join(fields)}")
            if item.is_active != service.is_active:
                changes.append("put back on Find support" if item.is_active else "taken down")
            action = "changed" if changes else "unchanged"
        if item.location is not None and location is None and service is not None:
            changes.append("new place")
        if location_changes:
            changes.append(f"place: {', '.join(location_changes)}")
        added = sum(1 for _, schedule in schedules if schedule is None)
        altered = sum(
            1 for found, schedule in schedules if schedule and not _schedule_same(found, schedule)
        )
        if added:
            changes.append(f"{added} new repeating times")
        if altered:
            changes.append(f"{altered} changed repeating times")
        if service is not None and changes:
            action = "changed"
        plans.append(
            _Plan(
                item=item,
                result=ListingResult(
                    index=item.index,
                    label=item.label,
                    public_id=item.public_id,
                    action=action,
                    changes=changes,
                ),
                service=service,
                location=location,
                location_changed=bool(location_changes),
                service_fields=fields,
                schedules=schedules,
            )
        )
    return plans


# Applying -------------------------------------------------------------------------------------


def _apply(
    plan: _Plan, *, organisation: Organisation, actor: Actor, places: dict[uuid.UUID, Location]
) -> None:
    item = plan.item
    location = None
    if item.location is not None:
        location = places.get(item.location.public_id) or plan.location
        if location is None:
            location = services.location_create(
                actor=actor,
                organisation=organisation,
                name=item.location.name,
                address=item.location.address,
                area=item.location.area,
                postcode=item.location.postcode,
                directions=item.location.directions,
                coordinates=item.location.coordinates,
                public_id=item.location.public_id,
            )
        elif plan.location_changed and item.location.public_id not in places:
            location = services.location_update(
                actor=actor,
                location=location,
                name=item.location.name,
                address=item.location.address,
                area=item.location.area,
                postcode=item.location.postcode,
                directions=item.location.directions,
                coordinates=item.location.coordinates,
            )
        places[item.location.public_id] = location
    service = plan.service
    if service is None:
        service = services.service_create(
            actor=actor,
            organisation=organisation,
            location=location,
            last_checked_on=item.last_checked_on or clock.today(),
            is_active=item.is_active,
            public_id=item.public_id,
            **item.values,
        )
    elif plan.service_fields:
        service = services.service_update(
            actor=actor,
            service=service,
            location=location,
            last_checked_on=item.last_checked_on or UNSET,
            **item.values,
        )
    for found, schedule in plan.schedules:
        if schedule is None:
            services.schedule_create(
                actor=actor,
                service=service,
                first_starts_at=found.first_starts_at,
                duration_minutes=found.duration_minutes,
                recurrence=found.recurrence,
                until=found.until,
                public_id=found.public_id,
            )
        elif not _schedule_same(found, schedule):
            services.schedule_update(
                actor=actor,
                schedule=schedule,
                first_starts_at=found.first_starts_at,
                duration_minutes=found.duration_minutes,
                recurrence=found.recurrence,
                until=found.until,
            )
    if plan.service is not None and item.is_active != plan.service.is_active:
        if item.is_active:
            services.service_reactivate(actor=actor, service=service)
        else:
            services.service_deactivate(actor=actor, service=service)


def openreferral_import(
    raw: bytes, *, actor: Actor, organisation: Organisation, dry_run: bool = False
) -> list[ListingResult]:
    """Check the whole file, then (unless ``dry_run``) apply it in one transaction.

    Raises ImportRefusedError, with every problem, if anything is wrong: then nothing is written.
    Returns what happened (or would happen) to each listing, in the file's order.
    """
    problems: list[Problem] = []
    found = [
        item
        for index, data in enumerate(read_services(raw), start=1)
        if (item := _item(index, data, problems, organisation)) is not None
    ]
    with transaction.atomic():
        plans = _plan(found, organisation, problems)
        if problems:
            raise ImportRefusedError(_capped(problems))
        if dry_run:
            return [plan.result for plan in plans]
        places: dict[uuid.UUID, Location] = {}
        for plan in plans:
            try:
                _apply(plan, organisation=organisation, actor=actor, places=places)
            except ValidationError as error:  # a rule the checks above missed: say which
                raise ImportRefusedError(
                    [
                        Problem(
                            "; ".join(error.messages),
                            item=plan.item.index,
                            label=plan.item.label,
                        )
                    ]
                ) from error
    return [plan.result for plan in plans]


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem(f"and {more} more problems not listed")]
