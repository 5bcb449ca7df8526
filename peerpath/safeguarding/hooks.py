"""What safeguarding tells the apps above it (peerpath.core.hooks; receivers in their
``reactions.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peerpath.core.hooks import hook

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.safeguarding.models import Alert


@hook
def alert_debrief_due(*, alert: Alert, supporter: User) -> None:
    """An alert a peer supporter raised was closed: a debrief is due in her supervision (the
    one-to-one support app records it). Inside the closing transaction."""
