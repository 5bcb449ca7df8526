"""Reading what matching needs from the database: her request as a ``Wish``, and every peer
supporter of her organisation as a ``Candidate`` (readiness from supervision, room from her
caseload), in a fixed number of queries however many supporters there are."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership, SupporterProfile
from peerpath.buddying.choices import ProposalStatus
from peerpath.buddying.matching import Candidate, Exclusion, Suggestion, Wish, slots, suggest
from peerpath.buddying.models import MatchStatus
from peerpath.supervision.readiness import caseload_limits, readiness_of

if TYPE_CHECKING:
    from peerpath.accounts.models import Organisation
    from peerpath.buddying.models import SupportRequest


def wish_of(request: SupportRequest) -> Wish:
    return Wish(
        experiences=frozenset(request.experiences or ()),
        languages=frozenset(request.languages or ()),
        modes=frozenset(request.modes or ()),
        availability=slots(request.availability),
        area=request.area,
        not_with=frozenset(request.not_with.values_list("pk", flat=True)),
        declined_by=frozenset(
            request.proposals.filter(status=ProposalStatus.DECLINED).values_list(
                "supporter_id", flat=True
            )
        ),
    )


def supporter_places(organisation: Organisation, *, only: int | None = None) -> list[Membership]:
    """Her organisation's peer supporters now (or just the one ``only``), with their count of
    active matches."""
    found = Membership.objects.all() if only is None else Membership.objects.filter(pk=only)
    return list(
        found.filter(
            organisation=organisation,
            role=Role.PEER_SUPPORTER,
            ended_at__isnull=True,
            user__is_active=True,
        )
        .select_related("user", "organisation")
        .annotate(
            active_matches=Count(
                "supporting",
                filter=Q(supporting__status=MatchStatus.ACTIVE),
                distinct=True,
            )
        )
        .order_by("user__display_name", "pk")
    )


def candidates(places: Sequence[Membership]) -> list[Candidate]:
    profiles = {
        profile.membership_id: profile
        for profile in SupporterProfile.objects.filter(membership__in=[p.pk for p in places])
    }
    readiness = readiness_of(places)
    limits = caseload_limits(places)
    found = []
    for place in places:
        profile = profiles.get(place.pk)
        ready = readiness[place.pk]
        found.append(
            Candidate(
                key=place.pk,
                name=place.user.display_name or place.user.email,
                experiences=frozenset(profile.lived_experiences if profile else ()),
                languages=frozenset(profile.languages if profile else ()),
                areas=frozenset(profile.areas if profile else ()),
                availability=slots(profile.availability if profile else None),
                active=getattr(place, "active_matches", 0),
                limit=limits[place.pk],
                ready=ready.ready,
                not_ready_because=ready.missing,
            )
        )
    return found


def suggestions_for(request: SupportRequest) -> tuple[list[Suggestion], list[Exclusion]]:
    """The request's suggestions, best first, and every supporter left out with why. The
    member herself (should she also be a supporter) is never among them."""
    places = [
        place
        for place in supporter_places(request.organisation)
        if place.user_id != request.member.user_id
    ]
    return suggest(wish_of(request), candidates(places))


def suggestion_for(request: SupportRequest, supporter_key: int) -> Suggestion | None:
    """That supporter's suggestion for this request now, or None when she is left out."""
    suggestions, _excluded = suggestions_for(request)
    return next((s for s in suggestions if s.candidate.key == supporter_key), None)


def still_suitable(proposal_supporter: Membership) -> bool:
    """Ready, and with room for one more, as things stand now."""
    places = supporter_places(proposal_supporter.organisation, only=proposal_supporter.pk)
    if not places:
        return False
    candidate = candidates(places)[0]
    return candidate.ready and candidate.free > 0


def wishes_of(
    requests: Sequence[SupportRequest], *, places: Sequence[Membership] = ()
) -> dict[int, Wish]:
    """``wish_of`` for many requests in two queries, keyed by the request's id. Given the
    supporters' ``places``, a member who is also one of them is never offered herself (as
    ``suggestions_for`` leaves her out): her own place is added to the request's ``not_with``.
    The requests need ``member`` loaded (``access.open_requests`` does)."""
    from peerpath.buddying.models import Proposal, SupportRequest

    ids = [request.pk for request in requests]
    not_with: dict[int, set[int]] = {pk: set() for pk in ids}
    for request_id, membership_id in SupportRequest.not_with.through.objects.filter(
        supportrequest_id__in=ids
    ).values_list("supportrequest_id", "membership_id"):
        not_with[request_id].add(membership_id)
    declined: dict[int, set[int]] = {pk: set() for pk in ids}
    for request_id, supporter_id in Proposal.objects.filter(
        request_id__in=ids, status=ProposalStatus.DECLINED
    ).values_list("request_id", "supporter_id"):
        declined[request_id].add(supporter_id)
    own_places: dict[int, set[int]] = {}
    for place in places:
        own_places.setdefault(place.user_id, set()).add(place.pk)
    return {
        request.pk: Wish(
            experiences=frozenset(request.experiences or ()),
            languages=frozenset(request.languages or ()),
            modes=frozenset(request.modes or ()),
            availability=slots(request.availability),
            area=request.area,
            not_with=frozenset(
                not_with[request.pk] | own_places.get(request.member.user_id, set())
            ),
            declined_by=frozenset(declined[request.pk]),
        )
        for request in requests
    }


def promised_places(organisation: Organisation, *, only: int | None = None) -> dict[int, int]:
    """How many proposals are waiting for each supporter's answer (by her place's id): places
    promised but not yet taken, which ``Candidate.free`` does not count."""
    from peerpath.buddying.models import Proposal

    found = Proposal.objects.filter(
        request__organisation=organisation, status=ProposalStatus.WAITING
    )
    if only is not None:
        found = found.filter(supporter_id=only)
    return dict(
        found.values("supporter_id")
        .annotate(waiting=Count("pk"))
        .values_list("supporter_id", "waiting")
        .order_by()
    )


def suggestion_now(request: SupportRequest, supporter_key: int) -> Suggestion | None:
    """``suggestion_for`` reading only that one supporter: the same answer, in the same few
    queries however many supporters the organisation has (the batch page sends many)."""
    from peerpath.buddying.matching import assess

    places = [
        place
        for place in supporter_places(request.organisation, only=supporter_key)
        if place.user_id != request.member.user_id
    ]
    if not places:
        return None
    found = assess(wish_of(request), candidates(places)[0])
    return found if isinstance(found, Suggestion) else None
