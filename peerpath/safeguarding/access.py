"""Who sees alerts: the organisation's coordinators, admins and safeguarding leads. A peer
supporter sees the alerts she raised (their state, not the log). Nobody across organisations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from peerpath.accounts.access import (
    forget_roles,
    get_staff_organisation,
    roles_by_organisation,
    roles_in,
)
from peerpath.accounts.choices import STAFF_ROLES, Role
from peerpath.accounts.models import Membership, Organisation, User
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.core.tokens import token_hash
from peerpath.safeguarding.models import (
    Alert,
    AlertAction,
    AlertSource,
    AlertStatus,
    DutyFeed,
    FollowUp,
    SafeguardingLead,
)

if TYPE_CHECKING:
    from peerpath.accounts.access import AnyUser

HANDLING_ROLES = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})
_LEADS_CACHE = "_peerpath_lead_organisations"


def _lead_organisations(user: User) -> frozenset[int]:
    """The organisations she is a safeguarding lead of; cached on the user object."""
    cached: frozenset[int] | None = getattr(user, _LEADS_CACHE, None)
    if cached is None:
        named = (
            Organisation.objects.filter(safeguarding_lead=user)
            .order_by()
            .values_list("pk", flat=True)
        )
        further = (
            SafeguardingLead.objects.filter(person=user)
            .order_by()
            .values_list("organisation_id", flat=True)
        )
        cached = frozenset(named.union(further))
        setattr(user, _LEADS_CACHE, cached)
    return cached


def forget_alert_access(user: AnyUser) -> None:
    """Forget her roles and the organisations she is a lead of, cached on the user object, so
    the next check reads them again (a long-lived connection, a reminder sent days later)."""
    forget_roles(user)
    if hasattr(user, _LEADS_CACHE):
        delattr(user, _LEADS_CACHE)


def is_safeguarding_lead(user: AnyUser, organisation: Organisation | int) -> bool:
    """Named on the organisation, or one of its further leads, and still on its staff."""
    if not isinstance(user, User):
        return False
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    if not roles_in(user, organisation_id) & STAFF_ROLES:
        return False
    return organisation_id in _lead_organisations(user)


def can_handle_alerts(user: AnyUser, organisation: Organisation | int) -> bool:
    """The safeguarding capability: read, acknowledge and close the organisation's alerts."""
    if not user.is_authenticated:
        return False
    if roles_in(user, organisation) & HANDLING_ROLES:
        return True
    return is_safeguarding_lead(user, organisation)


def can_manage_rota(user: AnyUser, organisation: Organisation | int) -> bool:
    """The rota, staffed hours and tiers: the safeguarding leads and the organisation's admins."""
    return has_admin_role(user, organisation) or is_safeguarding_lead(user, organisation)


def has_admin_role(user: AnyUser, organisation: Organisation | int) -> bool:
    return Role.ORG_ADMIN in roles_in(user, organisation)


def alert_organisations(user: AnyUser) -> list[int]:
    """The organisations whose alerts she may handle."""
    return [
        organisation_id
        for organisation_id in roles_by_organisation(user)
        if can_handle_alerts(user, organisation_id)
    ]


def alert_organisation_slugs(user: AnyUser) -> list[str]:
    return list(
        Organisation.objects.filter(pk__in=alert_organisations(user))
        .order_by("name")
        .values_list("slug", flat=True)
    )


def alerts_for(user: AnyUser, organisation: Organisation) -> QuerySet[Alert]:
    """The organisation's alerts, for those who handle them; 404 for anyone else."""
    if not can_handle_alerts(user, organisation):
        raise Http404
    return Alert.objects.filter(organisation=organisation).select_related("owner", "member")


def alerts_last_changed(user: AnyUser, organisation_id: int) -> tuple[Any, int]:
    """When the organisation's alerts last changed, and how many there are: what the live
    dashboard compares to notice another process's change. 404 for anyone else."""
    if not can_handle_alerts(user, organisation_id):
        raise Http404
    found = Alert.objects.filter(organisation_id=organisation_id).aggregate(
        newest=Max("updated_at"), count=Count("pk")
    )
    return found["newest"], int(found["count"])


