"""Who is on duty when: staffed hours and the rota, read in Europe/London wall-clock time.

Every window is built from a date and a wall-clock time and only then turned into an
instant, so a shift from 08:00 to 22:00 is 08:00 to 22:00 on the day the clocks change too: 13
hours long in spring and 15 in autumn when it spans the change. A time the clocks skip (01:30
on the spring night) is read as the moment after the jump; a time that happens twice (01:30
on the autumn night) as its first occurrence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from peerpath.safeguarding.models import DutyPosition, RotaOverride, RotaSlot, StaffedHours

if TYPE_CHECKING:
    from peerpath.accounts.models import Organisation, User

Interval = tuple[dt.datetime, dt.datetime]
SEARCH_DAYS = 8


def wall_clock(day: dt.date, at: dt.time) -> dt.datetime:
    """The instant (UTC) that reads ``at`` on ``day`` on a clock in the installation's zone."""
    zone = timezone.get_default_timezone()
    local = dt.datetime.combine(day, at).replace(tzinfo=zone, fold=0)
    return local.astimezone(dt.UTC)


def local_date(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def daily_windows(
    days: Iterable[int], starts: dt.time, ends: dt.time, first: dt.date, last: dt.date
) -> Iterator[tuple[dt.date, Interval]]:
    """Each window from ``starts`` to ``ends`` on the given weekdays, for days that start
    between ``first`` and ``last`` inclusive. An end at or before the start is the next day."""
    wanted = set(days)
    day = first
    while day <= last:
        if day.weekday() in wanted:
            yield day, day_window(day, starts, ends)
        day += dt.timedelta(days=1)


def windows_between(
    days: Iterable[int], starts: dt.time, ends: dt.time, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.date, Interval]]:
    """The daily windows that overlap ``start`` to ``end``, clipped to it, with their day."""
    found = []
    for day, (low, high) in daily_windows(
        days, starts, ends, local_date(start) - dt.timedelta(days=1), local_date(end)
    ):
        if max(low, start) < min(high, end):
            found.append((day, (max(low, start), min(high, end))))
    return found


def _covering(
    days: Iterable[int], starts: dt.time, ends: dt.time, at: dt.datetime
) -> tuple[dt.date, Interval] | None:
    today = local_date(at)
    for day, (start, end) in daily_windows(days, starts, ends, today - dt.timedelta(days=1), today):
        if start <= at < end:
            return day, (start, end)
    return None


# Staffed hours ------------------------------------------------------------------------------


def staffed_hours_for(organisation: Organisation | int) -> StaffedHours:
    """Its staffed hours, or the defaults (8am to 10pm every day) until a lead sets them."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    found = StaffedHours.objects.filter(organisation_id=organisation_id).first()
    return found if found is not None else StaffedHours(organisation_id=organisation_id)


def is_staffed(hours: StaffedHours, at: dt.datetime) -> bool:
    return _covering(hours.days, hours.staffed_from, hours.staffed_until, at) is not None


def next_staffed_start(hours: StaffedHours, at: dt.datetime) -> dt.datetime | None:
    """When staffed hours next begin after ``at`` (None if no day is staffed)."""
    today = local_date(at)
    for _day, (start, _end) in daily_windows(
        hours.days,
        hours.staffed_from,
        hours.staffed_until,
        today,
        today + dt.timedelta(days=SEARCH_DAYS),
    ):
        if start > at:
            return start
    return None


def staffed_windows(hours: StaffedHours, start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """Staffed hours between ``start`` and ``end``, clipped to them."""
    return [
        window
        for _day, window in windows_between(
            hours.days, hours.staffed_from, hours.staffed_until, start, end
        )
    ]


def _time_words(at: dt.time) -> str:
    hour = at.hour % 12 or 12
    suffix = "am" if at.hour < 12 else "pm"  # noqa: PLR2004
    if at == dt.time(0, 0):
        return "midnight"
    if at == dt.time(12, 0):
        return "midday"
    return f"{hour}{suffix}" if at.minute == 0 else f"{hour}:{at.minute:02d}{suffix}"


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def days_words(days: Iterable[int]) -> str:
    chosen = sorted(set(days))
    if chosen == list(range(7)):
        return "every day"
    if chosen == list(range(5)):
        return "Monday to Friday"
    if chosen == [5, 6]:
        return "at weekends"
    names = [DAY_NAMES[day] for day in chosen]
    return "on " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0])


def staffed_hours_words(hours: StaffedHours) -> str:
    """ "between 8am and 10pm, every day": shown to members wherever they might disclose."""
    return (
        f"between {_time_words(hours.staffed_from)} and {_time_words(hours.staffed_until)}, "
        f"{days_words(hours.days)}"
    )


def next_staffed_words(hours: StaffedHours, at: dt.datetime) -> str:
    """ "at 8am tomorrow", "at 8am on Monday": when someone is next reading, for a member who
    asks outside staffed hours ("" if no day is staffed)."""
    start = next_staffed_start(hours, at)
    if start is None:
        return ""
    day = local_date(start)
    today = local_date(at)
    time_words = _time_words(timezone.localtime(start).time())
    if day == today:
        return f"at {time_words} today"
    if day == today + dt.timedelta(days=1):
        return f"at {time_words} tomorrow"
    return f"at {time_words} on {DAY_NAMES[day.weekday()]}"


# The rota ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shift:
    position: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    person: User | None
    override: bool = False


def _turn_person(slot: RotaSlot, day: dt.date) -> User | None:
    turns = list(slot.turns.all())
    if not turns:
        return None
    week_start = day - dt.timedelta(days=day.weekday())
    rotation_week = slot.rotation_starts_on - dt.timedelta(days=slot.rotation_starts_on.weekday())
    weeks = (week_start - rotation_week).days // 7
    return turns[(weeks // slot.weeks_each) % len(turns)].person


def _slots(organisation: Organisation | int, position: str | None = None) -> list[RotaSlot]:
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    slots = RotaSlot.objects.filter(organisation_id=organisation_id).prefetch_related(
        "turns__person"
    )
    if position is not None:
        slots = slots.filter(position=position)
    return list(slots)


def on_duty(organisation: Organisation | int, position: str, at: dt.datetime) -> User | None:
    """Who holds ``position`` at ``at``: a one-off override first, else the weekly rota."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    override = (
        RotaOverride.objects.filter(
            organisation_id=organisation_id, position=position, starts_at__lte=at, ends_at__gt=at
        )
        .select_related("person")
        .order_by("-created_at", "-pk")
        .first()
    )
    if override is not None:
        return override.person
    for slot in _slots(organisation_id, position):
        covering = _covering(slot.days, slot.starts_at, slot.ends_at, at)
        if covering is not None:
            person = _turn_person(slot, covering[0])
            if person is not None:
                return person
    return None


