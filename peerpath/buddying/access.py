"""Who may see what in one-to-one support: her request and her match are hers; coordinators of
her organisation match; a supporter sees the proposals made to her and the members matched with
her, while the match is active. 404 to everyone else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404

from peerpath.accounts.access import (
    get_staff_organisation,
    has_role,
    member_view_rule,
    roles_by_organisation,
    roles_in,
)
from peerpath.accounts.choices import Role
from peerpath.accounts.models import MemberProfile, Membership, Organisation, User
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.buddying.choices import OPEN_STATUSES, ProposalStatus
from peerpath.buddying.models import (
    Contact,
    Feedback,
    Goal,
    Match,
    MatchStatus,
    Proposal,
    Review,
    Step,
    SupporterInterest,
    SupportRequest,
)
from peerpath.buddying.querysets import active_match_exists, members_supported_by

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from peerpath.accounts.access import AnyUser


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


# Her own ------------------------------------------------------------------------------------


def her_open_request(membership: Membership) -> SupportRequest | None:
    return SupportRequest.objects.filter(member=membership, status__in=OPEN_STATUSES).first()


def her_last_request(membership: Membership) -> SupportRequest | None:
    return SupportRequest.objects.filter(member=membership).order_by("-created_at", "-pk").first()


def her_matches(membership: Membership) -> list[Match]:
    """Her active matches, with her supporters' names."""
    return list(
        Match.objects.filter(
            member=membership,
            status=MatchStatus.ACTIVE,
            supporter__ended_at__isnull=True,
        )
        .select_related("supporter__user")
        .order_by("created_at", "pk")
    )


def get_her_match(membership: Membership, public_id: str) -> Match:
    return get_object_or_404(
        Match.objects.select_related("supporter__user", "request"),
        public_id=public_id,
        member=membership,
        status=MatchStatus.ACTIVE,
    )


# Coordinators -------------------------------------------------------------------------------


def can_match(user: AnyUser, organisation: Organisation | int) -> bool:
    """Coordinators see requests, suggestions and propose matches."""
    return has_role(user, organisation, Role.COORDINATOR)


def matching_organisation(user: AnyUser, slug: str) -> Organisation:
    organisation = get_staff_organisation(user, slug)
    if not can_match(user, organisation):
        raise Http404
    return organisation


def open_requests(organisation: Organisation) -> QuerySet[SupportRequest]:
    return (
        SupportRequest.objects.filter(organisation=organisation, status__in=OPEN_STATUSES)
        .select_related("member__user")
        .order_by("created_at", "pk")
    )


def get_request(user: AnyUser, organisation: Organisation, public_id: str) -> SupportRequest:
    if not can_match(user, organisation):
        raise Http404
    found = get_object_or_404(
        SupportRequest.objects.select_related("member__user", "organisation"),
        public_id=public_id,
        organisation=organisation,
    )
    audit_record(
        actor=user,  # type: ignore[arg-type]
        action=Action.READ,
        obj=found,
        organisation=organisation,
        detail="request page",
    )
    return found


def matching_organisations(user: AnyUser) -> list[Organisation]:
    ids = [oid for oid, roles in roles_by_organisation(user).items() if Role.COORDINATOR in roles]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


# Supporters ---------------------------------------------------------------------------------


def get_proposal(user: AnyUser, public_id: str) -> Proposal:
    """A proposal made to her, while she is a peer supporter there."""
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "request__member__user", "request__organisation", "supporter__user", "proposed_by"
        ),
        public_id=public_id,
        supporter__user_id=getattr(user, "pk", None),
        supporter__ended_at__isnull=True,
    )
    if Role.PEER_SUPPORTER not in roles_in(user, proposal.request.organisation_id):
        raise Http404
    return proposal


def proposal_open_to_her(user: User, proposal: Proposal) -> bool:
    """Her words are shown to the supporter asked only while the proposal waits for her
    answer; every such look is audited."""
    if proposal.status != ProposalStatus.WAITING:
        return False
    audit_record(
        actor=user,
        action=Action.READ,
        obj=proposal.request,
        organisation=proposal.request.organisation,
        detail="proposal page",
    )
    return True


def proposals_waiting_for(user: AnyUser) -> list[Proposal]:
    if not isinstance(user, User):
        return []
    return list(
        Proposal.objects.filter(
            supporter__user_id=user.pk,
            supporter__ended_at__isnull=True,
            supporter__role=Role.PEER_SUPPORTER,
            status=ProposalStatus.WAITING,
        )
        .select_related("request__member__user")
        .order_by("created_at", "pk")
    )


