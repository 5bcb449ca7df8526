"""Every change to check-ins, their sharing and reminders goes through here."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.audit.models import Action
from peerpath.audit.services import audit_record, audit_record_many, save_audited
from peerpath.checkins import instruments
from peerpath.checkins.models import CheckIn, CheckInStatus, Reminder, RiskTier, Share
from peerpath.checkins.purposes import CHECKIN_REMINDER, RESULTS_SHARED
from peerpath.checkins.risk import alert_context, tier_for_answers
from peerpath.core import clock
from peerpath.notifications.services import notify
from peerpath.safeguarding.models import AlertSource, AlertStatus
from peerpath.safeguarding.services import alert_raise

if TYPE_CHECKING:
    from peerpath.accounts.models import Membership, User
    from peerpath.core.actors import Actor

logger = logging.getLogger(__name__)


class CheckInError(Exception):
    """A change that cannot be made, in words for her."""


def answers_of(checkin: CheckIn) -> dict[int, int]:
    """Her answers as item number -> option position."""
    return {int(number): int(index) for number, index in dict(checkin.answers).items()}


@transaction.atomic
def checkin_start(*, actor: Actor, membership: Membership, instrument_id: str) -> CheckIn:
    """Her unfinished check-in for this measure, or a new one."""
    instrument = instruments.get(instrument_id)
    draft = CheckIn.objects.filter(
        membership=membership, instrument=instrument.id, status=CheckInStatus.DRAFT
    ).first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                organisation_id=membership.organisation_id,
                membership=membership,
                instrument=instrument.id,
                version=instrument.version,
            )
    except IntegrityError:  # started in another tab a moment ago
        return CheckIn.objects.get(
            membership=membership, instrument=instrument.id, status=CheckInStatus.DRAFT
        )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=checkin,
        organisation=membership.organisation,
        fields=["instrument"],
    )
    return checkin


@dataclass(frozen=True)
class Answered:
    checkin: CheckIn
    alert_raised: bool


def _locked_draft(checkin: CheckIn) -> CheckIn:
    locked = (
        # Only the check-in's row is locked: its alert is an outer join, which PostgreSQL
        # cannot lock.
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("organisation", "alert")
        .filter(pk=checkin.pk)
        .first()
    )
    if locked is None:  # thrown away in another tab a moment ago
        raise CheckInError(_("You threw these answers away."))
    if locked.status != CheckInStatus.DRAFT:
        raise CheckInError(_("You have already finished this check-in."))
    return locked


@transaction.atomic
def checkin_answer(
    *, actor: Actor, checkin: CheckIn, item_number: int, option_index: int | None
) -> Answered:
    """Keep one answer (``None`` clears an optional one). A risk answer raises a safeguarding
    alert at once, before she has finished: leaving now must not lose it (hazard H26)."""
    locked = _locked_draft(checkin)
    instrument = instruments.get(locked.instrument)
    answers = answers_of(locked)
    if option_index is None:
        answers.pop(item_number, None)
    else:
        instruments.option_score(instrument, item_number, option_index)  # InvalidAnswer
        answers[item_number] = option_index
    locked.answers = {str(number): index for number, index in sorted(answers.items())}
    locked.save(update_fields=["answers", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        organisation=locked.organisation,
        fields=["answers"],
    )
    raised = _raise_for_risk(actor, locked, instrument, answers)
    return Answered(checkin=locked, alert_raised=raised)


def _raise_for_risk(
    actor: Actor, checkin: CheckIn, instrument: instruments.Instrument, answers: dict[int, int]
) -> bool:
    """Raise an alert for a risk answer, once per check-in; again only when a changed answer
    calls for a higher tier than the alert already raised, or that alert is closed. Placeholder
    wording raises nothing: she could not know what she was answering (hazard H28)."""
    found = instruments.risk_answers(instrument, answers)
    if not found or not instrument.text_licensed:
        return False
    tier = tier_for_answers(checkin.organisation_id, instrument.id, found)
    earlier = checkin.alert
    if earlier is not None and earlier.tier >= tier and earlier.status != AlertStatus.CLOSED:
        return False
    try:
        with transaction.atomic():  # a failure here never loses her answer
            alert = alert_raise(
                actor=actor,
                organisation=checkin.organisation,
                source=AlertSource.CHECK_IN,
                tier=tier,
                member=checkin.membership.user,
                context=alert_context(instrument, found, earlier=earlier),
            )
    except Exception:
        # She still sees the crisis routes first; the failure is loud for the operator.
        logger.exception("Check-in %s: a risk answer could not raise an alert", checkin.public_id)
        return False
    checkin.alert = alert
    checkin.risk = True
    checkin.save(update_fields=["alert", "risk", "updated_at"])
    return True


@transaction.atomic
def checkin_late_risk_answer(
    *, actor: Actor, checkin: CheckIn, item_number: int, option_index: int
) -> bool:
    """A risk answer sent (from a page left open) after the check-in was finished: her
    finished answers stay as they were, but the answer still reaches the team."""
    locked = (
        # Only the check-in's row is locked: its alert is an outer join, which PostgreSQL
        # cannot lock.
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("organisation", "alert")
        .get(pk=checkin.pk)
    )
    instrument = instruments.get(locked.instrument)
    try:
        instruments.option_score(instrument, item_number, option_index)
    except instruments.InvalidAnswer:
        return False
    return _raise_for_risk(actor, locked, instrument, {item_number: option_index})


@transaction.atomic
def checkin_complete(*, actor: Actor, checkin: CheckIn) -> CheckIn:
    """Score it and keep the result. Every scored question must have an answer."""
    locked = _locked_draft(checkin)
    instrument = instruments.get(locked.instrument)
    answers = answers_of(locked)
    result = instruments.score(instrument, answers)  # IncompleteAnswers
    now = clock.now()
    locked.status = CheckInStatus.DONE
    locked.completed_at = now
    locked.completed_on = timezone.localdate(now)
    locked.total = result.total
    if instrument.scoring == instruments.CATEGORY:  # her answer's position is the result
        number, index = next(iter(answers.items()))
        locked.total = instruments.option_score(instrument, number, index)
    locked.band = result.band.key if result.band is not None else ""
    locked.positive = result.positive
    locked.risk = (result.risk and instrument.text_licensed) or locked.alert_id is not None
    locked.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        organisation=locked.organisation,
        fields=["status", "total", "band", "positive", "risk"],
    )
    _raise_for_risk(actor, locked, instrument, answers)
    return locked


@transaction.atomic
def checkin_discard(*, actor: Actor, checkin: CheckIn) -> None:
    """Throw away an unfinished check-in. An alert it raised stays with the team."""
    locked = _locked_draft(checkin)
    audit_record(actor=actor, action=Action.DELETE, obj=locked, organisation=locked.organisation)
    locked.delete()


# Sharing ---------------------------------------------------------------------------------------


@transaction.atomic
def share_save(
    *, actor: Actor, membership: Membership, viewer: Membership, instrument_ids: list[str]
) -> Share:
    """Show her results for these measures to ``viewer``, or change which measures a live
    share shows."""
    if viewer.organisation_id != membership.organisation_id:
        raise CheckInError(_("You can only share with someone from your organisation."))
    known = [i.id for i in instruments.all_instruments()]
    chosen = [i for i in known if i in set(instrument_ids)]
    if not chosen:
        raise CheckInError(_("Choose at least one check-in to share."))
    share = (
        Share.objects.select_for_update()
        .filter(membership=membership, viewer=viewer, stopped_at__isnull=True)
        .first()
    )
    if share is None:
        share = Share.objects.create(membership=membership, viewer=viewer, instruments=chosen)
        action = Action.CREATE
        notify(
            recipient=viewer.user,
            purpose=RESULTS_SHARED,
            subject=share,
            link=reverse("checkins:shared", kwargs={"public_id": share.public_id}),
            idempotency_key=f"checkin-share:{share.public_id}",
            organisation=membership.organisation,
        )
    else:
        share.instruments = chosen
        share.save(update_fields=["instruments", "updated_at"])
        action = Action.UPDATE
    audit_record(
        actor=actor,
        action=action,
        obj=share,
        organisation=membership.organisation,
        fields=["viewer", "instruments"],
    )
    return share


@transaction.atomic
def checkins_delete_all(*, actor: Actor, user: User) -> int:
    """Delete every check-in of hers and stop everything that uses them: her shares end and
    her reminder stops (consent to the use of health information withdrawn, or erasure).
    Shares others made with her end too; the rows stay, so each member keeps the record of
    who looked."""
    for share in Share.objects.filter(
        Q(membership__user=user) | Q(viewer__user=user), stopped_at__isnull=True
    ):
        share_stop(actor=actor, share=share)
    for reminder in Reminder.objects.filter(membership__user=user).select_related(
        "membership__organisation"
    ):
        reminder_stop(actor=actor, membership=reminder.membership)
    checkins = list(CheckIn.objects.filter(membership__user=user))
    if checkins:
        audit_record_many(actor=actor, action=Action.DELETE, objects=checkins)
        CheckIn.objects.filter(pk__in=[c.pk for c in checkins]).delete()
    return len(checkins)


@transaction.atomic
def share_stop(*, actor: Actor, share: Share) -> Share:
    locked = (
        Share.objects.select_for_update(of=("self",))
        .select_related("membership__organisation")
        .get(pk=share.pk)
    )
    if locked.stopped_at is None:
        locked.stopped_at = clock.now()
        locked.save(update_fields=["stopped_at", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            organisation=locked.membership.organisation,
            fields=["stopped_at"],
        )
    return locked


# Reminders -------------------------------------------------------------------------------------


def next_reminder_at(*, every_days: int, at_hour: int, after: dt.datetime) -> dt.datetime:
    """The next reminder: ``at_hour`` o'clock, local wall-clock time, ``every_days`` from the
    day of ``after`` (or sooner, when today's hour has not come yet for a new rhythm)."""
    local = timezone.localtime(after)
    day = local.date() + dt.timedelta(days=every_days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(at_hour)))


