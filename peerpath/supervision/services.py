"""Every change to training, background checks, supervision, debriefs due and supporters'
wellbeing check-ins goes through here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership, SupporterProfile, User
from peerpath.accounts.services import supporter_profile_update
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record, audit_record_many, save_audited
from peerpath.core import clock
from peerpath.notifications.services import notify
from peerpath.supervision.models import (
    BackgroundCheck,
    CheckOutcome,
    DebriefDue,
    Feeling,
    SupervisionPolicy,
    SupervisionSession,
    TrainingCompletion,
    TrainingModule,
    WellbeingCheckIn,
)
from peerpath.supervision.purposes import SUPPORTER_WANTS_TO_TALK
from peerpath.supervision.querysets import supervising_people

if TYPE_CHECKING:
    from peerpath.core.actors import Actor
    from peerpath.safeguarding.models import Alert

NOTES_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 1000
KIND_MAX_LENGTH = 80
REFERENCE_MAX_LENGTH = 60
MAX_CASELOAD = 20


class SupervisionError(Exception):
    """A change that cannot be made, in words for the person making it."""


def expiry_for(module: TrainingModule, completed_on: dt.date) -> dt.date | None:
    """The first day a completion no longer counts: ``valid_for_months`` after it was
    completed (the month's last day when it is shorter), or None when it never expires."""
    if module.valid_for_months is None:
        return None
    expires_on: dt.date = completed_on + relativedelta(months=module.valid_for_months)
    return expires_on


def _supporter_place(supporter: Membership) -> None:
    if supporter.role != Role.PEER_SUPPORTER:
        raise SupervisionError(_("This is not a peer supporter's place."))


def _not_in_future(value: dt.date, what: str) -> None:
    if value > clock.today():
        raise SupervisionError(_("%(what)s cannot be in the future.") % {"what": what})


# Training modules and the supervision interval (the admin) ------------------------------------


@transaction.atomic
def training_module_save(
    *, actor: Actor, obj: TrainingModule, changed: list[str]
) -> TrainingModule:
    """Save a module; when its period changes, every completion of it is worked out again
    (the period is the organisation's rule, not a property of each certificate)."""
    save_audited(actor=actor, obj=obj, changed=changed)
    if "valid_for_months" in changed:
        moved = []
        now = clock.now()
        for completion in TrainingCompletion.objects.filter(module=obj).select_for_update():
            expires_on = expiry_for(obj, completion.completed_on)
            if completion.expires_on != expires_on:
                completion.expires_on = expires_on
                completion.updated_at = now
                moved.append(completion)
        if moved:
            TrainingCompletion.objects.bulk_update(moved, ["expires_on", "updated_at"])
            audit_record_many(
                actor=actor,
                action=Action.UPDATE,
                objects=moved,
                organisation=obj.organisation,
                fields=["expires_on"],
            )
    return obj


@transaction.atomic
def training_module_delete(*, actor: Actor, obj: TrainingModule) -> None:
    """Only a module nobody has completed: otherwise mark it no longer in use."""
    if TrainingCompletion.objects.filter(module=obj).exists():
        raise SupervisionError(
            _("Peer supporters have completed this module: mark it no longer in use instead.")
        )
    audit_record(actor=actor, action=Action.DELETE, obj=obj, organisation=obj.organisation)
    obj.delete()


@transaction.atomic
def supervision_policy_save(
    *, actor: Actor, obj: SupervisionPolicy, changed: list[str]
) -> SupervisionPolicy:
    save_audited(actor=actor, obj=obj, changed=changed)
    return obj


# Her records ---------------------------------------------------------------------------------


@transaction.atomic
def training_completion_record(
    *,
    actor: Actor,
    supporter: Membership,
    module: TrainingModule,
    completed_on: dt.date,
) -> TrainingCompletion:
    _supporter_place(supporter)
    if module.organisation_id != supporter.organisation_id or not module.in_use:
        raise SupervisionError(_("Choose one of your organisation's training modules."))
    _not_in_future(completed_on, _("The day it was completed"))
    completion = TrainingCompletion.objects.create(
        module=module,
        supporter=supporter,
        completed_on=completed_on,
        expires_on=expiry_for(module, completed_on),
        recorded_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=completion,
        organisation=supporter.organisation,
        fields=["module", "completed_on", "expires_on"],
    )
    return completion


@transaction.atomic
def background_check_record(
    *,
    actor: Actor,
    supporter: Membership,
    kind: str,
    checked_on: dt.date,
    outcome: str,
    renew_by: dt.date | None,
    reference: str = "",
) -> BackgroundCheck:
    _supporter_place(supporter)
    kind = kind.strip()
    if not kind or len(kind) > KIND_MAX_LENGTH:
        raise SupervisionError(_("Say what kind of check it was."))
    if outcome not in CheckOutcome.values:
        raise SupervisionError(_("Choose whether the check was clear."))
    _not_in_future(checked_on, _("The day of the check"))
    if renew_by is not None and renew_by <= checked_on:
        raise SupervisionError(_("The renewal date must be after the day of the check."))
    check = BackgroundCheck.objects.create(
        supporter=supporter,
        kind=kind,
        checked_on=checked_on,
        outcome=outcome,
        renew_by=renew_by,
        reference=reference.strip()[:REFERENCE_MAX_LENGTH],
        recorded_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=check,
        organisation=supporter.organisation,
        fields=["kind", "checked_on", "outcome", "renew_by", "reference"],
    )
    return check


@transaction.atomic
def supervision_session_record(
    *,
    actor: Actor,
    supporter: Membership,
    supervisor: User,
    held_on: dt.date,
    notes: str,
    agreed_actions: str,
    is_debrief: bool,
) -> SupervisionSession:
    """Record a session. A debrief clears the oldest debrief due of hers."""
    _supporter_place(supporter)
    if supervisor.pk == supporter.user_id:
        raise SupervisionError(_("Someone else holds her supervision."))
    _not_in_future(held_on, _("The day it was held"))
    session = SupervisionSession.objects.create(
        supporter=supporter,
        supervisor=supervisor,
        held_on=held_on,
        notes=notes.strip(),
        agreed_actions=agreed_actions.strip(),
        is_debrief=is_debrief,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=session,
        organisation=supporter.organisation,
        fields=["supervisor", "held_on", "notes", "agreed_actions", "is_debrief"],
    )
    if is_debrief:
        due = (
            DebriefDue.objects.select_for_update()
            .filter(supporter=supporter, cleared_at__isnull=True)
            .order_by("created_at", "pk")
            .first()
        )
        if due is not None:
            due.cleared_at = clock.now()
            due.cleared_by_session = session
            due.save(update_fields=["cleared_at", "cleared_by_session", "updated_at"])
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                obj=due,
                organisation=supporter.organisation,
                fields=["cleared_at", "cleared_by_session"],
            )
    return session


