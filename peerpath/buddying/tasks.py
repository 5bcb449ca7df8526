"""Work the worker does for one-to-one support: thin wrappers that call a service."""

from __future__ import annotations

import datetime as dt

from peerpath.buddying.services import contacts_overdue_tell
from peerpath.core.actors import WORKER
from peerpath.jobs.registry import periodic


@periodic("buddying.contacts_overdue", every=dt.timedelta(minutes=30))
def contacts_overdue() -> int:
    return contacts_overdue_tell(actor=WORKER)
