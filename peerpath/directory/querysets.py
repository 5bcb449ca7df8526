"""Searching what is on. The same few queries whatever the number of results."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Generator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connections, transaction
from django.db.models import F, Q, QuerySet, TextField, Window
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone

from peerpath.core import clock
from peerpath.directory.forms import ONLINE
from peerpath.directory.geo import Point, miles_between
from peerpath.directory.models import Location, Occurrence, Service

NEXT_DATES_IN_RESULTS = 3
RESULTS_SHOWN = 30
DEFAULT_MILES = 5
NEXT_DATES_ON_LISTING = 6
# Rows fetched at a time while looking for the soonest services, per service wanted.
STREAM_CHUNK_PER_RESULT = 4


@dataclass
class Result:
    service: Service
    next: list[Occurrence] = field(default_factory=list)
    miles: float | None = None


def areas() -> list[str]:
    return sorted(set(Location.objects.order_by().values_list("area", flat=True).distinct()))


def window(when: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """From now to the end of this week (Sunday), next week, or four weeks ahead."""
    local = timezone.localtime(now)
    start_of_week = (local - dt.timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    if when == "next_week":
        return start_of_week + dt.timedelta(weeks=1), start_of_week + dt.timedelta(weeks=2)
    if when == "four_weeks":
        return now, now + dt.timedelta(weeks=4)
    return now, start_of_week + dt.timedelta(weeks=1)


def _json_has(field_name: str, value: str) -> Q:
    """Whether a JSON list field holds a value, on SQLite and PostgreSQL alike.

    Both render a list of strings as text with each item in double quotes, so the quoted
    value is matched as text (the keys are our own choice values, which hold no quotes).
    """
    return Q(**{f"_{field_name}_text__contains": f'"{value}"'})


def _service_filters(filters: dict[str, Any], prefix: str = "") -> tuple[dict[str, Any], Q]:
    """Annotations and a Q for the service-level filters, relative to ``prefix``."""
    annotations = {
        f"_{name}_text": Cast(f"{prefix}{name}", TextField())
        for name in ("for_whom", "family", "languages")
    }
    condition = Q(**{f"{prefix}is_active": True})
    if filters.get("kinds"):
        condition &= Q(**{f"{prefix}kind__in": filters["kinds"]})
    if filters.get("stage"):
        condition &= _json_has("for_whom", filters["stage"])
    for value in filters.get("family") or []:
        condition &= _json_has("family", value)
    if filters.get("language"):
        condition &= _json_has("languages", filters["language"])
    if filters.get("free"):
        condition &= Q(**{f"{prefix}is_free": True})
    return annotations, condition


def _place_filter(filters: dict[str, Any], prefix: str = "") -> Q:
    near: Point | None = filters.get("near")
    if near is not None:
        radius = float(filters.get("distance") or DEFAULT_MILES)
        lat_span = radius / 69.0
        lon_span = radius / (69.0 * max(math.cos(math.radians(near.latitude)), 0.01))
        return Q(
            **{
                f"{prefix}location__latitude__range": (
                    near.latitude - lat_span,
                    near.latitude + lat_span,
                ),
                f"{prefix}location__longitude__range": (
                    near.longitude - lon_span,
                    near.longitude + lon_span,
                ),
            }
        )
    if filters.get("where") == ONLINE:
        return Q(**{f"{prefix}online": True})
    if filters.get("where"):
        return Q(**{f"{prefix}location__area": filters["where"]})
    return Q()


def _occurrence_filters(filters: dict[str, Any], now: dt.datetime) -> Q:
    """The session-level filters: the window, not cancelled, days and times of day."""
    start, end = window(filters.get("when") or "this_week", now)
    condition = Q(starts_at__gte=max(start, now), starts_at__lt=end, cancelled=False)
    if filters.get("days"):
        condition &= Q(weekday__in=[int(d) for d in filters["days"]])
    if filters.get("times"):
        condition &= Q(time_of_day__in=filters["times"])
    return condition


def _streaming(alias: str) -> AbstractContextManager[object]:
    """Where reading sessions in time order can stop early.

    PostgreSQL streams a server-side cursor only inside a transaction: outside one, Django
    declares it WITH HOLD and the server computes every row before the first is read. SQLite
    streams without one, and a transaction there would take the write lock (IMMEDIATE mode).
    """
    if connections[alias].vendor == "postgresql":
        return transaction.atomic(using=alias)
    return nullcontext()


def _soonest_service_ids(occurrences: QuerySet[Occurrence], count: int) -> list[int]:
    """The first ``count`` services in order of their soonest session (then by id).

    Sessions are read in time order and reading stops at the ``count``-th new service, so a
    broad search reads a few dozen index entries rather than grouping every session in the
    window; a narrow one reads on to the end of the window, as a grouping query would. One
    query either way (a cursor read in chunks).
    """
    found: dict[int, None] = {}
    with _streaming(occurrences.db):
        rows = cast(
            "Generator[int, None, None]",
            occurrences.order_by("starts_at", "service_id")
            .values_list("service_id", flat=True)
            .iterator(chunk_size=count * STREAM_CHUNK_PER_RESULT),
        )
        try:
            for service_id in rows:
                found[service_id] = None
                if len(found) >= count:
                    break
        finally:
            rows.close()
    return list(found)


def _dated(filters: dict[str, Any], *, limit: int) -> list[Result]:
    """The soonest ``limit`` services with sessions that match, each with its next dates."""
    now = clock.now()
    when = _occurrence_filters(filters, now)
    annotations, service_condition = _service_filters(filters, prefix="service__")
    occurrences = Occurrence.objects.annotate(**annotations).filter(
        when, service_condition, _place_filter(filters, prefix="service__")
    )
    near: Point | None = filters.get("near")
    # Near a postcode the box above is cut to a circle here, so fetch a few more.
    wanted = limit * 4 if near is not None else limit
    ids = _soonest_service_ids(occurrences, wanted)
    services = Service.objects.select_related("location", "organisation").in_bulk(ids)
    radius = float(filters.get("distance") or DEFAULT_MILES)
    results: dict[int, Result] = {}
    for service_id in ids:
        service = services[service_id]
        miles = None
        if near is not None and service.location is not None:
            miles = miles_between(
                near, Point(service.location.latitude or 0.0, service.location.longitude or 0.0)
            )
            if miles > radius:
                continue
        results[service_id] = Result(service=service, miles=miles)
        if len(results) >= limit:
            break
    # Every service filter holds for each of these services, so only the session-level
    # filters are needed for their next dates; only the first few of each are read.
    next_dates = (
        Occurrence.objects.filter(when, service_id__in=list(results))
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=F("service_id"),
                order_by=(F("starts_at").asc(), F("pk").asc()),
            )
        )
        .filter(place__lte=NEXT_DATES_IN_RESULTS)
        .order_by("starts_at", "pk")
    )
    for occurrence in next_dates:
        results[occurrence.service_id].next.append(occurrence)
    return list(results.values())


def _anytime(filters: dict[str, Any], *, limit: int) -> list[Service]:
    """Services without sessions (helplines, one-to-one, NHS routes) that match."""
    near: Point | None = filters.get("near")
    annotations, condition = _service_filters(filters)
    place = (
        Q()
        if near is not None or filters.get("where") == ONLINE
        else (_place_filter(filters) | Q(location__isnull=True))
    )
    # The first ``limit`` ids are picked on the service table alone; only those are joined
    # to their place and organisation.
    first = (
        Service.objects.annotate(**annotations)
        .filter(condition, place, schedules__isnull=True)
        .order_by("kind", "name", "pk")
        .values("pk")[:limit]
    )
    return list(
        Service.objects.filter(pk__in=first)
        .select_related("location", "organisation")
        .order_by("kind", "name", "pk")
    )


def search(
    filters: dict[str, Any], *, limit: int = RESULTS_SHOWN
) -> tuple[list[Result], list[Service]]:
    """The soonest ``limit`` services with sessions in the chosen window, each with its next
    dates, and the services without sessions (helplines, one-to-one, NHS routes) that match.

    Every filter runs in the database; the number of queries is the same whatever the size of
    the directory or of the results.
    """
    results = _dated(filters, limit=limit)
    anytime: list[Service] = []
    if not (filters.get("days") or filters.get("times")):
        anytime = _anytime(filters, limit=limit)
    return results, anytime


def next_dates(service: Service, count: int = NEXT_DATES_ON_LISTING) -> list[Occurrence]:
    return list(
        Occurrence.objects.filter(service=service, starts_at__gte=clock.now()).order_by(
            "starts_at"
        )[:count]
    )


def nearest_online(filters: dict[str, Any]) -> Result | None:
    """When nothing matches, the soonest online group in the next four weeks."""
    results = _dated(
        {"when": "four_weeks", "where": ONLINE, "stage": filters.get("stage", "")}, limit=1
    )
    return results[0] if results else None
