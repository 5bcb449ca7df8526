"""Each demo charity starts with the standard UK crisis contacts, marked as needing checking."""

from __future__ import annotations

from peerpath.core.actors import DEMO
from peerpath.core.demo import DemoWorld, demo_step
from peerpath.safeguarding.services import crisis_contacts_seed_defaults


@demo_step
def seed(world: DemoWorld) -> None:
    for organisation in world.organisations.values():
        crisis_contacts_seed_defaults(organisation=organisation, actor=DEMO)
