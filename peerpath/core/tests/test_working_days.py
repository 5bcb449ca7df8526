"""Service levels count working days in England and Wales: weekends and bank holidays skip."""

from __future__ import annotations

import datetime as dt

import pytest

from peerpath.core.working_days import add_working_days, is_working_day, working_days_between


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(dt.date(2026, 12, 1))  # a Tuesday
    assert not is_working_day(dt.date(2026, 12, 5))  # Saturday
    assert not is_working_day(dt.date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(dt.date(2026, 12, 28))  # Boxing Day, moved to the Monday


def test_five_working_days_from_christmas_eve_skip_the_holidays_and_the_weekend():
    # Thu 24 Dec 2026: Fri 25 and Sat 26, Sun 27, Mon 28 (Boxing Day observed) are skipped,
    # as is Fri 1 Jan; working days are 29, 30, 31 Dec, 4 and 5 Jan.
    assert add_working_days(dt.date(2026, 12, 24), 5) == dt.date(2027, 1, 5)


def test_an_ordinary_week_is_five_working_days():
    assert add_working_days(dt.date(2026, 11, 30), 5) == dt.date(2026, 12, 7)  # Mon to Mon
    assert add_working_days(dt.date(2026, 12, 4), 1) == dt.date(2026, 12, 7)  # Fri to Mon
    assert add_working_days(dt.date(2026, 12, 4), 0) == dt.date(2026, 12, 4)


def test_working_days_between_count_the_days_after_the_start():
    assert working_days_between(dt.date(2026, 11, 30), dt.date(2026, 12, 7)) == 5
    assert working_days_between(dt.date(2026, 12, 5), dt.date(2026, 12, 6)) == 0  # a weekend
    assert working_days_between(dt.date(2026, 12, 7), dt.date(2026, 12, 1)) == 0


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(dt.date(2026, 12, 1), -1)
