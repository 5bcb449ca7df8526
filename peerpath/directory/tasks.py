"""Periodic: keep eight weeks of dated sessions ahead of today."""

from __future__ import annotations

import datetime as dt

from peerpath.core.actors import WORKER
from peerpath.directory import alerts  # noqa: F401 - registers the saved-search check
from peerpath.directory.services import occurrences_expand_all
from peerpath.jobs.registry import periodic


@periodic("directory.expand_occurrences", every=dt.timedelta(hours=24))
def expand_occurrences() -> int:
    return occurrences_expand_all(actor=WORKER)
