"""Her activity in the audit log: exported, and kept at erasure."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from peerpath.audit.models import AuditEvent
from peerpath.core.privacy import PersonalData, register

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor


def export(user: User) -> dict[str, Any]:
    return {
        "activity": [
            {
                "when": event.at.isoformat(),
                "what": event.get_action_display(),
                "record": event.object_type,
            }
            for event in AuditEvent.objects.filter(actor=user).order_by("-at")[:500]
        ]
    }


def erase(*, actor: Actor, user: User, now: dt.datetime) -> None:
    """Nothing to do: the log holds field names, never values, and says who looked."""


register(
    PersonalData(
        app="audit",
        export=export,
        erase=erase,
        kept={
            "audit.AuditEvent": "append-only proof of who changed or looked at what; it holds "
            "field names and a pseudonymous label, never her details",
        },
    )
)
