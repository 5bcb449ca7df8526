"""Searching what is on. Two queries whatever the number of results."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from peerpath.core import clock
from peerpath.directory.forms import ONLINE
from peerpath.directory.geo import Point, miles_between
from peerpath.directory.models import Location, Occurrence, Service

NEXT_DATES_IN_RESULTS = 3
DEFAULT_MILES = 5
NEXT_DATES_ON_LISTING = 6


@dataclass
class Result:
    service: Service
    next: list[Occurrence] = field(default_factory=list)
    miles: float | None = None


def areas() -> list[str]:
    return sorted(set(Location.objects.values_list("area", flat=True)))


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


def _matches(service: Service, filters: dict[str, Any]) -> bool:  # noqa: PLR0911
    if filters.get("kinds") and service.kind not in filters["kinds"]:
        return False
    if filters.get("stage") and filters["stage"] not in service.for_whom:
        return False
    if filters.get("family") and not set(filters["family"]) <= set(service.family):
        return False
    if filters.get("language") and filters["language"] not in service.languages:
        return False
    if filters.get("free") and not service.is_free:
        return False
    where = filters.get("where")
    if where == ONLINE:
        return service.online
    if where:
        return service.location is not None and service.location.area == where
    return True


def search(filters: dict[str, Any]) -> tuple[list[Result], list[Service]]:
    """Sessions in the chosen window, grouped by service, and the services that have no
    sessions (helplines, one-to-one support, NHS routes) that match the other filters."""
    now = clock.now()
    start, end = window(filters.get("when") or "this_week", now)
    occurrences: QuerySet[Occurrence] = (
        Occurrence.objects.filter(
            starts_at__gte=max(start, now),
            starts_at__lt=end,
            cancelled=False,
            service__is_active=True,
        )
        .select_related("service__location", "service__organisation")
        .order_by("starts_at")
    )
    if filters.get("days"):
        occurrences = occurrences.filter(weekday__in=[int(d) for d in filters["days"]])
    if filters.get("times"):
        occurrences = occurrences.filter(time_of_day__in=filters["times"])
    near: Point | None = filters.get("near")
    radius = float(filters.get("distance") or DEFAULT_MILES)
    if near is not None:
        # A box around her in the database, then the exact distance below.
        lat_span = radius / 69.0
        lon_span = radius / (69.0 * max(math.cos(math.radians(near.latitude)), 0.01))
        occurrences = occurrences.filter(
            service__location__latitude__range=(near.latitude - lat_span, near.latitude + lat_span),
            service__location__longitude__range=(
                near.longitude - lon_span,
                near.longitude + lon_span,
            ),
        )
    elif filters.get("where") == ONLINE:
        occurrences = occurrences.filter(service__online=True)
    elif filters.get("where"):
        occurrences = occurrences.filter(service__location__area=filters["where"])
    grouped: dict[int, Result] = {}
    place_filters = {**filters, "where": ""} if near is not None else filters
    for occurrence in occurrences:
        service = occurrence.service
        if not _matches(service, place_filters):
            continue
        miles = None
        if near is not None and service.location is not None:
            miles = miles_between(
                near, Point(service.location.latitude or 0.0, service.location.longitude or 0.0)
            )
            if miles > radius:
                continue
        result = grouped.setdefault(service.pk, Result(service=service, miles=miles))
        if len(result.next) < NEXT_DATES_IN_RESULTS:
            result.next.append(occurrence)
    timed_filters = filters.get("days") or filters.get("times")
    anytime: list[Service] = []
    if not timed_filters:
        anytime = [
            service
            for service in Service.objects.filter(is_active=True, schedules__isnull=True)
            .select_related("location", "organisation")
            .order_by("kind", "name")
            if _matches(
                service,
                {**filters, "where": "" if not service.location or near else filters.get("where")},
            )
        ]
    return list(grouped.values()), anytime


def next_dates(service: Service, count: int = NEXT_DATES_ON_LISTING) -> list[Occurrence]:
    return list(
        Occurrence.objects.filter(service=service, starts_at__gte=clock.now()).order_by(
            "starts_at"
        )[:count]
    )


def nearest_online(filters: dict[str, Any]) -> Result | None:
    """When nothing matches, the soonest online group in the next four weeks."""
    results, _anytime = search(
        {"when": "four_weeks", "where": ONLINE, "stage": filters.get("stage", "")}
    )
    return results[0] if results else None
