"""Who sees peer supporters' training, checks and supervision.

The organisation's coordinators and safeguarding leads see and record them (supervision notes
included). A peer supporter sees her own: her training, checks, sessions' dates and agreed
actions (never the supervisor's notes), her debriefs due and her wellbeing check-ins. Its
admins keep the training modules and the supervision interval in the admin. Nobody sees
another organisation's. Fetches answer 404 to anyone else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from peerpath.accounts.access import get_staff_organisation, roles_in
from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership, Organisation, User
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.safeguarding.access import is_safeguarding_lead
from peerpath.supervision.models import (
    BackgroundCheck,
    DebriefDue,
    SupervisionSession,
    TrainingCompletion,
    TrainingModule,
    WellbeingCheckIn,
)

if TYPE_CHECKING:
    from peerpath.accounts.access import AnyUser


# Capabilities ---------------------------------------------------------------------------------


def can_supervise(user: AnyUser, organisation: Organisation | int) -> bool:
    """See and record the training, checks and supervision of the organisation's peer
    supporters: its coordinators and its safeguarding leads."""
    if not user.is_authenticated:
        return False
    if Role.COORDINATOR in roles_in(user, organisation):
        return True
    return is_safeguarding_lead(user, organisation)


# Fetching: coordinators and safeguarding leads -----------------------------------------------


def supervision_organisation(user: AnyUser, slug: str) -> Organisation:
    """The organisation, for those who supervise its peer supporters; 404 for anyone else."""
    organisation = get_staff_organisation(user, slug)
    if not can_supervise(user, organisation):
        raise Http404
    return organisation


def _require(user: AnyUser, organisation_id: int) -> None:
    if not can_supervise(user, organisation_id):
        raise Http404


def peer_supporters_of(user: AnyUser, organisation: Organisation) -> list[Membership]:
    """The organisation's peer supporters now, by name."""
    _require(user, organisation.pk)
    return list(
        Membership.objects.filter(
            organisation=organisation,
            role=Role.PEER_SUPPORTER,
            ended_at__isnull=True,
            user__is_active=True,
        )
        .select_related("user", "organisation")
        .order_by("user__display_name", "pk")
    )


def get_supporter_for_user(user: AnyUser, organisation: Organisation, public_id: str) -> Membership:
    """One peer supporter's place in the organisation (her role may have ended), for those who
    supervise there. Opening her record is an audited read: it holds supervision notes."""
    _require(user, organisation.pk)
    supporter: Membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation", "supporter_profile"),
        public_id=public_id,
        organisation=organisation,
        role=Role.PEER_SUPPORTER,
    )
    if not isinstance(user, User):
        raise Http404
    audit_record(
        actor=user,
        action=Action.READ,
        obj=supporter,
        organisation=organisation,
        detail="supervision record",
    )
    return supporter


def completions_of(user: AnyUser, supporter: Membership) -> list[TrainingCompletion]:
    _require(user, supporter.organisation_id)
    return list(
        TrainingCompletion.objects.filter(supporter=supporter).select_related(
            "module", "recorded_by"
        )
    )


def checks_of(user: AnyUser, supporter: Membership) -> list[BackgroundCheck]:
    _require(user, supporter.organisation_id)
    return list(BackgroundCheck.objects.filter(supporter=supporter).select_related("recorded_by"))


def sessions_of(user: AnyUser, supporter: Membership) -> list[SupervisionSession]:
    """Her sessions with the supervisor's notes: for coordinators and leads only."""
    _require(user, supporter.organisation_id)
    return list(SupervisionSession.objects.filter(supporter=supporter).select_related("supervisor"))


def debriefs_of(user: AnyUser, supporter: Membership) -> list[DebriefDue]:
    """Her debriefs still due, oldest first."""
    _require(user, supporter.organisation_id)
    return list(
        DebriefDue.objects.filter(supporter=supporter, cleared_at__isnull=True).select_related(
            "alert"
        )
    )


def wellbeing_of(user: AnyUser, supporter: Membership) -> list[WellbeingCheckIn]:
    """Her wellbeing check-ins, newest first (the last 20)."""
    _require(user, supporter.organisation_id)
    return list(
        WellbeingCheckIn.objects.filter(supporter=supporter).select_related("followed_up_by")[:20]
    )


def get_wellbeing_for_user(
    user: AnyUser, organisation: Organisation, supporter: Membership, public_id: str
) -> WellbeingCheckIn:
    _require(user, organisation.pk)
    checkin: WellbeingCheckIn = get_object_or_404(
        WellbeingCheckIn, public_id=public_id, supporter=supporter
    )
    return checkin


def modules_to_record(user: AnyUser, organisation: Organisation) -> list[TrainingModule]:
    """The organisation's modules in use, for recording a completion."""
    _require(user, organisation.pk)
    return list(TrainingModule.objects.filter(organisation=organisation, in_use=True))


def supervisors_of(user: AnyUser, organisation: Organisation) -> list[User]:
    """The people who may hold supervision: the organisation's coordinators and leads now."""
    from peerpath.supervision.querysets import supervising_people

    _require(user, organisation.pk)
    return supervising_people(organisation)


def overview_of(user: AnyUser, supporters: list[Membership]) -> dict[str, dict[int, Any]]:
    """For the overview: each supporter's debriefs due (a count) and her newest wellbeing
    check-in, keyed by Membership.pk. Two queries however many supporters."""
    for organisation_id in {supporter.organisation_id for supporter in supporters}:
        _require(user, organisation_id)
    ids = [supporter.pk for supporter in supporters]
    debriefs: dict[int, int] = {}
    for supporter_id in DebriefDue.objects.filter(
        supporter_id__in=ids, cleared_at__isnull=True
    ).values_list("supporter_id", flat=True):
        debriefs[supporter_id] = debriefs.get(supporter_id, 0) + 1
    latest: dict[int, WellbeingCheckIn] = {}
    if ids:
        for checkin in WellbeingCheckIn.objects.filter(supporter_id__in=ids).order_by(
            "supporter_id", "-created_at", "-pk"
        ):
            latest.setdefault(checkin.supporter_id, checkin)
    return {"debriefs": debriefs, "wellbeing": latest}


# Fetching: the peer supporter herself -------------------------------------------------------


def own_supporter_places(user: AnyUser) -> list[Membership]:
    """Her peer-supporter places now, in each organisation."""
    if not isinstance(user, User):
        return []
    return list(
        Membership.objects.filter(user=user, role=Role.PEER_SUPPORTER, ended_at__isnull=True)
        .select_related("organisation", "user")
        .order_by("organisation__name", "pk")
    )


def _own(user: AnyUser, supporter: Membership) -> None:
    if not isinstance(user, User) or supporter.user_id != user.pk:
        raise Http404


def own_sessions(user: AnyUser, supporter: Membership) -> list[Any]:
    """Her sessions as she sees them: the date, who held it, whether it was a debrief and what
    was agreed. Light rows: the supervisor's notes are never read for her."""
    _own(user, supporter)
    return list(
        SupervisionSession.objects.filter(supporter=supporter).values_list(
            "held_on", "is_debrief", "agreed_actions", "supervisor__display_name", named=True
        )[:50]
    )


def own_debriefs(user: AnyUser, supporter: Membership) -> list[DebriefDue]:
    _own(user, supporter)
    return list(
        DebriefDue.objects.filter(supporter=supporter, cleared_at__isnull=True).select_related(
            "alert"
        )
    )


def own_wellbeing(user: AnyUser, supporter: Membership) -> QuerySet[WellbeingCheckIn]:
    _own(user, supporter)
    return WellbeingCheckIn.objects.filter(supporter=supporter)
