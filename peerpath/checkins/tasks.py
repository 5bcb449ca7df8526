"""Work the worker does for check-ins: thin wrappers that call a service."""

from __future__ import annotations

import datetime as dt

from peerpath.checkins.services import reminders_send_due
from peerpath.core.actors import WORKER
from peerpath.jobs.registry import periodic


@periodic("checkins.send_reminders", every=dt.timedelta(minutes=5))
def send_reminders() -> int:
    return reminders_send_due(actor=WORKER)
