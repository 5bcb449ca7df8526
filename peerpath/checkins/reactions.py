"""How check-ins react to changes in accounts (``peerpath.accounts.hooks``), in the same
transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peerpath.accounts import hooks
from peerpath.checkins.services import checkins_delete_all

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor


@hooks.health_data_consent_withdrawn.register
def delete_her_check_ins(*, actor: Actor, user: User) -> None:
    """Her answers are health information: withdrawing consent deletes them, ends her sharing
    and stops her reminders."""
    checkins_delete_all(actor=actor, user=user)
