"""Her rights over what is held about her: a copy of everything, and erasure.

Each app contributes what it holds in its own ``privacy.py`` (``peerpath.core.privacy``); this
module runs them and never names another app's tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from peerpath.accounts.models import User
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.core import clock
from peerpath.core.privacy import registered

if TYPE_CHECKING:
    from peerpath.core.actors import Actor


def member_data_export(*, actor: Actor, user: User) -> dict[str, Any]:
    """Everything PeerPath holds about this person, in plain structures (for JSON and HTML)."""
    data: dict[str, Any] = {"exported_at": clock.now().isoformat()}
    for personal_data in registered():
        for key, value in personal_data.export(user).items():
            if key in data:
                raise ValueError(f"Two apps export {key!r}.")
            data[key] = value
    audit_record(actor=actor, action=Action.EXPORT, obj=user)
    return data


@transaction.atomic
def user_erase(*, actor: Actor, user: User) -> User:
    """Anonymise her. Keeps only what law and safeguarding require, and shows it to nobody new.

    Every app's eraser runs in this one transaction, the highest layer first (her bookings are
    cancelled while her account still exists), accounts last. What each app keeps, and why, is
    declared beside its eraser (``PersonalData.kept``).
    """
    now = clock.now()
    audit_record(actor=actor, action=Action.DELETE, obj=user, detail="erasure")
    for personal_data in reversed(registered()):
        personal_data.erase(actor=actor, user=user, now=now)
    return user
