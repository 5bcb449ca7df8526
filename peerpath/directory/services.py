"""Every change to the directory goes through here."""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrulestr
from django.db import transaction
from django.utils import timezone

from peerpath.core import clock
from peerpath.directory.choices import time_of_day
from peerpath.directory.models import Occurrence, Schedule

EXPAND_WEEKS = 8


def _occurrence(schedule: Schedule, start: dt.datetime) -> Occurrence:
    local = timezone.localtime(start)
    return Occurrence(
        service_id=schedule.service_id,
        schedule=schedule,
        starts_at=start,
        ends_at=start + schedule.duration,
        original_starts_at=start,
        weekday=local.weekday(),
        time_of_day=time_of_day(local.hour),
    )


def schedule_starts(schedule: Schedule, *, until: dt.datetime) -> list[dt.datetime]:
    """Start times from the rule, in local wall-clock time (a 10am group stays at 10am when
    the clocks change), up to ``until``."""
    first = timezone.localtime(schedule.first_starts_at)
    rule = rrulestr(schedule.rrule, dtstart=first.replace(tzinfo=None))
    end = timezone.localtime(until).replace(tzinfo=None)
    if schedule.until:
        end = min(end, dt.datetime.combine(schedule.until, dt.time.max))
    zone = timezone.get_current_timezone()
    return [
        timezone.make_aware(start, zone)
        for start in rule.between(first.replace(tzinfo=None), end, inc=True)
    ]


@transaction.atomic
def occurrences_expand(*, schedule: Schedule, weeks: int = EXPAND_WEEKS) -> int:
    """Create the dated sessions of the next ``weeks`` weeks. Safe to run again."""
    now = clock.now()
    starts = [
        s
        for s in schedule_starts(schedule, until=now + dt.timedelta(weeks=weeks))
        if s >= now - dt.timedelta(days=1)
    ]
    created = Occurrence.objects.bulk_create(
        [_occurrence(schedule, start) for start in starts], ignore_conflicts=True
    )
    return len(created)


@transaction.atomic
def occurrence_cancel(*, occurrence: Occurrence, note: str = "") -> Occurrence:
    occurrence.cancelled = True
    occurrence.note = note
    occurrence.save(update_fields=["cancelled", "note", "updated_at"])
    return occurrence


@transaction.atomic
def occurrence_move(
    *, occurrence: Occurrence, starts_at: dt.datetime, note: str = ""
) -> Occurrence:
    length = occurrence.ends_at - occurrence.starts_at
    local = timezone.localtime(starts_at)
    occurrence.starts_at = starts_at
    occurrence.ends_at = starts_at + length
    occurrence.weekday = local.weekday()
    occurrence.time_of_day = time_of_day(local.hour)
    occurrence.note = note
    occurrence.save()
    return occurrence
