"""What accounts tells the apps above it (peerpath.core.hooks; receivers in their
``reactions.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peerpath.core.hooks import hook

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor


@hook
def health_data_consent_withdrawn(*, actor: Actor, user: User) -> None:
    """She withdrew her consent to the use of health information: every app deletes the
    health details it holds about her and stops using them (check-ins, their sharing and
    reminders). Inside the withdrawing transaction."""
