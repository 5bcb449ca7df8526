"""Every change to requests, proposals and matches goes through here: one transaction, one
audit row each, and the notifications written in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.buddying.choices import (
    OPEN_STATUSES,
    DeclineReason,
    Mode,
    ProposalStatus,
    RequestSource,
    RequestStatus,
    Rhythm,
)
from peerpath.buddying.matching import Suggestion
from peerpath.buddying.models import (
    Contact,
    Feedback,
    Goal,
    Helped,
    Match,
    MatchStatus,
    Proposal,
    Review,
    Step,
    SupporterInterest,
    SupportRequest,
)
from peerpath.buddying.purposes import (
    CONTACT_OVERDUE,
    MATCH_ENDED,
    STEP_REMINDER,
    SUPPORT_ANSWERED,
    SUPPORT_ASKED,
    SUPPORT_ENDED,
    SUPPORT_PROPOSED,
    SUPPORTER_FOUND,
)
from peerpath.core import clock
from peerpath.notifications.models import Notification
from peerpath.notifications.services import notifications_withdraw, notify

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor


class MatchingError(Exception):
    """A change that cannot be made as things stand; the message says why, for the page, and
    ``field`` names the form field it belongs beside, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


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
    if supporter.user_id == actor.pk:
        raise MatchingError("You cannot ask yourself: another coordinator can.")
    proposal = Proposal.objects.create(
        request=request,
        supporter=supporter,
        proposed_by=actor,
        reasons=list(suggestion.reasons),  # type: ignore[misc]  # encrypted JSON: a list
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
    """The proposal, still waiting, with its request locked first (the order every change to
    a request and its proposals takes, so a withdrawal and an answer at once cannot deadlock)."""
    SupportRequest.objects.select_for_update().filter(pk=proposal.request_id).first()
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
    match.rhythm, match.modes = request.rhythm, list(request.modes)
    match.save(update_fields=["rhythm", "modes", "updated_at"])
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


# The match: what they agreed, goals and steps, and the contact log ----------------------------


def _audit(actor: Actor, action: Action, obj: Any, match: Match, fields: list[str]) -> None:
    audit_record(
        actor=actor, action=action, obj=obj, organisation=match.organisation, fields=fields
    )


def _active(match: Match) -> Match:
    locked = (
        Match.objects.select_for_update(of=("self",))
        .select_related("organisation", "member__user", "supporter__user")
        .get(pk=match.pk)
    )
    if locked.status != MatchStatus.ACTIVE:
        raise MatchingError("This match has ended.")
    return locked


@transaction.atomic
def match_agreement_update(*, actor: User, match: Match, rhythm: str, modes: list[str]) -> Match:
    """How often and how they keep in touch, agreed together."""
    match = _active(match)
    if rhythm not in Rhythm.values or not modes or set(modes) - set(Mode.values):
        raise MatchingError("Choose how often and at least one way of keeping in touch.")
    match.rhythm, match.modes = rhythm, list(modes)
    match.save(update_fields=["rhythm", "modes", "updated_at"])
    _audit(actor, Action.UPDATE, match, match, ["rhythm", "modes"])
    return match


@transaction.atomic
def goal_add(*, actor: User, match: Match, words: str) -> Goal:
    match = _active(match)
    goal = Goal.objects.create(match=match, words=words.strip(), written_by=actor)
    _audit(actor, Action.CREATE, goal, match, ["words"])
    return goal


@transaction.atomic
def goal_done(*, actor: User, goal: Goal) -> Goal:
    match = _active(goal.match)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.done_at is not None:
        raise MatchingError("This goal is already marked as reached.")
    goal.done_at = clock.now()
    goal.save(update_fields=["done_at", "updated_at"])
    for step in goal.steps.filter(done_at__isnull=True):
        notifications_withdraw(actor=actor, subject=step)
    _audit(actor, Action.UPDATE, goal, match, ["done_at"])
    return goal


def _remind(step: Step, match: Match) -> None:
    if step.remind_at is None:
        return
    notify(
        recipient=match.member.user,
        purpose=STEP_REMINDER,
        subject=step,
        link=reverse("buddying:match", kwargs={"public_id": match.public_id}),
        due_at=step.remind_at,
        idempotency_key=f"step-reminder:{step.public_id}:{step.remind_at.isoformat()}",
        organisation=match.organisation,
    )


REMINDER_MOST_DAYS_AHEAD = 366


def _check_reminder(remind_at: dt.datetime | None) -> None:
    if remind_at is None:
        return
    if remind_at <= clock.now():
        raise MatchingError(
            "Choose a time for the reminder that has not passed yet.", field="remind_on"
        )
    if remind_at > clock.now() + dt.timedelta(days=REMINDER_MOST_DAYS_AHEAD):
        raise MatchingError("Choose a day within the next year.", field="remind_on")


@transaction.atomic
def step_add(*, actor: User, goal: Goal, words: str, remind_at: dt.datetime | None = None) -> Step:
    match = _active(goal.match)
    if goal.done_at is not None:
        raise MatchingError("This goal is already reached: add a new goal instead.", field="words")
    _check_reminder(remind_at)
    step = Step.objects.create(goal=goal, words=words.strip(), remind_at=remind_at)
    _remind(step, match)
    _audit(actor, Action.CREATE, step, match, ["words", "remind_at"])
    return step


@transaction.atomic
def step_remind(*, actor: User, step: Step, remind_at: dt.datetime | None) -> Step:
    """Set, move or stop the reminder she chose for a step."""
    match = _active(step.goal.match)
    if step.done_at is not None:
        raise MatchingError("This step is done already.")
    _check_reminder(remind_at)
    notifications_withdraw(actor=actor, subject=step)
    step.remind_at = remind_at
    step.save(update_fields=["remind_at", "updated_at"])
    _remind(step, match)
    _audit(actor, Action.UPDATE, step, match, ["remind_at"])
    return step


@transaction.atomic
def step_done(*, actor: User, step: Step) -> Step:
    match = _active(step.goal.match)
    step = Step.objects.select_for_update().get(pk=step.pk)
    if step.done_at is not None:
        raise MatchingError("This step is done already.")
    step.done_at = clock.now()
    step.save(update_fields=["done_at", "updated_at"])
    notifications_withdraw(actor=actor, subject=step)
    _audit(actor, Action.UPDATE, step, match, ["done_at"])
    return step


CONTACT_FIELDS = ("happened_on", "mode", "minutes", "talked_about", "follow_ups")


@transaction.atomic
def contact_log(
    *,
    actor: User,
    match: Match,
    happened_on: dt.date,
    mode: str,
    minutes: int,
    talked_about: str = "",
    follow_ups: str = "",
    worry_tier: int = 0,
    worry: str = "",
) -> Contact:
    """Log one contact. A worry raises a safeguarding alert about her in the same transaction
    (tier 1: someone should contact her today; tier 2: the lead reviews at once): if the alert
    cannot be raised, nothing is logged and the supporter is told."""
    from peerpath.safeguarding.models import AlertSource
    from peerpath.safeguarding.services import alert_raise

    match = _active(match)
    if happened_on > clock.today():
        raise MatchingError("The date of the contact cannot be in the future.")
    if happened_on < timezone.localtime(match.created_at).date():
        raise MatchingError("The date of the contact cannot be before the match began.")
    if worry_tier and not worry.strip():
        raise MatchingError("Say what worries you, so the person on duty knows what to do.")
    contact = Contact.objects.create(
        match=match,
        logged_by=actor,
        happened_on=happened_on,
        mode=mode,
        minutes=minutes,
        talked_about=talked_about.strip(),
        follow_ups=follow_ups.strip(),
        worried=bool(worry_tier),
    )
    if worry_tier:
        contact.alert = alert_raise(
            actor=actor,
            organisation=match.organisation,
            source=AlertSource.CONTACT_LOG,
            tier=worry_tier,
            member=match.member.user,
            context=f"{actor.display_name}, her peer supporter, after a contact on "
            f"{happened_on:%-d %B %Y}: {worry.strip()}",
        )
        contact.save(update_fields=["alert", "updated_at"])
    notifications_withdraw(actor=actor, subject=match, purposes=[CONTACT_OVERDUE])
    _audit(actor, Action.CREATE, contact, match, [*CONTACT_FIELDS, "worried"])
    return contact


RHYTHM_DAYS: dict[str, int] = {Rhythm.WEEKLY: 7, Rhythm.FORTNIGHTLY: 14, Rhythm.MONTHLY: 31}


def _tell_overdue(match: Match, recipient: User, key: str, change: str) -> bool:
    before = Notification.objects.filter(idempotency_key=key).exists()
    notify(
        recipient=recipient,
        purpose=CONTACT_OVERDUE,
        subject=match,
        context={"change": change},
        link=reverse("buddying:match_staff", kwargs={"public_id": match.public_id}),
        idempotency_key=key,
        organisation=match.organisation,
    )
    return not before


def contacts_overdue_tell(*, actor: Actor, limit: int = 2000) -> int:
    """Remind supporters of contacts due against the rhythm they agreed (the first contact
    within the organisation's hours of the match), and tell the coordinators when twice the
    rhythm has gone by with nothing logged (14 days for a weekly rhythm). Each telling has its
    own key, so running again tells nobody twice."""
    from django.db.models import Max

    from peerpath.buddying.service_levels import levels_of

    now, today = clock.now(), clock.today()
    told = 0
    matches = (
        Match.objects.filter(
            status=MatchStatus.ACTIVE,
            paused_at__isnull=True,
            supporter__ended_at__isnull=True,
            member__ended_at__isnull=True,
        )
        .select_related("organisation", "supporter__user", "member__user")
        .annotate(last_contact=Max("contacts__happened_on"))
        .order_by("pk")[:limit]
    )
    for match in matches:
        last = match.last_contact
        with transaction.atomic():
            if last is None:
                hours = levels_of(match.organisation).first_contact_within_hours
                if now <= match.created_at + dt.timedelta(hours=hours):
                    continue
                key = f"contact-first:{match.public_id}"
                told += _tell_overdue(match, match.supporter.user, f"{key}:supporter", "first")
                for coordinator in _coordinators(match.member):
                    told += _tell_overdue(match, coordinator, f"{key}:{coordinator.pk}", "first")
                continue
            every = RHYTHM_DAYS.get(match.rhythm, RHYTHM_DAYS[Rhythm.MONTHLY])
            if today > last + dt.timedelta(days=every):
                key = f"contact-due:{match.public_id}:{last.isoformat()}"
                told += _tell_overdue(match, match.supporter.user, f"{key}:supporter", "due")
            if today > last + dt.timedelta(days=2 * every):
                key = f"contact-silent:{match.public_id}:{last.isoformat()}"
                for coordinator in _coordinators(match.member):
                    told += _tell_overdue(match, coordinator, f"{key}:{coordinator.pk}", "silent")
    del actor  # nothing is changed: the notifications are the record
    return told


# Pausing, reviews, a planned ending, her feedback, and becoming a supporter ----------------

REVIEW_WEEKS = (6, 12)


@transaction.atomic
def match_pause(*, actor: User, match: Match, paused: bool) -> Match:
    """Pause (a holiday, a hard few weeks) or resume: no contact nudges while paused."""
    match = _active(match)
    match.paused_at = clock.now() if paused else None
    match.save(update_fields=["paused_at", "updated_at"])
    if paused:
        notifications_withdraw(actor=actor, subject=match, purposes=[CONTACT_OVERDUE])
    _audit(actor, Action.UPDATE, match, match, ["paused_at"])
    return match


@transaction.atomic
def review_record(
    *, actor: User, match: Match, week: int, held_on: dt.date, notes: str = ""
) -> Review:
    match = _active(match)
    if week not in REVIEW_WEEKS:
        raise MatchingError("Reviews are at 6 and 12 weeks.")
    if held_on > clock.today():
        raise MatchingError("The date of the review cannot be in the future.")
    if held_on < timezone.localtime(match.created_at).date():
        raise MatchingError("The date of the review cannot be before the match began.")
    if Review.objects.filter(match=match, week=week).exists():
        raise MatchingError("This review has been recorded already.")
    review = Review.objects.create(
        match=match, week=week, held_on=held_on, notes=notes.strip(), recorded_by=actor
    )
    _audit(actor, Action.CREATE, review, match, ["week", "held_on", "notes"])
    return review


def reviews_due(match: Match, recorded: Iterable[Review]) -> list[tuple[int, dt.date]]:
    """The reviews not yet recorded, with the date each falls due."""
    done = {review.week for review in recorded}
    started = timezone.localtime(match.created_at).date()
    return [(week, started + dt.timedelta(weeks=week)) for week in REVIEW_WEEKS if week not in done]


@transaction.atomic
def match_end_planned(*, actor: User, match: Match, goodbye: str = "") -> Match:
    """A planned ending: she is told, with the supporter's goodbye and what comes next, and
    asked how it went."""
    match = _active(match)
    match.goodbye = goodbye.strip()
    match.save(update_fields=["goodbye", "updated_at"])
    match_end(actor=actor, match=match, detail="planned ending")
    notifications_withdraw(actor=actor, subject=match, purposes=[CONTACT_OVERDUE])
    for goal in match.goals.all():
        for step in goal.steps.filter(done_at__isnull=True):
            notifications_withdraw(actor=actor, subject=step)
    notify(
        recipient=match.member.user,
        purpose=SUPPORT_ENDED,
        subject=match,
        link=reverse("buddying:goodbye", kwargs={"public_id": match.public_id}),
        idempotency_key=f"match-goodbye:{match.public_id}",
        organisation=match.organisation,
    )
    return match


@transaction.atomic
def feedback_give(
    *, actor: User, match: Match, helped: str, words: str = "", become_supporter: bool = False
) -> Feedback:
    """Her feedback when support ends; she may say she would like to support others."""
    if helped not in Helped.values:
        raise MatchingError("Choose how much it helped.")
    if Feedback.objects.filter(match=match).exists():
        raise MatchingError("Thank you: you have told us already.")
    feedback = Feedback.objects.create(match=match, helped=helped, words=words.strip())
    _audit(actor, Action.CREATE, feedback, match, ["helped", "words"])
    if become_supporter:
        supporter_interest_add(actor=actor, member=match.member)
    return feedback


@transaction.atomic
def supporter_interest_add(
    *, actor: User, member: Membership, words: str = ""
) -> SupporterInterest:
    existing = SupporterInterest.objects.filter(member=member, taken_at__isnull=True).first()
    if existing is not None:
        return existing
    interest = SupporterInterest.objects.create(member=member, words=words.strip())
    audit_record(actor=actor, action=Action.CREATE, obj=interest, organisation=member.organisation)
    for coordinator in _coordinators(member):
        notify(
            recipient=coordinator,
            purpose=SUPPORT_ASKED,
            subject=interest,
            context={"change": "would like to support"},
            link=reverse("buddying:queue", kwargs={"slug": member.organisation.slug}),
            idempotency_key=f"supporter-interest:{interest.public_id}:{coordinator.pk}",
            organisation=member.organisation,
        )
    return interest


@transaction.atomic
def supporter_interest_take(*, actor: User, interest: SupporterInterest) -> SupporterInterest:
    """The coordinator takes her into training (recorded in supervision from here)."""
    interest = SupporterInterest.objects.select_for_update().get(pk=interest.pk)
    if interest.taken_at is None:
        interest.taken_at, interest.taken_by = clock.now(), actor
        interest.save(update_fields=["taken_at", "taken_by", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=interest,
            organisation=interest.member.organisation,
            fields=["taken_at", "taken_by"],
        )
    return interest


@transaction.atomic
def requests_forget_health_details(*, actor: Actor, user: User) -> None:
    """She withdrew consent to the use of health information (or erased her account): her
    requests lose her words, experiences, area, languages and times, the reasons shown with
    proposals lose theirs, and any request still open is withdrawn (its waiting proposals
    too, their notifications with them)."""
    now = clock.now()
    for request in SupportRequest.objects.select_for_update().filter(member__user=user):
        request.story = request.hopes = request.area = ""
        request.experiences, request.languages, request.availability = [], [], {}
        fields = ["story", "hopes", "area", "experiences", "languages", "availability"]
        if request.status in OPEN_STATUSES:
            _withdraw_waiting_proposals(actor, request)
            request.status, request.withdrawn_at = RequestStatus.WITHDRAWN, now
            fields += ["status", "withdrawn_at"]
            notifications_withdraw(actor=actor, subject=request)
        request.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=request,
            organisation=request.organisation,
            fields=fields,
            detail="health details removed",
        )
    Proposal.objects.filter(request__member__user=user).update(reasons=[], updated_at=now)
