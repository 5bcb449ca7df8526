"""Her matches: exported from both sides, and ended at erasure (a supporter stops seeing her,
and a supporter who leaves stops holding places for mothers who would wait for replies)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from peerpath.buddying.choices import ProposalStatus, RequestStatus
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
from peerpath.buddying.services import match_end, requests_forget_health_details
from peerpath.core.privacy import PersonalData, register
from peerpath.notifications.services import notifications_withdraw

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
        ],
        "requests_for_a_peer_supporter": [
            {
                "asked": _date(request.created_at),
                "status": request.get_status_display(),
                "what_has_been_happening": request.story,
                "what_you_hoped_for": request.hopes,
                "experiences": request.experiences,
                "ways_of_keeping_in_touch": request.modes,
                "how_often": request.rhythm,
                "when_free": request.availability,
                "languages": request.languages,
                "area": request.area,
                "matched": _date(request.matched_at),
                "withdrawn": _date(request.withdrawn_at),
            }
            for request in SupportRequest.objects.filter(member__user=user).order_by("created_at")
        ],
        "goals_and_steps": [
            {
                "goal": goal.words,
                "reached": _date(goal.done_at),
                "steps": [
                    {
                        "step": step.words,
                        "remind_at": _date(step.remind_at),
                        "done": _date(step.done_at),
                    }
                    for step in goal.steps.all()
                ],
            }
            for goal in Goal.objects.filter(match__member__user=user)
            .prefetch_related("steps")
            .order_by("created_at")
        ],
        # A supporter's own log of her contacts (the member's export has dates only: the
        # notes are the supporter's, about the member, and the member may ask for them by a
        # subject access request, which the coordinator answers).
        # The notes a supporter logged are about the member: her own export has when and
        # how only (the coordinator answers a request for more).
        "contacts_you_logged": [
            {
                "date": _date(contact.happened_on),
                "how": contact.get_mode_display(),
                "minutes": contact.minutes,
            }
            for contact in Contact.objects.filter(logged_by=user).order_by("happened_on")
        ],
        "contacts_with_your_peer_supporter": [
            {"date": _date(contact.happened_on), "how": contact.get_mode_display()}
            for contact in Contact.objects.filter(match__member__user=user).order_by("happened_on")
        ],
        "your_feedback": [
            {"given": _date(f.created_at), "helped": f.get_helped_display(), "words": f.words}
            for f in Feedback.objects.filter(match__member__user=user).order_by("created_at")
        ],
        "would_like_to_support_others": [
            {"said": _date(i.created_at), "taken_into_training": _date(i.taken_at)}
            for i in SupporterInterest.objects.filter(member__user=user).order_by("created_at")
        ],
        "reviews": [
            {"week": r.week, "held_on": _date(r.held_on)}
            for r in Review.objects.filter(match__member__user=user).order_by("held_on")
        ],
        "asked_to_support": [
            {
                "asked": _date(proposal.created_at),
                "status": proposal.get_status_display(),
                "answered": _date(proposal.decided_at),
                "reason_for_saying_no": proposal.get_decline_reason_display(),
            }
            for proposal in Proposal.objects.filter(supporter__user=user).order_by("created_at")
        ],
    }


def erase(*, actor: Actor, user: User, now: dt.datetime) -> None:
    # Her requests lose her words (open ones are withdrawn); proposals lose their reasons.
    requests_forget_health_details(actor=actor, user=user)
    # Her goals and steps are hers: deleted, with any reminder not yet sent. The contact log
    # about her loses its notes; the dates stay with the match (kept, see below).
    for step in Step.objects.filter(goal__match__member__user=user, done_at__isnull=True):
        notifications_withdraw(actor=actor, subject=step)
    Step.objects.filter(goal__match__member__user=user).delete()
    Goal.objects.filter(match__member__user=user).delete()
    Contact.objects.filter(match__member__user=user).update(talked_about="", follow_ups="")
    Review.objects.filter(match__member__user=user).update(notes="")
    Match.objects.filter(member__user=user).update(goodbye="")
    Feedback.objects.filter(match__member__user=user).delete()
    SupporterInterest.objects.filter(member__user=user).delete()
    # A supporter who leaves: the requests waiting on her answer wait for someone else.
    for proposal in Proposal.objects.filter(
        supporter__user=user, status=ProposalStatus.WAITING
    ).select_related("request"):
        proposal.status, proposal.decided_at = ProposalStatus.WITHDRAWN, now
        proposal.save(update_fields=["status", "decided_at", "updated_at"])
        notifications_withdraw(actor=actor, subject=proposal)
        proposal.request.status = RequestStatus.WAITING
        proposal.request.save(update_fields=["status", "updated_at"])
    for match in Match.objects.filter(
        Q(member__user=user) | Q(supporter__user=user), status=MatchStatus.ACTIVE
    ).select_related("organisation"):
        match_end(actor=actor, match=match, detail="erasure")


register(
    PersonalData(
        app="buddying",
        export=export,
        erase=erase,
        models=(
            "buddying.Goal",
            "buddying.Step",
            "buddying.Feedback",
            "buddying.SupporterInterest",
        ),
        kept={
            "buddying.Match": "ended, not deleted: who supported whom, and when, may be needed "
            "by a later safeguarding review; it holds no notes",
            "buddying.SupportRequest": "kept without her words, experiences, area, languages "
            "or times: when she asked and was matched counts towards the service levels",
            "buddying.Proposal": "kept without the reasons shown with it: who was asked to "
            "support whom, and the answer",
            "buddying.Contact": "kept without what was talked about or followed up: the dates "
            "and any worry raised may be needed by a later safeguarding review",
            "buddying.Review": "kept without its notes: that a review was held is part of "
            "the record of her support",
        },
    )
)
