"""Print the awkward instants CI runs the suite at, one per line (Europe/London wall-clock).

Each is the next one after today, so they never fall behind the data a run creates:
- a Monday just after midnight, before any session of the week has begun;
- a Sunday evening, when "this week" is nearly over;
- the night the clocks go forward, half an hour before 1am becomes 2am;
- the night the clocks go back, in the first of the two 1:30s.
"""

from __future__ import annotations

import datetime as dt
import sys
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def _offset(day: dt.date) -> dt.timedelta:
    noon = dt.datetime.combine(day, dt.time(12), LONDON)
    return noon.utcoffset() or dt.timedelta(0)


def awkward_instants(today: dt.date) -> list[str]:
    def next_weekday(weekday: int) -> dt.date:
        return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)

    forward = back = None
    day = today
    for _ in range(400):
        following = day + dt.timedelta(days=1)
        if _offset(following) > _offset(day) and forward is None:
            forward = following
        if _offset(following) < _offset(day) and back is None:
            back = following
        day = following
    if forward is None or back is None:
        raise SystemExit("No clock change in Europe/London within a year.")
    return [
        f"{next_weekday(0).isoformat()}T00:05",
        f"{next_weekday(6).isoformat()}T21:30",
        f"{forward.isoformat()}T00:30",
        f"{back.isoformat()}T01:30",
    ]


if __name__ == "__main__":
    given = sys.argv[1] if len(sys.argv) > 1 else None
    today = dt.date.fromisoformat(given) if given else dt.datetime.now(LONDON).date()
    print("\n".join(awkward_instants(today)))
