"""Who may see what in one-to-one support."""

from __future__ import annotations

from peerpath.accounts.access import member_view_rule, roles_by_organisation, roles_in
from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership, User
from peerpath.buddying.querysets import active_match_exists, members_supported_by


@member_view_rule
def can_supporter_view_member(user: User, member: Membership) -> bool:
    """A peer supporter sees the members matched with her, while the match is active."""
    return Role.PEER_SUPPORTER in roles_in(user, member.organisation_id) and active_match_exists(
        member=member, supporter_user=user
    )


def members_she_supports(user: User) -> list[Membership]:
    """The members a peer supporter is matched with now; nobody else's."""
    if Role.PEER_SUPPORTER not in {
        role for roles in roles_by_organisation(user).values() for role in roles
    }:
        return []
    return members_supported_by(user)
