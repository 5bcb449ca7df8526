"""Her matches: exported from both sides, and ended at erasure (a supporter stops seeing her,
and a supporter who leaves stops holding places for mothers who would wait for replies)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from peerpath.buddying.models import Match, MatchStatus
from peerpath.buddying.services import match_end
from peerpath.core.privacy import PersonalData, register

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def export(user: User) -> dict[str, Any]:
    rows = Match.objects.filter(Q(member__user=user) | Q(supporter__user=user)).select_related(
        "member__user", "supporter__user"
    )
    return {
        "matches": [
            {
                "you_are": "supported" if match.member.user_id == user.pk else "supporter",
                "with": (
                    match.supporter.user.display_name
                    if match.member.user_id == user.pk
                    else match.member.user.display_name
                ),
                "status": match.get_status_display(),
                "since": _date(match.created_at),
                "ended": _date(match.ended_at),
            }
            for match in rows
        ]
    }


def erase(*, actor: Actor, user: User, now: dt.datetime) -> None:
    for match in Match.objects.filter(
        Q(member__user=user) | Q(supporter__user=user), status=MatchStatus.ACTIVE
    ).select_related("organisation"):
        match_end(actor=actor, match=match, detail="erasure")


register(
    PersonalData(
        app="buddying",
        export=export,
        erase=erase,
        kept={
            "buddying.Match": "ended, not deleted: who supported whom, and when, may be needed "
            "by a later safeguarding review; it holds no notes",
        },
    )
)
