"""Where and when there is nothing on: sessions in the next four weeks, counted by stage,
area, weekday and time of day, across every active listing in the directory (other
providers' groups are provision too). Two queries whatever the size of the directory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerpath.core import clock
from peerpath.directory import querysets
from peerpath.directory.choices import ForWhom, TimeOfDay
from peerpath.directory.models import Occurrence

WEEKS = 4
ONLINE = "online"
DAY_NAMES = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)
TIMES = (TimeOfDay.MORNING, TimeOfDay.AFTERNOON, TimeOfDay.EVENING)


def _day(index: int) -> str:
    return str(DAY_NAMES[index])


def _time_word(time: str) -> str:
    return {
        TimeOfDay.MORNING: _("morning"),
        TimeOfDay.AFTERNOON: _("afternoon"),
        TimeOfDay.EVENING: _("evening"),
    }[TimeOfDay(time)]


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


@dataclass
class Grid:
    """Sessions by (weekday, time of day) for one stage in one area (or all areas)."""

    key: str
    name: str
    counts: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rows(self) -> list[tuple[str, list[int]]]:
        return [
            (_day(day), [self.counts.get((day, time), 0) for time in TIMES]) for day in range(7)
        ]

    def summary(self) -> list[str]:
        """Plain sentences about what is missing."""
        if not self.total:
            return [_("No sessions at all in the next %(weeks)s weeks.") % {"weeks": WEEKS}]
        lines = [
            _("No %(time)s sessions on any day.") % {"time": _time_word(time)}
            for time in TIMES
            if not any(self.counts.get((day, time), 0) for day in range(7))
        ]
        empty_days = [
            _day(day)
            for day in range(7)
            if not any(self.counts.get((day, time), 0) for time in TIMES)
        ]
        if empty_days:
            lines.append(_("Nothing on %(days)s.") % {"days": _and_list(empty_days)})
        empty_slots = sum(
            1 for day in range(7) for time in TIMES if not self.counts.get((day, time), 0)
        )
        if not lines and empty_slots:
            lines.append(
                _("Something every day. %(count)s of the 21 days and times have nothing.")
                % {"count": empty_slots}
            )
        if not empty_slots:
            lines.append(_("Something on every day at every time of day."))
        return lines


@dataclass
class Gaps:
    areas: list[tuple[str, str]]  # (key, name), "online" last
    grids: dict[tuple[str, str], Grid]  # (stage, area key) -> grid; area "" is all areas

    def grid(self, stage: str, area: str) -> Grid:
        names = dict(self.areas)
        return self.grids.get((stage, area)) or Grid(area, names.get(area, _("All areas")))


def gaps_find(*, now: dt.datetime | None = None) -> Gaps:
    """Count the next four weeks' sessions for every stage and area at once."""
    start = now or clock.now()
    area_names = querysets.areas()
    areas = [(name, name) for name in area_names] + [(ONLINE, _("Online"))]
    names = dict(areas)
    rows = (
        Occurrence.objects.filter(
            service__is_active=True,
            cancelled=False,
            starts_at__gte=start,
            starts_at__lt=start + dt.timedelta(weeks=WEEKS),
        )
        .annotate(for_whom_text=Cast("service__for_whom", TextField()))
        .values(
            "for_whom_text", "service__online", "service__location__area", "weekday", "time_of_day"
        )
        .annotate(sessions=Count("pk"))
        .order_by()
    )
    grids: dict[tuple[str, str], Grid] = {}
    for row in rows:
        stages = [s for s in json.loads(row["for_whom_text"] or "[]") if s in ForWhom.values]
        area = ONLINE if row["service__online"] else row["service__location__area"]
        if area is None:
            continue
        slot = (row["weekday"], row["time_of_day"])
        for stage in stages:
            for key in (area, ""):
                grid = grids.setdefault(
                    (stage, key), Grid(key, names.get(key, area) if key else _("All areas"))
                )
                grid.counts[slot] += row["sessions"]
    return Gaps(areas=areas, grids=grids)