def open_alert_count(user: AnyUser) -> int:
    """Alerts nobody has acknowledged yet, across the organisations she handles alerts for:
    what the staff header counts as waiting."""
    ids = alert_organisations(user)
    if not ids:
        return 0
    return int(Alert.objects.filter(organisation_id__in=ids, status=AlertStatus.OPEN).count())


def get_alert(user: AnyUser, public_id: str, *, purpose: str = "") -> Alert:
    """An alert with its context, for someone who handles its organisation's alerts. Every
    read is audited: an alert says something about a person's safety."""
    alert: Alert = get_object_or_404(
        Alert.objects.select_related("organisation", "member", "owner", "raised_by"),
        public_id=public_id,
    )
    if not isinstance(user, User) or not can_handle_alerts(user, alert.organisation_id):
        raise Http404
    audit_record(
        actor=user,
        action=Action.READ,
        obj=alert,
        organisation=alert.organisation,
        detail=purpose,
    )
    return alert


def alerts_raised_by(user: AnyUser) -> QuerySet[Alert]:
    """The alerts she raised herself (a peer supporter's view: their state, who has it)."""
    if not isinstance(user, User):
        raise Http404
    return (
        Alert.objects.filter(raised_by=user)
        .exclude(source=AlertSource.MEMBER_REQUEST)
        .select_related("organisation", "owner", "member")
        .order_by("-created_at")
    )


def get_own_duty_feed(user: AnyUser) -> DutyFeed | None:
    if not isinstance(user, User):
        raise Http404
    return DutyFeed.objects.filter(user=user).first()


def get_duty_feed_for_token(token: str) -> DutyFeed:
    feed: DutyFeed = get_object_or_404(
        DutyFeed.objects.select_related("user"),
        token_hash=token_hash(token),
        user__is_active=True,
    )
    return feed


def staff_organisation_for_alerts(user: AnyUser, slug: str) -> Organisation:
    organisation = get_staff_organisation(user, slug)
    if not can_handle_alerts(user, organisation):
        raise Http404
    return organisation


def rota_organisation(user: AnyUser, slug: str) -> Organisation:
    organisation = get_staff_organisation(user, slug)
    if not can_manage_rota(user, organisation) and not can_handle_alerts(user, organisation):
        raise Http404
    return organisation


def alert_colleagues(user: AnyUser, organisation: Organisation) -> list[User]:
    """The people she can hand an alert to or give a follow-up: the organisation's active
    staff who handle alerts."""
    if not can_handle_alerts(user, organisation):
        raise Http404
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
    return [person for person in people if can_handle_alerts(person, organisation)]


def alert_member_place(user: AnyUser, alert: Alert) -> Membership | None:
    """The member's place and profile in the alert's organisation (how to contact her)."""
    if not can_handle_alerts(user, alert.organisation_id):
        raise Http404
    membership: Membership | None = (
        Membership.objects.filter(
            user_id=alert.member_id, organisation_id=alert.organisation_id, role=Role.MEMBER
        )
        .select_related("member_profile")
        .first()
    )
    return membership


def get_alert_follow_up(user: AnyUser, alert: Alert, public_id: str) -> FollowUp:
    if not can_handle_alerts(user, alert.organisation_id):
        raise Http404
    follow_up: FollowUp = get_object_or_404(FollowUp, alert=alert, public_id=public_id)
    return follow_up


def alert_log(user: AnyUser, alert: Alert) -> tuple[list[AlertAction], list[FollowUp]]:
    """Its log, oldest first, and its follow-ups (read with the alert, already audited)."""
    if not can_handle_alerts(user, alert.organisation_id):
        raise Http404
    return (
        list(AlertAction.objects.filter(alert=alert).select_related("actor")),
        list(FollowUp.objects.filter(alert=alert).select_related("owner")),
    )


def alert_log_names(user: AnyUser, alert: Alert, actions: list[AlertAction]) -> dict[str, str]:
    """The names of the people its pages went to, by public id, for those handling it: one
    query for the whole log."""
    if not can_handle_alerts(user, alert.organisation_id):
        raise Http404
    wanted = {public_id for action in actions for public_id in action.recipients}
    if not wanted:
        return {}
    return {
        str(person.public_id): str(person) for person in User.objects.filter(public_id__in=wanted)
    }