@transaction.atomic
def debrief_due_record(*, actor: Actor, alert: Alert, supporter: User) -> DebriefDue | None:
    """A debrief is due for the peer supporter who raised a closed alert (once per alert);
    None when she has no peer-supporter place in its organisation now."""
    place = Membership.objects.filter(
        user=supporter,
        organisation_id=alert.organisation_id,
        role=Role.PEER_SUPPORTER,
        ended_at__isnull=True,
    ).first()
    if place is None:
        return None
    due, created = DebriefDue.objects.get_or_create(supporter=place, alert=alert)
    if created:
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=due,
            organisation=alert.organisation,
            fields=["alert"],
        )
    return due


@transaction.atomic
def supporter_caseload_set(
    *, actor: Actor, supporter: Membership, limit: int | None
) -> SupporterProfile:
    """Her own limit of active matches; None: the organisation's default."""
    _supporter_place(supporter)
    if limit is not None and not 0 <= limit <= MAX_CASELOAD:
        raise SupervisionError(_("Enter a number from 0 to %(most)s.") % {"most": MAX_CASELOAD})
    profile = SupporterProfile.objects.filter(membership=supporter).first()
    if profile is None:
        profile = SupporterProfile.objects.create(membership=supporter)
    profile.membership = supporter
    return supporter_profile_update(actor=actor, profile=profile, capacity=limit)