@transaction.atomic
def reminder_save(
    *, actor: Actor, membership: Membership, every_days: int, at_hour: int
) -> Reminder:
    now = clock.now()
    next_at = next_reminder_at(every_days=every_days, at_hour=at_hour, after=now)
    reminder, created = Reminder.objects.update_or_create(
        membership=membership,
        defaults={"every_days": every_days, "at_hour": at_hour, "next_at": next_at},
    )
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=reminder,
        organisation=membership.organisation,
        fields=["every_days", "at_hour"],
    )
    return reminder


@transaction.atomic
def reminder_stop(*, actor: Actor, membership: Membership) -> bool:
    reminder = Reminder.objects.filter(membership=membership).first()
    if reminder is None:
        return False
    audit_record(
        actor=actor, action=Action.DELETE, obj=reminder, organisation=membership.organisation
    )
    reminder.delete()
    return True


def reminders_send_due(*, actor: Actor, limit: int = 500) -> int:
    """Tell everyone whose reminder is due (quiet hours apply), and set the next one. Each
    reminder is its own transaction; the idempotency key stops a repeat telling her twice."""
    now = clock.now()
    ids = list(
        Reminder.objects.filter(next_at__lte=now)
        .order_by("next_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            reminder = (
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("membership__user", "membership__organisation")
                .filter(pk=pk, next_at__lte=now)
                .first()
            )
            if reminder is None:
                continue
            membership = reminder.membership
            if membership.ended_at is None and membership.user.is_active:
                notify(
                    recipient=membership.user,
                    purpose=CHECKIN_REMINDER,
                    link=reverse("checkins:reminder_link"),  # an address that says nothing
                    idempotency_key=f"checkin-reminder:{reminder.pk}:{reminder.next_at.isoformat()}",
                    organisation=membership.organisation,
                )
                sent += 1
            reminder.next_at = next_reminder_at(
                every_days=reminder.every_days, at_hour=reminder.at_hour, after=now
            )
            reminder.save(update_fields=["next_at", "updated_at"])
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                obj=reminder,
                organisation=membership.organisation,
                fields=["next_at"],
            )
    return sent


# The organisation's risk tiers (the admin) ----------------------------------------------------


@transaction.atomic
def risk_tier_save(*, actor: Actor, obj: RiskTier, changed: list[str]) -> RiskTier:
    save_audited(actor=actor, obj=obj, changed=changed)
    return obj


@transaction.atomic
def risk_tier_delete(*, actor: Actor, obj: RiskTier) -> None:
    audit_record(actor=actor, action=Action.DELETE, obj=obj, organisation=obj.organisation)
    obj.delete()