# The match ------------------------------------------------------------------------------------

SUPPORTER, COORDINATOR = "supporter", "coordinator"


def get_match_for_staff(user: AnyUser, public_id: str) -> tuple[Match, str]:
    """A match for her peer supporter (while it is active and she still supports there) or a
    coordinator of its organisation, with which of the two she is; 404 for everyone else.
    Every opening is audited: the contact log is about the member."""
    match = get_object_or_404(
        Match.objects.select_related("organisation", "member__user", "supporter__user"),
        public_id=public_id,
    )
    if (
        match.supporter.user_id == getattr(user, "pk", None)
        and match.status == MatchStatus.ACTIVE
        and match.supporter.ended_at is None
        and Role.PEER_SUPPORTER in roles_in(user, match.organisation_id)
    ):
        seen_as = SUPPORTER
    elif can_match(user, match.organisation_id):
        seen_as = COORDINATOR
    else:
        raise Http404
    audit_record(
        actor=user,  # type: ignore[arg-type]
        action=Action.READ,
        obj=match,
        organisation=match.organisation,
        detail=f"match page as {seen_as}",
    )
    return match, seen_as


def goals_of(match: Match) -> list[Goal]:
    return list(match.goals.prefetch_related("steps").order_by("done_at", "created_at", "pk"))


def get_goal(match: Match, public_id: str) -> Goal:
    return get_object_or_404(Goal, public_id=public_id, match=match)


def get_step(match: Match, public_id: str) -> Step:
    return get_object_or_404(
        Step.objects.select_related("goal__match"), public_id=public_id, goal__match=match
    )


def contacts_of(match: Match) -> list[Contact]:
    """The supporter's log (never shown on the member's own pages)."""
    return list(match.contacts.select_related("logged_by", "alert"))


def matches_she_supports(user: AnyUser) -> list[Match]:
    """A peer supporter's active matches, where she still supports."""
    if not isinstance(user, User):
        return []
    return list(
        Match.objects.filter(
            supporter__user_id=user.pk,
            supporter__ended_at__isnull=True,
            supporter__role=Role.PEER_SUPPORTER,
            member__ended_at__isnull=True,
            status=MatchStatus.ACTIVE,
        )
        .select_related("member__user")
        .annotate(last_contact=Max("contacts__happened_on"))
        .order_by("member__user__display_name", "pk")
    )


def get_her_ended_match(membership: Membership, public_id: str) -> Match:
    return get_object_or_404(
        Match.objects.select_related("supporter__user", "organisation"),
        public_id=public_id,
        member=membership,
        status=MatchStatus.ENDED,
    )


def waiting_interests(organisation: Organisation) -> list[SupporterInterest]:
    return list(
        SupporterInterest.objects.filter(
            member__organisation=organisation, taken_at__isnull=True
        ).select_related("member__user")
    )


def get_interest(user: AnyUser, organisation: Organisation, public_id: str) -> SupporterInterest:
    if not can_match(user, organisation):
        raise Http404
    return get_object_or_404(
        SupporterInterest.objects.select_related("member__organisation"),
        public_id=public_id,
        member__organisation=organisation,
    )


def her_profile(membership: Membership) -> MemberProfile | None:
    """What she told us already, to fill in her request."""
    return MemberProfile.objects.filter(membership=membership).first()


def proposals_of(support_request: SupportRequest) -> list[Proposal]:
    return list(support_request.proposals.select_related("supporter__user"))


def reviews_of(match: Match) -> list[Review]:
    return list(match.reviews.all())


def feedback_given(match: Match) -> bool:
    return Feedback.objects.filter(match=match).exists()


def active_matches(organisation: Organisation) -> list[Match]:
    """Every active match of the organisation with its last contact, for coordinators."""
    return list(
        Match.objects.filter(organisation=organisation, status=MatchStatus.ACTIVE)
        .select_related("member__user", "supporter__user")
        .annotate(last_contact=Max("contacts__happened_on"))
        .order_by("supporter__user__display_name", "member__user__display_name", "pk")
    )


def lock_supporter_place(key: int) -> None:
    """Lock a supporter's place for the rest of the transaction (before counting her room)."""
    list(Membership.objects.select_for_update().filter(pk=key).values_list("pk"))