def shifts(organisation: Organisation | int, start: dt.datetime, end: dt.datetime) -> list[Shift]:
    """Every shift that overlaps ``start`` to ``end``, whole (a shift under way at ``start``
    begins when it began), overrides cut out of the weekly rota and shown in its place (an
    override with nobody is a shift with ``person`` None). Clip them to count hours."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    overrides = list(
        RotaOverride.objects.filter(
            organisation_id=organisation_id, starts_at__lt=end, ends_at__gt=start
        ).select_related("person")
    )
    result: list[Shift] = []
    for slot in _slots(organisation_id):
        cuts = [(o.starts_at, o.ends_at) for o in overrides if o.position == slot.position]
        for day, _clipped in windows_between(slot.days, slot.starts_at, slot.ends_at, start, end):
            window = day_window(day, slot.starts_at, slot.ends_at)
            person = _turn_person(slot, day)
            for low, high in subtract([window], cuts):
                if low < end and start < high:
                    result.append(Shift(slot.position, low, high, person))
    for override in overrides:
        result.append(
            Shift(override.position, override.starts_at, override.ends_at, override.person, True)
        )
    order: dict[str, int] = {DutyPosition.PRIMARY: 0, DutyPosition.BACKUP: 1}
    return sorted(result, key=lambda s: (s.starts_at, order.get(s.position, 2)))


def day_window(day: dt.date, starts: dt.time, ends: dt.time) -> Interval:
    """The window that starts on ``day``: to ``ends`` the next day if it ends at or before
    its start."""
    end_day = day + dt.timedelta(days=1) if ends <= starts else day
    return wall_clock(day, starts), wall_clock(end_day, ends)


# Intervals -----------------------------------------------------------------------------------


def clip(intervals: Iterable[Interval], start: dt.datetime, end: dt.datetime) -> list[Interval]:
    clipped = []
    for low, high in intervals:
        if max(low, start) < min(high, end):
            clipped.append((max(low, start), min(high, end)))
    return clipped


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def subtract(intervals: Iterable[Interval], cuts: Iterable[Interval]) -> list[Interval]:
    """The parts of ``intervals`` that no cut covers."""
    remaining = list(intervals)
    for cut_low, cut_high in merge(cuts):
        pieces: list[Interval] = []
        for low, high in remaining:
            if cut_high <= low or high <= cut_low:
                pieces.append((low, high))
                continue
            if low < cut_low:
                pieces.append((low, cut_low))
            if cut_high < high:
                pieces.append((cut_high, high))
        remaining = pieces
    return remaining


def total(intervals: Iterable[Interval]) -> dt.timedelta:
    return sum((high - low for low, high in merge(intervals)), dt.timedelta())
