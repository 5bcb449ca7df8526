"""How often a listing's sessions happen: the four shapes PeerPath offers, as iCalendar rules.

A rule is always built by dateutil from parsed parts (a ``Recurrence``), never from text someone
typed or sent, and every rule is bounded: its first session is not long ago nor far ahead, it
makes a limited number of sessions, and expanding a stored rule reads only the shapes PeerPath
makes (anything else in the database is skipped, not expanded).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from functools import cache
from typing import Any

from dateutil import rrule as rr
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core import clock

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LAST_WEEK_OF_MONTH = 5
LAST = -1
WEEKS_OF_MONTH = (1, 2, 3, 4, LAST)

YEARS_BACK = 3  # a first session further back is a typing slip or a hostile file
YEARS_AHEAD = 2  # as the staff form: 2062 for 2026 is a slip
MAX_SESSIONS_PER_RULE = 300  # a rule with a last date: weekly for the five years allowed
MAX_SESSIONS_PER_EXPANSION = 64  # one expansion makes at most this many sessions
MAX_RULE_STEPS = 2000  # steps through a rule from its first session (weekly for 38 years)
MIN_MINUTES, MAX_MINUTES = 15, 12 * 60


class Repeats(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every 2 weeks")
    MONTHLY = "monthly", _("Every month, on the same weekday (for example, the second Tuesday)")
    ONCE = "once", _("Just once")


class RecurrenceError(ValueError):
    """Not a repeating time PeerPath can hold; the message says why in plain words."""


@dataclass(frozen=True)
class Recurrence:
    """Every week or every 2 weeks on a weekday, every month on the nth (or last) weekday, or
    once. ``weekday`` is 0 for Monday (and always 0 for "once": its date is the first)."""

    repeats: Repeats
    weekday: int
    week_of_month: int | None = None

    def __post_init__(self) -> None:
        if self.weekday not in range(7) or (self.repeats == Repeats.ONCE and self.weekday):
            raise RecurrenceError("The day of the week must be Monday to Sunday.")
        if (self.repeats == Repeats.MONTHLY) != (self.week_of_month is not None):
            raise RecurrenceError("Only a monthly time says which week of the month.")
        if self.week_of_month is not None and self.week_of_month not in WEEKS_OF_MONTH:
            raise RecurrenceError("The week of the month must be 1 to 4, or the last.")

    @classmethod
    def from_first_date(cls, repeats: Repeats | str, first: dt.date) -> Recurrence:
        """The staff form's choice: on the first session's weekday; monthly, in its week (the
        fifth Tuesday becomes the last Tuesday, which every month has)."""
        repeats = Repeats(repeats)
        if repeats == Repeats.ONCE:
            return cls(repeats=repeats, weekday=0)  # the first session's date says it all
        week = None
        if repeats == Repeats.MONTHLY:
            week = (first.day - 1) // 7 + 1
            week = LAST if week == LAST_WEEK_OF_MONTH else week
        return cls(repeats=repeats, weekday=first.weekday(), week_of_month=week)

    def rule(self, dtstart: dt.datetime) -> rr.rrule:
        """The dateutil rule from ``dtstart`` (local wall-clock time, no time zone)."""
        day = rr.weekday(self.weekday)
        if self.repeats == Repeats.ONCE:
            return rr.rrule(rr.DAILY, count=1, dtstart=dtstart)
        if self.repeats == Repeats.MONTHLY:
            return rr.rrule(rr.MONTHLY, byweekday=day(self.week_of_month), dtstart=dtstart)
        interval = 2 if self.repeats == Repeats.FORTNIGHTLY else 1
        return rr.rrule(rr.WEEKLY, interval=interval, byweekday=day, dtstart=dtstart)

    @property
    def text(self) -> str:
        """The rule as stored (the RRULE line without its DTSTART), written by dateutil."""
        return _rule_text(self.rule(_REFERENCE))

    @property
    def byday(self) -> str:
        """The HSDS ``byday``: "TU", or "2TU" / "-1TU" for a monthly time."""
        code = WEEKDAY_CODES[self.weekday]
        return f"{self.week_of_month}{code}" if self.week_of_month is not None else code

    def check(self, *, first: dt.date, until: dt.date | None = None) -> None:
        """The bounds every new or changed rule must keep (raises RecurrenceError)."""
        check_first_date(first)
        if until is not None:
            if until < first:
                raise RecurrenceError("The last date must be on or after the first date.")
            if until > clock.today() + dt.timedelta(days=365 * YEARS_AHEAD):
                raise RecurrenceError(f"The last date must be within the next {YEARS_AHEAD} years.")
            start = dt.datetime.combine(first, dt.time.min)
            end = dt.datetime.combine(until, dt.time.max)
            made = itertools.islice(
                itertools.takewhile(lambda s: s <= end, self.rule(start)),
                MAX_SESSIONS_PER_RULE + 1,
            )
            if sum(1 for _ in made) > MAX_SESSIONS_PER_RULE:
                raise RecurrenceError(
                    f"It would make more than {MAX_SESSIONS_PER_RULE} sessions; "
                    "give an earlier last date."
                )

    @classmethod
    def from_rule(cls, text: str, dtstart: dt.datetime) -> Recurrence | None:
        """The shape of a stored rule, or None if it is not one PeerPath makes."""
        try:
            parsed = rr.rrulestr(text, dtstart=dtstart.replace(tzinfo=None))
        except (ValueError, TypeError):
            return None
        if not isinstance(parsed, rr.rrule):
            return None
        return _shapes().get(_rule_text(parsed))


_REFERENCE = dt.datetime(2024, 1, 1)  # noqa: DTZ001  (wall-clock; only to write a rule out)


def _rule_text(rule: rr.rrule) -> str:
    lines = [line for line in str(rule).splitlines() if line.startswith("RRULE:")]
    return lines[0].removeprefix("RRULE:") if lines else ""


@cache
def _shapes() -> dict[str, Recurrence]:
    """Every rule PeerPath makes, as dateutil writes it: compared with a stored rule as
    dateutil reads and writes it back (so "2TU" and "+2TU" are the same rule)."""
    shapes = [
        Recurrence(repeats, weekday)
        for repeats in (Repeats.WEEKLY, Repeats.FORTNIGHTLY)
        for weekday in range(7)
    ]
    shapes += [
        Recurrence(Repeats.MONTHLY, weekday, week)
        for weekday in range(7)
        for week in WEEKS_OF_MONTH
    ]
    shapes.append(Recurrence(Repeats.ONCE, 0))
    return {shape.text: shape for shape in shapes}


def check_first_date(first: dt.date) -> None:
    today = clock.today()
    if first < today - dt.timedelta(days=365 * YEARS_BACK):
        raise RecurrenceError(
            f"The first session must be within the last {YEARS_BACK} years, not {first:%Y}."
        )
    if first > today + dt.timedelta(days=365 * YEARS_AHEAD):
        raise RecurrenceError(f"The first session must be within the next {YEARS_AHEAD} years.")


def check_duration(minutes: int) -> None:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise RecurrenceError(
            f"A session must last from {MIN_MINUTES} minutes to {MAX_MINUTES // 60} hours."
        )


def rule_for(repeats: Repeats | str, first: dt.date) -> str:
    """The stored rule for the staff form's "how often", from the first session's date."""
    return Recurrence.from_first_date(repeats, first).text


# Expanding a stored rule -----------------------------------------------------------------------


def _legacy_rules(dtstart: dt.datetime) -> list[tuple[rr.rrule, dict[str, Any]]]:
    """Rules written before rules were built from parts, with their HSDS fields: "FREQ=WEEKLY"
    (on the first session's weekday) and "FREQ=MONTHLY;BYMONTHDAY=n". Still expanded, built
    again here from their parts."""
    weekly = (rr.rrule(rr.WEEKLY, dtstart=dtstart), {"freq": "WEEKLY", "interval": 1, "byday": ""})
    return [
        weekly,
        *(
            (
                rr.rrule(rr.MONTHLY, bymonthday=day, dtstart=dtstart),
                {"freq": "MONTHLY", "interval": 1, "byday": "", "bymonthday": str(day)},
            )
            for day in range(1, 32)
        ),
    ]


def _legacy(text: str, dtstart: dt.datetime) -> tuple[rr.rrule, dict[str, Any]] | None:
    try:
        parsed = rr.rrulestr(text, dtstart=dtstart)
    except (ValueError, TypeError):
        return None
    if not isinstance(parsed, rr.rrule):
        return None
    written = _rule_text(parsed)
    return next((pair for pair in _legacy_rules(dtstart) if _rule_text(pair[0]) == written), None)


def _expandable(text: str, dtstart: dt.datetime) -> rr.rrule | None:
    """The stored rule, if it is safe to step through: one of PeerPath's shapes, or an older
    rule above. Anything else (sub-daily frequencies, rules that may never produce a date and
    would spin for seconds) is not expanded."""
    shape = Recurrence.from_rule(text, dtstart)
    if shape is not None:
        return shape.rule(dtstart)
    legacy = _legacy(text, dtstart)
    return legacy[0] if legacy else None


def expand(
    text: str,
    *,
    first: dt.datetime,
    end: dt.datetime,
    since: dt.datetime | None = None,
    until: dt.date | None = None,
) -> list[dt.datetime] | None:
    """Start times (naive local wall-clock) from ``since`` (or ``first``) up to ``end``: at
    most MAX_SESSIONS_PER_EXPANSION. None for a rule that is not safe to expand: not one of the
    shapes above, or with a first session so long ago that MAX_RULE_STEPS steps through it do
    not reach ``end`` (the bound on the first date, for rules already stored)."""
    rule = _expandable(text, first)
    if rule is None:
        return None
    if until is not None:
        end = min(end, dt.datetime.combine(until, dt.time.max))
    starts: list[dt.datetime] = []
    steps = 0
    for start in itertools.islice(rule, MAX_RULE_STEPS):
        steps += 1
        if start > end or len(starts) >= MAX_SESSIONS_PER_EXPANSION:
            return starts
        if since is None or start >= since:
            starts.append(start)
    return starts if steps < MAX_RULE_STEPS else None


def hsds_parts(text: str, dtstart: dt.datetime) -> dict[str, Any]:
    """The HSDS 3.0 schedule fields for a stored rule (freq is WEEKLY or MONTHLY there; "once"
    is a weekly rule with a count of 1)."""
    shape = Recurrence.from_rule(text, dtstart)
    if shape is None:
        legacy = _legacy(text, dtstart)
        return dict(legacy[1]) if legacy else {}
    if shape.repeats == Repeats.ONCE:
        return {
            "freq": "WEEKLY",
            "interval": 1,
            "count": 1,
            "byday": WEEKDAY_CODES[dtstart.weekday()],
        }
    return {
        "freq": "MONTHLY" if shape.repeats == Repeats.MONTHLY else "WEEKLY",
        "interval": 2 if shape.repeats == Repeats.FORTNIGHTLY else 1,
        "byday": shape.byday,
    }
