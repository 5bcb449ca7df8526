"""Who may see which check-ins: hers are hers; someone she shares with sees only the measures
she shared, while she shares them, and every look is logged where she can see it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from peerpath.accounts.access import her_member_place, own_member_memberships, roles_in
from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership, User
from peerpath.audit.models import Action, AuditEvent
from peerpath.audit.services import audit_record
from peerpath.buddying.querysets import active_match_since
from peerpath.checkins.models import CheckIn, CheckInStatus, Reminder, Share

if TYPE_CHECKING:
    from peerpath.accounts.access import AnyUser

SHARE_VIEWER_ROLES = (Role.PEER_SUPPORTER, Role.COORDINATOR)


def her_membership(user: AnyUser) -> Membership:
    """Her member place (``accounts.access.her_member_place``); 404 for anyone who is not a
    member."""
    membership = her_member_place(user)
    if membership is None:
        raise Http404
    return membership


def own_checkins(membership: Membership) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(membership=membership)


def own_results(
    membership: Membership, instrument_ids: list[str] | None = None
) -> QuerySet[CheckIn]:
    """Her finished check-ins, oldest first (optionally only these measures)."""
    found = CheckIn.objects.filter(membership=membership, status=CheckInStatus.DONE)
    if instrument_ids is not None:
        found = found.filter(instrument__in=instrument_ids)
    return found.order_by("completed_at", "pk")


def trend_rows(membership: Membership, instrument_ids: list[str]) -> list[Any]:
    """Her finished check-ins of these measures, oldest first, as light rows of what
    finishing stored beside the answers (never the encrypted answers): five years of weekly
    check-ins is 260 rows a measure."""
    return list(
        own_results(membership, instrument_ids).values_list(
            "instrument", "completed_on", "total", "band", "risk", named=True
        )
    )


def latest_results(membership: Membership) -> dict[str, Any]:
    """The day she last finished each measure (light rows, one query)."""
    latest: dict[str, Any] = {}
    rows = (
        own_results(membership)
        .order_by("-completed_at", "-pk")
        .values_list("instrument", "completed_on", named=True)
    )
    for row in rows:
        latest.setdefault(row.instrument, row)
    return latest


def get_own_checkin(user: AnyUser, public_id: str) -> CheckIn:
    """One of her own check-ins (404 for anyone else's)."""
    return get_object_or_404(
        CheckIn.objects.select_related("organisation", "membership"),
        public_id=public_id,
        membership__in=own_member_memberships(user),
    )


def _may_be_shown(viewer: Membership, member: Membership, *, shared_at: Any = None) -> bool:
    """A coordinator of her organisation, or her peer supporter while they are matched (for a
    share, matched since before she shared: a match ended and made again does not bring back
    what she shared in the earlier one)."""
    if viewer.ended_at is not None or viewer.organisation_id != member.organisation_id:
        return False
    if viewer.role == Role.COORDINATOR:
        return True
    if viewer.role != Role.PEER_SUPPORTER:
        return False
    since = active_match_since(member=member, supporter_user=viewer.user)
    return since is not None and (shared_at is None or since <= shared_at)


def _live(share: Share) -> bool:
    return _may_be_shown(share.viewer, share.membership, shared_at=share.created_at)


def share_choices(membership: Membership) -> list[Membership]:
    """The people she may share with: her matched peer supporters and her organisation's
    coordinators, each once (by their place in the organisation)."""
    people = (
        Membership.objects.filter(
            organisation_id=membership.organisation_id,
            role__in=SHARE_VIEWER_ROLES,
            ended_at__isnull=True,
            user__is_active=True,
        )
        .exclude(user_id=membership.user_id)
        .select_related("user")
        .order_by("user__display_name", "role", "pk")
    )
    allowed = [viewer for viewer in people if _may_be_shown(viewer, membership)]
    # Her own peer supporters first: the person she most likely means.
    return sorted(allowed, key=lambda viewer: viewer.role != Role.PEER_SUPPORTER)


def own_reminder(membership: Membership) -> Reminder | None:
    return Reminder.objects.filter(membership=membership).first()


def all_own_shares(membership: Membership) -> list[Share]:
    """Every share she has made, stopped ones too (their looks stay hers to see)."""
    return list(Share.objects.filter(membership=membership))


def own_live_shares(membership: Membership) -> list[Share]:
    """Her shares that still show someone her results (not those whose person may no longer
    see them: a match or a role that ended)."""
    shares = (
        Share.objects.filter(membership=membership, stopped_at__isnull=True)
        .select_related("viewer__user", "membership")
        .order_by("viewer__user__display_name", "pk")
    )
    return [share for share in shares if _live(share)]


def get_own_share(user: AnyUser, public_id: str) -> Share:
    return get_object_or_404(
        Share.objects.select_related("viewer__user", "membership__organisation"),
        public_id=public_id,
        membership__in=own_member_memberships(user),
    )


def share_looks(shares: list[Share]) -> list[AuditEvent]:
    """When the people she shares with looked: the audit rows of their reads, newest first."""
    if not shares:
        return []
    return list(
        AuditEvent.objects.filter(
            action=Action.READ,
            object_type=Share._meta.label,
            object_id__in=[str(share.public_id) for share in shares],
        )
        .select_related("actor")
        .order_by("-at", "-pk")[:50]
    )


def get_shared_with_me(user: AnyUser, public_id: str) -> Share:
    """A share she made with this person, while it lasts and while they may still be shown
    it; each look is an audit row she sees. 404 for anyone else, and once she stops."""
    if not isinstance(user, User):
        raise Http404
    share = get_object_or_404(
        Share.objects.select_related(
            "viewer__user", "membership__user", "membership__organisation"
        ),
        public_id=public_id,
        viewer__user=user,
        stopped_at__isnull=True,
        membership__ended_at__isnull=True,
    )
    if not roles_in(user, share.membership.organisation_id) or not _live(share):
        raise Http404
    audit_record(
        actor=user,
        action=Action.READ,
        obj=share,
        organisation=share.membership.organisation,
        fields=["instruments"],
    )
    return share


def shared_with_me(user: AnyUser) -> list[Share]:
    """Live shares with this person that she may still be shown (the staff home lists them)."""
    if not isinstance(user, User):
        return []
    shares = (
        Share.objects.filter(
            Q(viewer__role__in=SHARE_VIEWER_ROLES),
            viewer__user=user,
            viewer__ended_at__isnull=True,
            stopped_at__isnull=True,
            membership__ended_at__isnull=True,
        )
        .select_related("viewer__user", "membership__user")
        .order_by("membership__user__display_name", "pk")
    )
    return [share for share in shares if _live(share)]


def shared_results(share: Share) -> list[Any]:
    """Only what she shared: her finished check-ins of the shared measures, as trend rows."""
    return trend_rows(share.membership, list(share.instruments))
