"""Every change to matches goes through here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.buddying.models import Match, MatchStatus
from peerpath.core import clock

if TYPE_CHECKING:
    from peerpath.accounts.models import Membership
    from peerpath.core.actors import Actor


@transaction.atomic
def match_create(*, actor: Actor, member: Membership, supporter: Membership) -> Match:
    """Pair a member with a peer supporter of the same organisation."""
    if member.organisation_id != supporter.organisation_id:
        raise ValueError("A member and her peer supporter belong to the same organisation.")
    match = Match.objects.create(
        organisation_id=member.organisation_id, member=member, supporter=supporter
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=match,
        organisation=member.organisation,
        fields=["member", "supporter"],
    )
    return match


@transaction.atomic
def match_end(*, actor: Actor, match: Match, detail: str = "") -> Match:
    match.status = MatchStatus.ENDED
    match.ended_at = clock.now()
    match.save(update_fields=["status", "ended_at", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=match,
        organisation=match.organisation,
        fields=["ended_at", "status"],
        detail=detail,
    )
    return match
