"""Housekeeping for the job table itself."""

from __future__ import annotations

import datetime as dt

from peerpath.core import clock
from peerpath.jobs.models import Job, OutboxStatus
from peerpath.jobs.registry import periodic

KEEP_DONE_DAYS = 30


@periodic("jobs.purge_finished", every=dt.timedelta(hours=6))
def purge_finished() -> int:
    """Delete jobs done after 30 days. Jobs that failed for good stay until retried."""
    cutoff = clock.now() - dt.timedelta(days=KEEP_DONE_DAYS)
    deleted, _ = Job.objects.filter(status=OutboxStatus.SENT, finished_at__lt=cutoff).delete()
    return deleted
