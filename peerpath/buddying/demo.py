"""Amelia is matched with Hazel, a peer supporter who also had hyperemesis."""

from __future__ import annotations

from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership
from peerpath.buddying.services import match_create
from peerpath.core.actors import DEMO
from peerpath.core.demo import DemoWorld, demo_step


@demo_step
def seed(world: DemoWorld) -> None:
    amelia, hazel = world.people["amelia"], world.people["hazel"]
    match_create(
        actor=DEMO,
        member=Membership.objects.get(user=amelia, role=Role.MEMBER, ended_at__isnull=True),
        supporter=Membership.objects.get(
            user=hazel, role=Role.PEER_SUPPORTER, ended_at__isnull=True
        ),
    )
