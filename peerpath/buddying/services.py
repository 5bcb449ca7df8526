"""Every change to requests, proposals and matches goes through here: one transaction, one
audit row each, and the notifications written in the same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse

from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.buddying.choices import (
    OPEN_STATUSES,
    DeclineReason,
    ProposalStatus,
    RequestSource,
    RequestStatus,
)
from peerpath.buddying.matching import Suggestion
from peerpath.buddying.models import Match, MatchStatus, Proposal, SupportRequest
from peerpath.buddying.purposes import (
    MATCH_ENDED,
    SUPPORT_ANSWERED,
    SUPPORT_ASKED,
    SUPPORT_PROPOSED,
    SUPPORTER_FOUND,
)
from peerpath.core import clock
from peerpath.notifications.services import notifications_withdraw, notify

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor


class MatchingError(Exception):
    """A change that cannot be made as things stand; the message says why, for the page."""


WISH_FIELDS = (
    "story",
    "hopes",
    "experiences",
    "modes",
    "rhythm",
    "availability",
    "languages",
    "area",
)


def _coordinators(member: Membership) -> list[User]:
    return [
        place.user
        for place in Membership.objects.filter(
            organisation_id=member.organisation_id,
            role=Role.COORDINATOR,
            ended_at__isnull=True,
            user__is_active=True,
        ).select_related("user")
    ]


def _tell_coordinators(request: SupportRequest, change: str) -> None:
    link = reverse(
        "buddying:request_detail",
        kwargs={"slug": request.organisation.slug, "public_id": request.public_id},
    )
    for coordinator in _coordinators(request.member):
        notify(
            recipient=coordinator,
            purpose=SUPPORT_ASKED,
            subject=request,
            context={"change": change},
            link=link,
            idempotency_key=f"support-asked:{request.public_id}:{coordinator.pk}:{change}",
            organisation=request.organisation,
        )


@transaction.atomic
def support_request_create(
    *, actor: User, member: Membership, source: str = RequestSource.HERSELF, **wish: Any
) -> SupportRequest:
    """Her request for a peer supporter; the coordinators are told."""
    unknown = set(wish) - set(WISH_FIELDS)
    if unknown:
        raise TypeError(f"Unknown parts of a request: {sorted(unknown)}")
    member = Membership.objects.select_for_update().get(pk=member.pk)
    if SupportRequest.objects.filter(member=member, status__in=OPEN_STATUSES).exists():
        raise MatchingError("You have already asked: we are finding you a peer supporter.")
    request = SupportRequest.objects.create(
        organisation_id=member.organisation_id, member=member, source=source, **wish
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=request,
        organisation=member.organisation,
        fields=sorted(wish),
    )
    _tell_coordinators(request, "asked")
    return request


def _withdraw_waiting_proposals(actor: Actor, request: SupportRequest) -> None:
    for proposal in request.proposals.filter(status=ProposalStatus.WAITING):
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.decided_at = clock.now()
        proposal.save(update_fields=["status", "decided_at", "updated_at"])
        notifications_withdraw(actor=actor, subject=proposal)


@transaction.atomic
def support_request_withdraw(*, actor: User, request: SupportRequest) -> SupportRequest:
    """She no longer wants a peer supporter (she need not say why)."""
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in OPEN_STATUSES:
        raise MatchingError("This request is not waiting any more.")
    _withdraw_waiting_proposals(actor, request)
    request.status = RequestStatus.WITHDRAWN
    request.withdrawn_at = clock.now()
    request.save(update_fields=["status", "withdrawn_at", "updated_at"])
    notifications_withdraw(actor=actor, subject=request)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=request,
        organisation=request.organisation,
        fields=["status", "withdrawn_at"],
    )
    return request


@transaction.atomic
def proposal_create(*, actor: User, request: SupportRequest, suggestion: Suggestion) -> Proposal:
    """The coordinator asks one suggested supporter. ``suggestion`` must come from
    ``buddying.suggestions.suggestions_for`` read inside this transaction's caller, so a
    supporter who is not ready or has no room cannot be proposed."""
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.WAITING:
        raise MatchingError(
            "Someone has already been asked to support her: wait for their answer."
            if request.status == RequestStatus.PROPOSED
            else "This request is not waiting any more."
        )
    supporter = Membership.objects.select_related("user").get(pk=suggestion.candidate.key)
    proposal = Proposal.objects.create(
        request=request,
        supporter=supporter,
        proposed_by=actor,
        reasons=list(suggestion.reasons),
    )
    request.status = RequestStatus.PROPOSED
    request.save(update_fields=["status", "updated_at"])
    notify(
        recipient=supporter.user,
        purpose=SUPPORT_PROPOSED,
        subject=proposal,
        link=reverse("buddying:proposal", kwargs={"public_id": proposal.public_id}),
        idempotency_key=f"support-proposed:{proposal.public_id}",
        organisation=request.organisation,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=proposal,
        organisation=request.organisation,
        fields=["request", "supporter", "reasons"],
    )
    return proposal


def _answered(proposal: Proposal, change: str) -> None:
    request = proposal.request
    notify(
        recipient=proposal.proposed_by,
        purpose=SUPPORT_ANSWERED,
        subject=proposal,
        context={"change": change},
        link=reverse(
            "buddying:request_detail",
            kwargs={"slug": request.organisation.slug, "public_id": request.public_id},
        ),
        idempotency_key=f"support-answered:{proposal.public_id}",
        organisation=request.organisation,
    )


def _locked_waiting(proposal: Proposal) -> Proposal:
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("request__organisation", "request__member__user", "supporter__user")
        .get(pk=proposal.pk)
    )
    if locked.status != ProposalStatus.WAITING:
        raise MatchingError(
            "This request was withdrawn, or has been answered already."
            if locked.status == ProposalStatus.WITHDRAWN
            else "You have answered this already."
        )
    return locked


@transaction.atomic
def proposal_accept(*, actor: User, proposal: Proposal, still_suitable: bool) -> Match:
    """She says yes: the match begins and the member is told who. ``still_suitable`` is the
    caller's fresh reading (ready, with room): a supporter whose training lapsed since the
    proposal cannot take a new match."""
    proposal = _locked_waiting(proposal)
    if not still_suitable:
        raise MatchingError(
            "You cannot take on a new match just now: your coordinator can see why on your "
            "supervision page, and will ask someone else."
        )
    request = proposal.request
    now = clock.now()
    proposal.status = ProposalStatus.ACCEPTED
    proposal.decided_at = now
    proposal.save(update_fields=["status", "decided_at", "updated_at"])
    match = match_create(
        actor=actor, member=request.member, supporter=proposal.supporter, request=request
    )
    request.status = RequestStatus.MATCHED
    request.matched_at = now
    request.save(update_fields=["status", "matched_at", "updated_at"])
    notify(
        recipient=request.member.user,
        purpose=SUPPORTER_FOUND,
        subject=match,
        link=reverse("buddying:mine"),
        idempotency_key=f"supporter-found:{match.public_id}",
        organisation=request.organisation,
    )
    _answered(proposal, "accepted")
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=proposal,
        organisation=request.organisation,
        fields=["status", "decided_at"],
    )
    return match


@transaction.atomic
def proposal_decline(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """She says no, with a reason for the coordinator; the request waits again."""
    if reason not in DeclineReason.values:
        raise MatchingError("Choose a reason.")
    proposal = _locked_waiting(proposal)
    proposal.status = ProposalStatus.DECLINED
    proposal.decided_at = clock.now()
    proposal.decline_reason = reason
    proposal.save(update_fields=["status", "decided_at", "decline_reason", "updated_at"])
    request = proposal.request
    request.status = RequestStatus.WAITING
    request.save(update_fields=["status", "updated_at"])
    _answered(proposal, "declined")
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=proposal,
        organisation=request.organisation,
        fields=["status", "decided_at", "decline_reason"],
    )
    return proposal


@transaction.atomic
def match_create(
    *,
    actor: Actor,
    member: Membership,
    supporter: Membership,
    request: SupportRequest | None = None,
) -> Match:
    """Pair a member with a peer supporter of the same organisation."""
    if member.organisation_id != supporter.organisation_id:
        raise ValueError("A member and her peer supporter belong to the same organisation.")
    match = Match.objects.create(
        organisation_id=member.organisation_id, member=member, supporter=supporter, request=request
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


@transaction.atomic
def match_someone_else(*, actor: User, match: Match) -> SupportRequest:
    """She would like a different peer supporter, without giving a reason: this match ends and
    a new request with her same wishes waits, never to be offered the same supporter again."""
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("request", "supporter__user", "member", "organisation")
        .get(pk=match.pk)
    )
    if match.status != MatchStatus.ACTIVE:
        raise MatchingError("This match has already ended.")
    match_end(actor=actor, match=match, detail="asked for someone else")
    # She is told the match has ended, never why: the member chose not to give a reason.
    notify(
        recipient=match.supporter.user,
        purpose=MATCH_ENDED,
        subject=match,
        link=reverse("accounts:staff_home"),
        idempotency_key=f"match-ended:{match.public_id}",
        organisation=match.organisation,
    )
    earlier = match.request
    wish = {name: getattr(earlier, name) for name in WISH_FIELDS} if earlier else {}
    request = support_request_create(
        actor=actor, member=match.member, source=RequestSource.SOMEONE_ELSE, **wish
    )
    kept_away = [
        match.supporter_id,
        *(earlier.not_with.values_list("pk", flat=True) if earlier else []),
    ]
    request.not_with.add(*kept_away)
    return request
