"""How one-to-one support reacts to changes in accounts (``peerpath.accounts.hooks``), in the
same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peerpath.accounts import hooks
from peerpath.buddying.services import requests_forget_health_details

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor


@hooks.health_data_consent_withdrawn.register
def forget_her_requests(*, actor: Actor, user: User) -> None:
    """What she asked for is health information: withdrawing consent removes it, and a
    request still open is withdrawn (nobody is asked to support her on it any more)."""
    requests_forget_health_details(actor=actor, user=user)
