"""Housekeeping for the job table itself."""

from __future__ import annotations

import datetime as dt

from peerpath.core import clock
from peerpath.core.actors import WORKER
from peerpath.jobs.registry import periodic
from peerpath.jobs.services import jobs_purge_finished

KEEP_DONE_DAYS = 30


@periodic("jobs.purge_finished", every=dt.timedelta(hours=6))
def purge_finished() -> int:
    """Delete jobs done after 30 days. Jobs that failed for good stay until retried."""
    return jobs_purge_finished(actor=WORKER, before=clock.now() - dt.timedelta(days=KEEP_DONE_DAYS))
