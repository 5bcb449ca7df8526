"""Working days in England and Wales: Monday to Friday, not a bank holiday (the ``holidays``
library keeps the list, including days moved by royal proclamation). Service levels such as
"matched within 5 working days" count these."""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays

SATURDAY = 5


@cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and day not in _bank_holidays(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``day`` (``day`` itself not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    found = day
    while count:
        found += dt.timedelta(days=1)
        if is_working_day(found):
            count -= 1
    return found


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
