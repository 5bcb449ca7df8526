"""Periodic: keep eight weeks of dated sessions ahead of today."""

from __future__ import annotations

import datetime as dt

from peerpath.directory import alerts  # noqa: F401 - registers the saved-search check
from peerpath.directory.models import Schedule
from peerpath.directory.services import occurrences_expand
from peerpath.jobs.registry import periodic


@periodic("directory.expand_occurrences", every=dt.timedelta(hours=24))
def expand_occurrences() -> int:
    return sum(
        occurrences_expand(schedule=schedule)
        for schedule in Schedule.objects.filter(service__is_active=True)
    )