# Her wellbeing --------------------------------------------------------------------------------


@transaction.atomic
def wellbeing_checkin_submit(
    *,
    actor: Actor,
    supporter: Membership,
    feeling: str,
    note: str,
    wants_to_talk: bool,
) -> WellbeingCheckIn:
    """Keep her answer. Struggling, or asking to talk, tells her coordinators and safeguarding
    leads (the words say only that a peer supporter would like a word)."""
    _supporter_place(supporter)
    if feeling not in Feeling.values:
        raise SupervisionError(_("Choose how you are finding it."))
    checkin = WellbeingCheckIn.objects.create(
        supporter=supporter,
        feeling=feeling,
        note=note.strip()[:NOTE_MAX_LENGTH],
        wants_to_talk=wants_to_talk,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=checkin,
        organisation=supporter.organisation,
        fields=["feeling", "note", "wants_to_talk"],
    )
    if checkin.needs_a_word:
        _tell_supervisors(supporter, checkin)
    return checkin


def _tell_supervisors(supporter: Membership, checkin: WellbeingCheckIn) -> None:
    organisation = supporter.organisation
    link = reverse(
        "supervision:supporter",
        kwargs={"slug": organisation.slug, "public_id": supporter.public_id},
    )
    for person in supervising_people(organisation):
        if person.pk == supporter.user_id:
            continue
        notify(
            recipient=person,
            purpose=SUPPORTER_WANTS_TO_TALK,
            subject=checkin,
            link=link,
            idempotency_key=f"supervision-wellbeing:{checkin.public_id}:{person.pk}",
            organisation=organisation,
        )


@transaction.atomic
def wellbeing_checkin_follow_up(*, actor: User, checkin: WellbeingCheckIn) -> WellbeingCheckIn:
    locked = WellbeingCheckIn.objects.select_for_update().get(pk=checkin.pk)
    if locked.followed_up_at is None:
        locked.followed_up_at = clock.now()
        locked.followed_up_by = actor
        locked.save(update_fields=["followed_up_at", "followed_up_by", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            organisation=checkin.supporter.organisation,
            fields=["followed_up_at", "followed_up_by"],
        )
    return locked


# Erasure -------------------------------------------------------------------------------------


@transaction.atomic
def supervision_records_erase(*, actor: Actor, user: User) -> None:
    """Her wellbeing check-ins and debriefs due are deleted. Her training, checks and
    sessions stay, pointing at the anonymised account (who was trained, checked and
    supervised while supporting mothers may be needed by a later safeguarding review); what
    she or her supervisor wrote about her (the reference number, notes and actions) is blanked."""
    wellbeing = list(WellbeingCheckIn.objects.filter(supporter__user=user))
    if wellbeing:
        audit_record_many(actor=actor, action=Action.DELETE, objects=wellbeing)
        WellbeingCheckIn.objects.filter(pk__in=[c.pk for c in wellbeing]).delete()
    debriefs = list(DebriefDue.objects.filter(supporter__user=user))
    if debriefs:
        audit_record_many(actor=actor, action=Action.DELETE, objects=debriefs)
        DebriefDue.objects.filter(pk__in=[d.pk for d in debriefs]).delete()
    now = clock.now()
    checks = [c for c in BackgroundCheck.objects.filter(supporter__user=user) if c.reference]
    for check in checks:
        check.reference = ""
        check.updated_at = now
    if checks:
        BackgroundCheck.objects.bulk_update(checks, ["reference", "updated_at"])
        audit_record_many(actor=actor, action=Action.UPDATE, objects=checks, fields=["reference"])
    sessions = [
        s
        for s in SupervisionSession.objects.filter(supporter__user=user)
        if s.notes or s.agreed_actions
    ]
    for session in sessions:
        session.notes = ""
        session.agreed_actions = ""
        session.updated_at = now
    if sessions:
        SupervisionSession.objects.bulk_update(sessions, ["notes", "agreed_actions", "updated_at"])
        audit_record_many(
            actor=actor, action=Action.UPDATE, objects=sessions, fields=["notes", "agreed_actions"]
        )
