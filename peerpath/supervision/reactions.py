"""How supervision reacts to safeguarding (``peerpath.safeguarding.hooks``), in the same
transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peerpath.core.actors import WORKER
from peerpath.safeguarding import hooks
from peerpath.supervision.services import debrief_due_record

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.safeguarding.models import Alert


@hooks.alert_debrief_due.register
def record_debrief_due(*, alert: Alert, supporter: User) -> None:
    """An alert she raised was closed: a debrief is due in her supervision. Recorded as
    PeerPath's own doing, as the alert's log records it."""
    debrief_due_record(actor=WORKER, alert=alert, supporter=supporter)
