"""Reads that need no person's permission (the services' own look-ups)."""

from __future__ import annotations

from peerpath.accounts.choices import STAFF_ROLES
from peerpath.accounts.models import Organisation, User
from peerpath.supervision.access import can_supervise


def supervising_people(organisation: Organisation) -> list[User]:
    """The organisation's coordinators and safeguarding leads now: who is told when a peer
    supporter would like a word."""
    people = (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__ended_at__isnull=True,
            memberships__role__in=list(STAFF_ROLES),
            is_active=True,
        )
        .distinct()
        .order_by("display_name", "pk")
    )
    return [person for person in people if can_supervise(person, organisation)]
