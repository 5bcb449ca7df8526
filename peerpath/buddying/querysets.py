from __future__ import annotations

from typing import TYPE_CHECKING

from peerpath.buddying.models import Match, MatchStatus

if TYPE_CHECKING:
    from peerpath.accounts.models import Membership, User


def active_match_exists(*, member: Membership, supporter_user: User) -> bool:
    return Match.objects.filter(
        member=member,
        member__ended_at__isnull=True,
        supporter__user=supporter_user,
        supporter__ended_at__isnull=True,
        status=MatchStatus.ACTIVE,
    ).exists()
