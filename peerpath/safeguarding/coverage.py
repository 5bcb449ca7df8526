"""The rota's coverage over the coming weeks: what a safeguarding lead checks before a gap
becomes an alert nobody sees."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from peerpath.notifications.access import users_with_checked_phones
from peerpath.notifications.models import PushSubscription
from peerpath.safeguarding.models import DutyPosition
from peerpath.safeguarding.rota import (
    Interval,
    Shift,
    clip,
    merge,
    shifts,
    staffed_hours_for,
    staffed_windows,
    subtract,
    total,
)

if TYPE_CHECKING:
    from peerpath.accounts.models import Organisation, User

# More than this much above an even share of the shifts is flagged.
UNEVEN_SHARE = 1.25


@dataclass
class PersonLoad:
    person: User
    hours: float
    share: float  # of all rota hours
    over_share: bool
    reachable: bool

    @property
    def hours_text(self) -> str:
        """ "392", "13.5": whole hours without a decimal point."""
        return f"{self.hours:g}"


@dataclass
class Coverage:
    start: dt.datetime
    end: dt.datetime
    staffed_hours: float
    primary_gaps: list[Interval]
    backup_gaps: list[Interval]
    uncovered_share: float  # of staffed hours with nobody on duty
    loads: list[PersonLoad] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)

    @property
    def unreachable(self) -> list[PersonLoad]:
        return [load for load in self.loads if not load.reachable]

    @property
    def uncovered_percent(self) -> int:
        return round(self.uncovered_share * 100)


def reachable(person: User, *, push_users: set[int], texted_users: set[int]) -> bool:
    """A mobile number she has shown is hers, or a phone or browser signed up for
    notifications."""
    return person.pk in texted_users or person.pk in push_users


def _hours(delta: dt.timedelta) -> float:
    return round(delta.total_seconds() / 3600, 1)


def coverage_for(organisation: Organisation, *, start: dt.datetime, days: int) -> Coverage:
    end = start + dt.timedelta(days=days)
    staffed = staffed_windows(staffed_hours_for(organisation), start, end)
    all_shifts = shifts(organisation, start, end)
    covered: dict[str, list[Interval]] = defaultdict(list)
    per_person: dict[int, dt.timedelta] = defaultdict(dt.timedelta)
    people: dict[int, User] = {}
    for shift in all_shifts:
        if shift.person is None or not shift.person.is_active:
            continue
        for low, high in clip([(shift.starts_at, shift.ends_at)], start, end):
            covered[shift.position].append((low, high))
            per_person[shift.person.pk] += high - low
        people[shift.person.pk] = shift.person
    primary_gaps = subtract(staffed, covered[DutyPosition.PRIMARY])
    backup_gaps = subtract(staffed, covered[DutyPosition.BACKUP])
    staffed_total = total(staffed)
    uncovered = total(primary_gaps)
    rota_total = sum(per_person.values(), dt.timedelta())
    push_users = set(
        PushSubscription.objects.filter(user_id__in=list(people)).values_list("user_id", flat=True)
    )
    texted_users = users_with_checked_phones(list(people.values()))
    even = rota_total / len(people) if people else dt.timedelta()
    loads = [
        PersonLoad(
            person=people[pk],
            hours=_hours(hours),
            share=hours / rota_total if rota_total else 0.0,
            over_share=len(people) > 1 and hours > even * UNEVEN_SHARE,
            reachable=reachable(people[pk], push_users=push_users, texted_users=texted_users),
        )
        for pk, hours in sorted(per_person.items(), key=lambda item: -item[1])
    ]
    return Coverage(
        start=start,
        end=end,
        staffed_hours=_hours(staffed_total),
        primary_gaps=merge(primary_gaps),
        backup_gaps=merge(backup_gaps),
        uncovered_share=(uncovered / staffed_total) if staffed_total else 0.0,
        loads=loads,
        shifts=all_shifts,
    )
