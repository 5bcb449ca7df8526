"""Who did something: a person, or a named part of PeerPath acting on its own.

Every service takes a required ``actor``. A person is a ``User``; anything else is one of the
named system actors below, so the audit log never says a vague "system" and an omitted actor
is a type error, not a silent default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from peerpath.accounts.models import User


@dataclass(frozen=True)
class SystemActor:
    """A named actor that is not a person (the worker, an import, the demo data)."""

    name: str
    description: str

    @property
    def label(self) -> str:
        return f"system: {self.name}"

    def __str__(self) -> str:
        return self.label


WORKER = SystemActor("worker", "the background worker, running something that fell due")
IMPORT = SystemActor("import", "an Open Referral import run by an operator")
DEMO = SystemActor("demo", "the invented demo data")
OPERATOR = SystemActor("operator", "an operator's manage.py command")
SIGN_UP = SystemActor("sign-up", "a person creating her own account")
VISITOR = SystemActor("visitor", "someone who is not signed in")

Actor: TypeAlias = "User | SystemActor"


def actor_label(actor: Actor) -> str:
    """A pseudonymous description that survives the person's erasure."""
    if isinstance(actor, SystemActor):
        return actor.label
    return f"user {actor.public_id}"
