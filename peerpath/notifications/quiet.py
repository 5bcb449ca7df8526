"""Quiet hours: when nothing but safeguarding may buzz her phone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def quiet_until(
    *, start: dt.time | None, end: dt.time | None, now: dt.datetime
) -> dt.datetime | None:
    """The end of the quiet period ``now`` falls in, or None if it is not quiet.

    Times are the charity's local time; the period may run past midnight (21:00 to 08:00).
    """
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    today = local.date()
    clock_time = local.time()
    if start < end:  # e.g. 13:00 to 15:00
        quiet = start <= clock_time < end
        end_day = today
    else:  # runs past midnight
        quiet = clock_time >= start or clock_time < end
        end_day = today + dt.timedelta(days=1) if clock_time >= start else today
    if not quiet:
        return None
    naive = dt.datetime.combine(end_day, end)
    return timezone.make_aware(naive, timezone.get_current_timezone())
