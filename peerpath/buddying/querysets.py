from __future__ import annotations

import datetime as dt
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


def members_supported_by(supporter_user: User) -> list[Membership]:
    """The members she is matched with now, in every organisation she supports in."""
    from peerpath.accounts.models import Membership

    return list(
        Membership.objects.filter(
            matches__supporter__user=supporter_user,
            matches__supporter__ended_at__isnull=True,
            matches__status=MatchStatus.ACTIVE,
            ended_at__isnull=True,
        )
        .select_related("user")
        .distinct()
        .order_by("user__display_name", "pk")
    )


def supporters_of(member: Membership) -> list[Membership]:
    """Her peer supporters now (their places in her organisation, with their names)."""
    from peerpath.accounts.models import Membership

    return list(
        Membership.objects.filter(
            supporting__member=member,
            supporting__status=MatchStatus.ACTIVE,
            ended_at__isnull=True,
            user__is_active=True,
        )
        .select_related("user")
        .distinct()
        .order_by("user__display_name", "pk")
    )


def active_match_since(*, member: Membership, supporter_user: User) -> dt.datetime | None:
    """When the active match between them began, or None when they are not matched now."""
    return (
        Match.objects.filter(
            member=member,
            member__ended_at__isnull=True,
            supporter__user=supporter_user,
            supporter__ended_at__isnull=True,
            status=MatchStatus.ACTIVE,
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
