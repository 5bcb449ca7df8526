"""Every change to safeguarding goes through a function here: crisis contacts, tiers, staffed
hours, the rota, and alerts from raising to closing, with their escalation."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerpath.accounts.models import Organisation
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record, audit_record_many, save_audited
from peerpath.core import clock
from peerpath.core.actors import WORKER, actor_label
from peerpath.core.live import publish_on_commit
from peerpath.core.tokens import secret_token, token_hash
from peerpath.jobs.services import job_enqueue
from peerpath.notifications.services import notifications_withdraw, notify
from peerpath.safeguarding.hooks import alert_debrief_due
from peerpath.safeguarding.models import (
    CONTACT_WAYS,
    ActionKind,
    Alert,
    AlertAction,
    AlertOutcome,
    AlertSource,
    AlertStatus,
    AlertTier,
    CrisisContact,
    DutyFeed,
    DutyPosition,
    FollowUp,
    Nation,
    ReferralDecision,
    RotaOverride,
    RotaSlot,
    RotaTurn,
    SafeguardingLead,
    StaffedHours,
    Urgency,
)
from peerpath.safeguarding.purposes import (
    ALERT_HANDED_OVER,
    ALERT_UNATTENDED,
    CLOSE_REMINDER,
    FOLLOW_UP_DUE,
    LEAD_REVIEW,
    OUT_OF_HOURS_ALERT,
    ROTA_GAP,
    SAFEGUARDING_ALERT,
)
from peerpath.safeguarding.rota import (
    is_staffed,
    next_staffed_start,
    on_duty,
    staffed_hours_for,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor

logger = logging.getLogger(__name__)
CONTEXT_MAX_LENGTH = 4000
FOLLOW_UP_DESCRIPTION_MAX_LENGTH = 200
FOLLOW_UP_MAX_DAYS_AHEAD = 90
MEMBER_REQUEST_TIER = 1
HARM_THOUGHTS_TIER = 2  # "thoughts of harming the baby", self-harm: tier 2 of the reference
HARM_THOUGHTS_WORDS = "She said she is having thoughts of harming herself or her baby."

# The contacts in docs/clinical-safety (source: shared reference CLINICAL.md). Every one is
# seeded unverified: someone must check it before an organisation goes live (hazard H1).
DEFAULT_CRISIS_CONTACTS: tuple[dict[str, Any], ...] = (
    {
        "urgency": Urgency.EMERGENCY,
        "name": "Emergency services",
        "description": (
            "Call 999 or go to A&E if you or your baby are in danger right now, "
            "or if you have hurt yourself badly."
        ),
        "phone": "999",
        "hours": "24 hours, every day",
        "open_all_hours": True,
    },
    {
        "urgency": Urgency.URGENT,
        "nation": Nation.ENGLAND,
        "name": "NHS 111",
        "description": "Call 111 and select the mental health option. For urgent help today.",
        "phone": "111",
        "hours": "24 hours, every day",
        "open_all_hours": True,
    },
    {
        "urgency": Urgency.URGENT,
        "nation": Nation.WALES,
        "name": "NHS 111 Wales",
        "description": "Call 111 and press 2 for mental health support.",
        "phone": "111",
    },
    {
        "urgency": Urgency.URGENT,
        "nation": Nation.SCOTLAND,
        "name": "NHS 24",
        "description": "Call 111 for urgent help.",
        "phone": "111",
    },
    {
        "urgency": Urgency.URGENT,
        "nation": Nation.NORTHERN_IRELAND,
        "name": "Lifeline",
        "description": "Crisis support for anyone in distress or despair.",
        "phone": "0808 808 8000",
    },
    {
        "urgency": Urgency.SUPPORT,
        "name": "Samaritans",
        "description": "Talk to someone about anything that is troubling you. Free to call.",
        "phone": "116 123",
        "email": "jo@samaritans.org",
        "hours": "24 hours, every day",
        "open_all_hours": True,
    },
    {
        "urgency": Urgency.SUPPORT,
        "name": "Shout",
        "description": (
            "If you would rather text than talk. New parents and people affected by baby loss "
            "can text HUG to the same number."
        ),
        "text_number": "85258",
        "text_keyword": "SHOUT",
        "hours": "24 hours, every day",
        "open_all_hours": True,
    },
    {
        "urgency": Urgency.SUPPORT,
        "name": "PANDAS Foundation helpline",
        "description": "Support for parents and families with perinatal mental illness.",
        "phone": "0808 1961 776",
    },
)


@transaction.atomic
def crisis_contacts_seed_defaults(
    *, organisation: Organisation, actor: Actor
) -> list[CrisisContact]:
    """Give an organisation the standard UK contacts, unverified, if it has none yet."""
    if CrisisContact.objects.filter(organisation=organisation).exists():
        return []
    contacts = [
        CrisisContact(organisation=organisation, position=position * 10, **values)
        for position, values in enumerate(DEFAULT_CRISIS_CONTACTS, start=1)
    ]
    CrisisContact.objects.bulk_create(contacts)
    audit_record_many(
        actor=actor, action=Action.CREATE, objects=contacts, organisation=organisation
    )
    return contacts


SafeguardingSetting = (
    CrisisContact | AlertTier | StaffedHours | SafeguardingLead | RotaSlot | RotaOverride
)


def _save_audited(*, actor: Actor, obj: SafeguardingSetting, changed: Iterable[str]) -> None:
    """Check, save and audit one row of an organisation's safeguarding set-up."""
    save_audited(actor=actor, obj=obj, changed=changed)


@transaction.atomic
def safeguarding_setting_save(
    *,
    actor: Actor,
    obj: CrisisContact | AlertTier | StaffedHours | SafeguardingLead,
    changed: Iterable[str],
) -> None:
    """Save a crisis contact, a tier, the staffed hours or a lead (an admin form has set its
    fields). Rota slots and changes have services of their own, which check who is on it."""
    _save_audited(actor=actor, obj=obj, changed=changed)


@transaction.atomic
def safeguarding_setting_delete(*, actor: Actor, obj: SafeguardingSetting) -> None:
    audit_record(actor=actor, action=Action.DELETE, obj=obj, organisation=obj.organisation)
    obj.delete()


@transaction.atomic
def crisis_contact_verify(
    *, contact: CrisisContact, actor: Actor, checked_on: dt.date, note: str
) -> CrisisContact:
    """Record that someone checked the number and hours against the service's own source."""
    contact.last_verified_on = checked_on
    contact.verification_note = note
    contact.save(update_fields=["last_verified_on", "verification_note", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=contact,
        organisation=contact.organisation,
        fields=["last_verified_on", "verification_note"],
    )
    return contact


# Tiers, staffed hours and leads ---------------------------------------------------------------

# From the shared clinical reference's "Safeguarding response tiers" table. The minutes and
# hours are starting values each organisation's safeguarding lead confirms (hazards H16 and H20).
DEFAULT_TIERS: tuple[dict[str, Any], ...] = (
    {
        "number": 0,
        "name": "Distress or loneliness",
        "examples": "Distress, loneliness.",
        "response": "Peer support, signposting.",
        "target": "The usual contact rhythm",
        "escalate_after_minutes": None,
        "close_within_hours": 72,
    },
    {
        "number": 1,
        "name": "Passive thoughts",
        "examples": (
            'Passive thoughts ("wish I wasn\'t here"), EPDS item 10 = 1, PHQ-9 item 9 = 1.'
        ),
        "response": (
            "Crisis card shown at once; alert to on-duty trained staff; warm templated contact "
            "the same day."
        ),
        "target": "Same day, within staffed hours",
        "escalate_after_minutes": 30,
        "close_within_hours": 24,
    },
    {
        "number": 2,
        "name": "Active thoughts, harm or a child at risk",
        "examples": (
            "Active thoughts or plan, self-harm, thoughts of harming the baby, psychosis signs, "
            "child-protection disclosure."
        ),
        "response": (
            "Immediate review by the safeguarding lead; safety conversation; 999/111/A&E "
            "advice; safeguarding referral as needed."
        ),
        "target": (
            "Minutes, while staffed; outside staffed hours the app says so and routes to 999, "
            "Samaritans, Shout"
        ),
        "escalate_after_minutes": 5,
        "close_within_hours": 4,
        "tell_leads_at_once": True,
    },
    {
        "number": 3,
        "name": "Imminent danger",
        "examples": "Imminent danger.",
        "response": "999 with identifying details; stay in contact; record.",
        "target": "Immediate",
        "escalate_after_minutes": 2,
        "close_within_hours": 2,
        "tell_leads_at_once": True,
    },
)


@transaction.atomic
def alert_tiers_seed_defaults(*, organisation: Organisation, actor: Actor) -> list[AlertTier]:
    """Give an organisation the four tiers of the clinical reference, if it has none yet."""
    if AlertTier.objects.filter(organisation=organisation).exists():
        return []
    tiers = [AlertTier(organisation=organisation, **values) for values in DEFAULT_TIERS]
    AlertTier.objects.bulk_create(tiers)
    audit_record_many(actor=actor, action=Action.CREATE, objects=tiers, organisation=organisation)
    return tiers


def alert_tier_for(organisation: Organisation | int, number: int) -> AlertTier:
    """The organisation's tier, or the reference default if it has not been set up."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    found = AlertTier.objects.filter(organisation_id=organisation_id, number=number).first()
    if found is not None:
        return found
    for values in DEFAULT_TIERS:
        if values["number"] == number:
            return AlertTier(organisation_id=organisation_id, **values)
    raise AlertError(_("There is no tier %(number)s.") % {"number": number})


def safeguarding_leads(organisation: Organisation | int) -> list[User]:
    """Everyone the last step of an escalation pages: the named lead and any further leads,
    while they still handle the organisation's alerts."""
    from peerpath.accounts.models import User
    from peerpath.safeguarding.access import can_handle_alerts

    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    ids = set(
        SafeguardingLead.objects.filter(organisation_id=organisation_id).values_list(
            "person_id", flat=True
        )
    )
    named = (
        Organisation.objects.filter(pk=organisation_id)
        .values_list("safeguarding_lead_id", flat=True)
        .first()
    )
    if named:
        ids.add(named)
    people = User.objects.filter(pk__in=ids, is_active=True).order_by("pk")
    return [person for person in people if can_handle_alerts(person, organisation_id)]


# The rota ------------------------------------------------------------------------------------


@transaction.atomic
def rota_slot_save(
    *, actor: Actor, slot: RotaSlot, changed: Iterable[str], people: Iterable[User] | None = None
) -> RotaSlot:
    """Save a weekly shift; ``people``, when given, become its turns in that order. Each
    must be able to handle the organisation's alerts."""
    from peerpath.safeguarding.access import can_handle_alerts

    chosen = None if people is None else list(people)
    for person in chosen or []:
        if not can_handle_alerts(person, slot.organisation_id):
            raise AlertError(
                _("%(name)s cannot handle this organisation's alerts.") % {"name": person}
            )
    _save_audited(actor=actor, obj=slot, changed=[*changed, *([] if chosen is None else ["turns"])])
    if chosen is not None:
        slot.turns.all().delete()
        RotaTurn.objects.bulk_create(
            [RotaTurn(slot=slot, person=person, order=index) for index, person in enumerate(chosen)]
        )
    return slot


@transaction.atomic
def rota_person_remove(*, actor: Actor, person: User, now: dt.datetime) -> None:
    """Take someone off the rota (her account is erased or she has left): her turns, her
    changes still to come, and her place among the leads. Each removal is audited."""
    for turn in RotaTurn.objects.filter(person=person).select_related("slot__organisation"):
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=turn.slot,
            organisation=turn.slot.organisation,
            fields=["turns"],
        )
        turn.delete()
    for override in RotaOverride.objects.filter(person=person, ends_at__gt=now):
        safeguarding_setting_delete(actor=actor, obj=override)
    for lead in SafeguardingLead.objects.filter(person=person):
        safeguarding_setting_delete(actor=actor, obj=lead)


@transaction.atomic
def rota_override_save(
    *, actor: Actor, override: RotaOverride, changed: Iterable[str]
) -> RotaOverride:
    """A one-off change to who covers a stretch of time (``person`` empty: nobody does)."""
    from peerpath.safeguarding.access import can_handle_alerts

    if override.person is not None and not can_handle_alerts(
        override.person, override.organisation_id
    ):
        raise AlertError(_("That person cannot handle this organisation's alerts."))
    _save_audited(actor=actor, obj=override, changed=changed)
    return override


@transaction.atomic
def rota_swap(
    *,
    actor: Actor,
    organisation: Organisation,
    position: str,
    first: tuple[dt.datetime, dt.datetime],
    second: tuple[dt.datetime, dt.datetime],
    reason: str = "",
) -> tuple[RotaOverride, RotaOverride]:
    """Two people swap shifts: each covers the other's, as two overrides in one change."""
    from peerpath.safeguarding.rota import on_duty

    first_person = on_duty(organisation, position, first[0])
    second_person = on_duty(organisation, position, second[0])
    made = []
    for (starts, ends), person in ((first, second_person), (second, first_person)):
        made.append(
            rota_override_save(
                actor=actor,
                override=RotaOverride(
                    organisation=organisation,
                    position=position,
                    starts_at=starts,
                    ends_at=ends,
                    person=person,
                    reason=reason or "Swap",
                ),
                changed=["person", "starts_at", "ends_at"],
            )
        )
    return made[0], made[1]


@transaction.atomic
def duty_feed_reset(*, actor: User) -> str:
    """Make (or replace) her private shifts calendar address; returns the new secret once."""
    token = secret_token()
    DutyFeed.objects.update_or_create(user=actor, defaults={"token_hash": token_hash(token)})
    audit_record(actor=actor, action=Action.UPDATE, obj=actor, detail="duty calendar address")
    return token


@transaction.atomic
def duty_feed_delete(*, actor: Actor, user: User) -> int:
    deleted, _ = DutyFeed.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=actor, action=Action.DELETE, obj=user, detail="duty calendar address")
    return int(deleted)


# Alerts --------------------------------------------------------------------------------------


class AlertError(ValueError):
    """A request about an alert that cannot be carried out; the message says why, in words a
    person can act on."""


ESCALATE_TASK = "safeguarding.escalate"
REMINDER_TASK = "safeguarding.close_reminder"
FOLLOW_UP_TASK = "safeguarding.follow_up_due"
OVERDUE_AFTER = dt.timedelta(minutes=2)
STEP_PRIMARY, STEP_BACKUP, STEP_LEADS = 0, 1, 2
OPEN_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


def alerts_group(organisation_id: int) -> str:
    """The live group of an organisation's alerts dashboard."""
    return f"safeguarding-alerts-{organisation_id}"


def _publish(alert: Alert, op: str) -> None:
    publish_on_commit(
        alerts_group(alert.organisation_id),
        {"type": "alerts.changed", "op": op, "id": str(alert.public_id)},
    )


def _log(
    alert: Alert,
    kind: str,
    *,
    actor: Actor | None,
    text: str = "",
    decision: str = "",
    recipients: Iterable[User] = (),
) -> AlertAction:
    from peerpath.accounts.models import User

    return AlertAction.objects.create(
        alert=alert,
        kind=kind,
        actor=actor if isinstance(actor, User) else None,
        actor_label="" if isinstance(actor, User) or actor is None else actor_label(actor),
        text=text,
        decision=decision,
        recipients=[str(person.public_id) for person in recipients],
        created_at=clock.now(),
    )


def acknowledge_path(alert: Alert) -> str:
    return reverse("safeguarding:alert_acknowledge", kwargs={"public_id": alert.public_id})


@transaction.atomic
def alert_raise(
    *,
    actor: Actor,
    organisation: Organisation,
    source: str,
    tier: int,
    member: User,
    context: str = "",
    contact_preference: dict[str, str] | None = None,
) -> Alert:
    """Raise an alert about ``member``: the on-duty person is paged at once in staffed hours;
    outside them it waits for the first person on duty and the leads are told.

    ``context`` is only what the people handling it need (the answer, the message). Other apps
    call this; they never write alert rows themselves.
    """
    from peerpath.accounts.access import roles_in
    from peerpath.accounts.models import User

    if source not in AlertSource.values:
        raise AlertError(_("Unknown alert source."))
    if not roles_in(member, organisation):
        raise AlertError(_("She is not part of this organisation."))
    if isinstance(actor, User) and actor.pk != member.pk and not roles_in(actor, organisation):
        raise AlertError(_("Only this organisation's people can raise its alerts."))
    tier_row = alert_tier_for(organisation, tier)
    now = clock.now()
    hours = staffed_hours_for(organisation)
    staffed = is_staffed(hours, now)
    first_step_at = now if staffed else (next_staffed_start(hours, now) or now)
    pages = tier_row.escalate_after_minutes is not None
    preference: Any = dict(contact_preference or {})  # an encrypted JSON field
    alert = Alert.objects.create(
        organisation=organisation,
        member=member,
        tier=tier_row.number,
        source=source,
        raised_by=actor if isinstance(actor, User) else None,
        raised_by_label="" if isinstance(actor, User) else actor_label(actor),
        context=context[:CONTEXT_MAX_LENGTH],
        contact_preference=preference,
        raised_out_of_hours=not staffed,
        policy={
            "tier_name": tier_row.name,
            "escalate_after_minutes": tier_row.escalate_after_minutes,
            "close_within_hours": tier_row.close_within_hours,
            "tell_leads_at_once": tier_row.tell_leads_at_once,
        },
        next_step_at=first_step_at if pages else None,
    )
    _log(alert, ActionKind.RAISED, actor=actor, decision=f"tier {alert.tier}")
    audit_record(actor=actor, action=Action.CREATE, obj=alert, organisation=organisation)
    _publish(alert, "created")
    if not pages:
        return alert
    if staffed:
        _run_step(WORKER, alert, step=STEP_PRIMARY, token=alert.escalation_token)
        alert.refresh_from_db()
        return alert
    _log(
        alert,
        ActionKind.WAITING,
        actor=WORKER,
        text="Raised outside staffed hours; first page due "
        f"{timezone.localtime(first_step_at):%a %d %b %H:%M}.",
    )
    for lead in safeguarding_leads(organisation):
        notify(
            recipient=lead,
            purpose=OUT_OF_HOURS_ALERT,
            subject=alert,
            link=reverse("safeguarding:alert_detail", kwargs={"public_id": alert.public_id}),
            idempotency_key=f"alert:{alert.public_id}:out-of-hours:{lead.pk}",
            organisation=organisation,
        )
    _enqueue_step(alert, step=STEP_PRIMARY, token=alert.escalation_token, due_at=first_step_at)
    return alert


@dataclass(frozen=True)
class ContactRequest:
    """What became of her request: the alert that holds it, and whether it was added to a
    request of hers the team already had (nobody was paged again)."""

    alert: Alert
    added_to_earlier: bool


def _request_context(message: str, *, harm_thoughts: bool) -> str:
    """What the people handling her request read first."""
    return f"{HARM_THOUGHTS_WORDS}\n{message}".strip() if harm_thoughts else message


def _request_words(message: str, contact_preference: dict[str, str]) -> str:
    """Her new request as the log shows it (the log's text is encrypted like the context)."""
    ways = {key: str(label) for key, label in CONTACT_WAYS}
    lines = ["She asked again to be contacted."]
    how = contact_preference.get("how", "")
    if how:
        lines.append(f"How: {ways.get(how, how)}")
    when = contact_preference.get("when", "").strip()
    if when:
        lines.append(f"When: {when}")
    number = contact_preference.get("number", "").strip()
    if number:
        lines.append(f"Number: {number}")
    if contact_preference.get("harm_thoughts") == "yes":
        lines.append(HARM_THOUGHTS_WORDS)
    voicemail = contact_preference.get("voicemail", "")
    if voicemail == "no":
        lines.append("Do not leave a message.")
    elif voicemail == "yes":
        lines.append("It is safe to leave a message.")
    if message.strip():
        lines.append(f"She wrote: {message.strip()}")
    return "\n".join(lines)[:CONTEXT_MAX_LENGTH]


@transaction.atomic
def member_request_raise(
    *,
    actor: User,
    organisation: Organisation,
    message: str = "",
    contact_preference: dict[str, str] | None = None,
    harm_thoughts: bool = False,
) -> ContactRequest:
    """She asks to be contacted ("I'm struggling and want to talk to someone").

    The first request raises a tier-1 alert (``alert_raise``), which pages the person on duty;
    tier 2 if she says she is having thoughts of harming herself or her baby (the clinical
    reference's tier-2 examples), which also asks the leads to review it. While her request
    is open or acknowledged, asking again adds what she wrote and how she wants to be reached
    to its log, and nobody is paged again: one request, however often she asks; unless she
    now says she has such thoughts and the request she has is tier 1, when a tier-2 alert is
    raised (and the earlier one's log says so). Her requests in the organisation are taken
    one at a time (her membership row is locked), so two quick sends make one alert.
    """
    from peerpath.accounts.models import Membership

    preference = dict(contact_preference or {})
    list(
        Membership.objects.select_for_update()
        .filter(user=actor, organisation=organisation, ended_at__isnull=True)
        .values_list("pk", flat=True)
    )
    earlier = (
        Alert.objects.select_for_update()
        .filter(
            organisation=organisation,
            member=actor,
            source=AlertSource.MEMBER_REQUEST,
            status__in=OPEN_STATUSES,
        )
        .order_by("-tier", "-created_at")
        .first()
    )
    tier = HARM_THOUGHTS_TIER if harm_thoughts else MEMBER_REQUEST_TIER
    if earlier is None or earlier.tier < tier:
        alert = alert_raise(
            actor=actor,
            organisation=organisation,
            source=AlertSource.MEMBER_REQUEST,
            tier=tier,
            member=actor,
            context=_request_context(message, harm_thoughts=harm_thoughts),
            contact_preference=preference,
        )
        if earlier is not None:
            # One live request: the lower tier's pages stop; the new alert carries on.
            if earlier.status == AlertStatus.OPEN:
                Alert.objects.filter(pk=earlier.pk).update(
                    escalation_token=uuid.uuid4(), next_step_at=None, updated_at=clock.now()
                )
                _stop_paging(actor, earlier)
            _log(
                earlier,
                ActionKind.ASKED_AGAIN,
                actor=actor,
                text=f"{_request_words(message, preference)}\nA tier {tier} alert was raised "
                "in its place; this one pages nobody more.",
            )
            _publish(earlier, "updated")
        return ContactRequest(alert=alert, added_to_earlier=False)
    _log(earlier, ActionKind.ASKED_AGAIN, actor=actor, text=_request_words(message, preference))
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=earlier,
        organisation=organisation,
        fields=["actions"],
        detail="asked again",
    )
    _publish(earlier, "updated")
    return ContactRequest(alert=earlier, added_to_earlier=True)


def _enqueue_step(alert: Alert, *, step: int, token: uuid.UUID, due_at: dt.datetime) -> None:
    job_enqueue(
        task=ESCALATE_TASK,
        arguments={"alert_id": alert.pk, "step": step, "token": str(token)},
        due_at=due_at,
        idempotency_key=f"alert:{alert.public_id}:step:{step}",
        max_attempts=1000,  # an escalation is never given up on
        organisation=alert.organisation,
    )


def _tell_leads_to_review(alert: Alert) -> None:
    """The leads review a tier-2 or tier-3 alert from the start; whoever was just paged for
    it is not told twice."""
    paged = AlertAction.objects.filter(alert=alert, kind=ActionKind.PAGED).values_list(
        "recipients", flat=True
    )
    already = {public_id for recipients in paged for public_id in recipients}
    leads = [
        p for p in safeguarding_leads(alert.organisation_id) if str(p.public_id) not in already
    ]
    for person in leads:
        notify(
            recipient=person,
            purpose=LEAD_REVIEW,
            subject=alert,
            link=reverse("safeguarding:alert_detail", kwargs={"public_id": alert.public_id}),
            idempotency_key=f"alert:{alert.public_id}:review:{person.pk}",
            organisation=alert.organisation,
        )
    if leads:
        _log(alert, ActionKind.LEADS_TOLD, actor=WORKER, recipients=leads)


def _step_people(alert: Alert, step: int, now: dt.datetime) -> list[User]:
    from peerpath.safeguarding.access import can_handle_alerts

    if step >= STEP_LEADS:
        return safeguarding_leads(alert.organisation_id)
    position = DutyPosition.PRIMARY if step == STEP_PRIMARY else DutyPosition.BACKUP
    person = on_duty(alert.organisation_id, position, now)
    if (
        person is None
        or not person.is_active
        or not can_handle_alerts(person, alert.organisation_id)
    ):
        return []
    return [person]


@transaction.atomic
def alert_escalate(*, actor: Actor, alert_id: int, step: int, token: str) -> bool:
    """Run one escalation step, if it is still due: the job's entry point. Returns True when
    this call ran it; a repeat (a retried job, a second worker) finds the token moved on."""
    alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
    if (
        alert is None
        or alert.status != AlertStatus.OPEN
        or alert.escalation_step != step
        or str(alert.escalation_token) != token
    ):
        return False
    return _run_step(actor, alert, step=step, token=alert.escalation_token)


def _run_step(actor: Actor, alert: Alert, *, step: int, token: uuid.UUID) -> bool:
    now = clock.now()
    people = _step_people(alert, step, now)
    gap = not people and step < STEP_LEADS
    if gap:
        step = STEP_LEADS
        people = _step_people(alert, step, now)
    minutes = alert.policy.get("escalate_after_minutes") or 1
    next_at = now + dt.timedelta(minutes=minutes)
    new_token = uuid.uuid4()
    moved = Alert.objects.filter(
        pk=alert.pk, escalation_token=token, status=AlertStatus.OPEN
    ).update(
        escalation_token=new_token,
        escalation_step=step + 1,
        next_step_at=next_at,
        updated_at=now,
    )
    if not moved:
        return False
    link = acknowledge_path(alert)
    purpose = ROTA_GAP if gap else SAFEGUARDING_ALERT
    for person in people:
        notify(
            recipient=person,
            purpose=purpose,
            subject=alert,
            link=link,
            idempotency_key=f"alert:{alert.public_id}:step:{step}:{person.pk}",
            organisation=alert.organisation,
        )
    who = {STEP_PRIMARY: "on duty", STEP_BACKUP: "backup"}.get(step, "safeguarding leads")
    if gap:
        _log(alert, ActionKind.ROTA_GAP, actor=actor, text="Nobody on the rota; went to the leads.")
        logger.warning("Alert %s: rota gap, paged the leads", alert.public_id)
    if not people:
        logger.error("Alert %s: nobody to page at step %s", alert.public_id, step)
    _log(alert, ActionKind.PAGED, actor=actor, decision=who, recipients=people)
    if step == STEP_PRIMARY and alert.policy.get("tell_leads_at_once"):
        # With the first page, in staffed hours (at once, or when they begin).
        _tell_leads_to_review(alert)
    _enqueue_step(alert, step=step + 1, token=new_token, due_at=next_at)
    _publish(alert, "escalated")
    return True


def _lock(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().get(pk=alert.pk)


def _lock_open(alert: Alert) -> Alert:
    """The alert, locked, if it is not closed: nothing is added to a closed alert's record."""
    alert = _lock(alert)
    if alert.status == AlertStatus.CLOSED:
        raise AlertError(_("This alert is closed."))
    return alert


def _still_handles(person: User, organisation_id: int) -> bool:
    """She can still act on the organisation's alerts: her account is open and her role (or
    her place among the leads) has not ended."""
    from peerpath.safeguarding.access import can_handle_alerts, forget_alert_access

    forget_alert_access(person)
    return person.is_active and can_handle_alerts(person, organisation_id)


def _require_handler(actor: User, alert: Alert) -> None:
    from peerpath.safeguarding.access import can_handle_alerts

    if not can_handle_alerts(actor, alert.organisation_id):
        raise AlertError(_("You cannot handle this organisation's alerts."))


def _stop_paging(actor: Actor, alert: Alert) -> None:
    notifications_withdraw(
        actor=actor, subject=alert, purposes=[SAFEGUARDING_ALERT, ROTA_GAP, OUT_OF_HOURS_ALERT]
    )


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    """She is handling it: every pending page stops, and she owns it. Acknowledging an
    alert someone else already has changes nothing (a second tap from a text is harmless)."""
    _require_handler(actor, alert)
    alert = _lock(alert)
    if alert.status != AlertStatus.OPEN:
        return alert
    now = clock.now()
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.owner = actor
    alert.acknowledged_at = now
    alert.next_step_at = None
    alert.escalation_token = uuid.uuid4()
    hours = alert.policy.get("close_within_hours") or 24
    alert.close_reminder_at = now + dt.timedelta(hours=hours)
    alert.save(
        update_fields=[
            "status",
            "owner",
            "acknowledged_at",
            "next_step_at",
            "escalation_token",
            "close_reminder_at",
            "updated_at",
        ]
    )
    _stop_paging(actor, alert)
    _log(alert, ActionKind.ACKNOWLEDGED, actor=actor)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=alert,
        organisation=alert.organisation,
        fields=["status", "owner"],
        detail="acknowledged",
    )
    job_enqueue(
        task=REMINDER_TASK,
        arguments={"alert_id": alert.pk},
        due_at=alert.close_reminder_at,
        idempotency_key=f"alert:{alert.public_id}:reminder:{alert.close_reminder_at.isoformat()}",
        organisation=alert.organisation,
    )
    _publish(alert, "acknowledged")
    return alert


REFERRAL_MISMATCH = gettext_lazy(
    "The outcome says a safeguarding referral was made: choose “A safeguarding referral was "
    "made” here, or change the outcome."
)


def refers_but_says_not(outcome: str, referral_decision: str) -> bool:
    """A closing whose outcome is a referral but whose decision says there was none."""
    return (
        outcome == AlertOutcome.SAFEGUARDING_REFERRAL
        and referral_decision != ReferralDecision.REFERRED
    )


@transaction.atomic
def alert_close(
    *, actor: User, alert: Alert, outcome: str, referral_decision: str, reasons: str
) -> Alert:
    """Close it with its outcome, the safeguarding referral decision and the reasons
    (including a decision not to refer: Working Together 2023). Closing an alert nobody had
    acknowledged acknowledges it too."""
    _require_handler(actor, alert)
    if outcome not in AlertOutcome.values:
        raise AlertError(_("Choose what the outcome was."))
    if referral_decision not in ReferralDecision.values:
        raise AlertError(_("Choose whether a safeguarding referral was made."))
    if not reasons.strip():
        raise AlertError(_("Write down what was decided and why."))
    if refers_but_says_not(outcome, referral_decision):
        raise AlertError(str(REFERRAL_MISMATCH))
    alert = _lock(alert)
    if alert.status == AlertStatus.CLOSED:
        raise AlertError(_("This alert is already closed."))
    if FollowUp.objects.filter(alert=alert, done_at__isnull=True).exists():
        raise AlertError(
            _(
                "It has a follow-up still to do. Mark it done first, or keep the alert open "
                "until it is: a closed alert reminds nobody."
            )
        )
    now = clock.now()
    if alert.status == AlertStatus.OPEN:
        alert.acknowledged_at = now
        alert.owner = actor
        _log(alert, ActionKind.ACKNOWLEDGED, actor=actor)
    alert.status = AlertStatus.CLOSED
    alert.closed_at = now
    alert.outcome = outcome
    alert.referral_decision = referral_decision
    alert.next_step_at = None
    alert.close_reminder_at = None
    alert.escalation_token = uuid.uuid4()
    alert.save()
    _stop_paging(actor, alert)
    _log(alert, ActionKind.CLOSED, actor=actor, text=reasons.strip(), decision=referral_decision)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=alert,
        organisation=alert.organisation,
        fields=["status", "outcome", "referral_decision"],
        detail="closed",
    )
    supporter = _supporter_involved(alert)
    if supporter is not None:
        _log(
            alert,
            ActionKind.DEBRIEF,
            actor=WORKER,
            text="A debrief is due in her next supervision.",
            recipients=[supporter],
        )
        alert_debrief_due(alert=alert, supporter=supporter)
    _publish(alert, "closed")
    return alert


def _supporter_involved(alert: Alert) -> User | None:
    from peerpath.accounts.access import roles_in
    from peerpath.accounts.choices import Role

    raiser = alert.raised_by
    if raiser is None or raiser.pk == alert.member_id:
        return None
    return raiser if Role.PEER_SUPPORTER in roles_in(raiser, alert.organisation_id) else None


@transaction.atomic
def alert_hand_over(*, actor: User, alert: Alert, to: User, note: str = "") -> Alert:
    """Give an acknowledged alert to a colleague who also handles alerts; she is told."""
    from peerpath.safeguarding.access import can_handle_alerts

    _require_handler(actor, alert)
    if not can_handle_alerts(to, alert.organisation_id) or not to.is_active:
        raise AlertError(_("Choose someone who handles this organisation's alerts."))
    alert = _lock(alert)
    if alert.status == AlertStatus.CLOSED:
        raise AlertError(_("This alert is already closed."))
    if alert.status == AlertStatus.OPEN:
        raise AlertError(_("Acknowledge it first, then hand it over."))
    if alert.owner_id == to.pk:
        raise AlertError(_("It is already theirs."))
    alert.owner = to
    alert.save(update_fields=["owner", "updated_at"])
    _log(alert, ActionKind.HANDED_OVER, actor=actor, text=note.strip(), recipients=[to])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=alert,
        organisation=alert.organisation,
        fields=["owner"],
        detail="handed over",
    )
    notify(
        recipient=to,
        purpose=ALERT_HANDED_OVER,
        subject=alert,
        link=reverse("safeguarding:alert_detail", kwargs={"public_id": alert.public_id}),
        idempotency_key=f"alert:{alert.public_id}:handover:{to.pk}:{clock.now().isoformat()}",
        organisation=alert.organisation,
    )
    _publish(alert, "updated")
    return alert


LOGGABLE = (ActionKind.NOTE, ActionKind.CONTACT, ActionKind.MESSAGE)


@transaction.atomic
def alert_record_action(*, actor: User, alert: Alert, kind: str, text: str) -> AlertAction:
    """Add a note, a contact with her, or a message sent to her, to the alert's log. A contact
    or a message on an alert nobody has acknowledged acknowledges it: she is handling it, and
    nobody else is paged."""
    _require_handler(actor, alert)
    if kind not in LOGGABLE:
        raise AlertError(_("Choose what you are recording."))
    if not text.strip():
        raise AlertError(_("Write what happened."))
    if kind in {ActionKind.CONTACT, ActionKind.MESSAGE}:
        alert = alert_acknowledge(actor=actor, alert=alert)
    alert = _lock_open(alert)
    action = _log(alert, kind, actor=actor, text=text.strip()[:CONTEXT_MAX_LENGTH])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=alert,
        organisation=alert.organisation,
        fields=["actions"],
        detail=kind,
    )
    _publish(alert, "updated")
    return action


@transaction.atomic
def follow_up_add(
    *, actor: User, alert: Alert, owner: User, description: str, due_at: dt.datetime
) -> FollowUp:
    """A due item with an owner ("warm contact today"), due within the next 90 days; its
    owner is told when it falls due. Nothing is added to a closed alert."""
    from peerpath.safeguarding.access import can_handle_alerts

    _require_handler(actor, alert)
    if not can_handle_alerts(owner, alert.organisation_id) or not owner.is_active:
        raise AlertError(_("Choose someone who handles this organisation's alerts."))
    if not description.strip():
        raise AlertError(_("Say what needs doing."))
    now = clock.now()
    if due_at <= now:
        raise AlertError(_("Choose a time that has not passed yet."))
    if due_at > now + dt.timedelta(days=FOLLOW_UP_MAX_DAYS_AHEAD):
        raise AlertError(
            _("Choose a time in the next %(days)s days.") % {"days": FOLLOW_UP_MAX_DAYS_AHEAD}
        )
    alert = _lock_open(alert)
    follow_up = FollowUp.objects.create(
        alert=alert,
        owner=owner,
        description=description.strip()[:FOLLOW_UP_DESCRIPTION_MAX_LENGTH],
        due_at=due_at,
    )
    _log(
        alert,
        ActionKind.FOLLOW_UP,
        actor=actor,
        text=f"{follow_up.description} (due {timezone.localtime(due_at):%a %d %b %H:%M})",
        recipients=[owner],
    )
    audit_record(actor=actor, action=Action.CREATE, obj=follow_up, organisation=alert.organisation)
    job_enqueue(
        task=FOLLOW_UP_TASK,
        arguments={"follow_up_id": follow_up.pk},
        due_at=due_at,
        idempotency_key=f"follow-up:{follow_up.public_id}",
        organisation=alert.organisation,
    )
    _publish(alert, "updated")
    return follow_up


@transaction.atomic
def follow_up_done(*, actor: User, follow_up: FollowUp) -> FollowUp:
    """Mark it done, once: a second tap, or two people at once, changes nothing more. A
    follow-up of a closed alert stays as it was when the alert was closed."""
    _require_handler(actor, follow_up.alert)
    alert = _lock_open(follow_up.alert)
    now = clock.now()
    marked = FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(
        done_at=now, updated_at=now
    )
    follow_up.refresh_from_db(fields=["done_at", "updated_at"])
    if marked:
        _log(alert, ActionKind.FOLLOW_UP_DONE, actor=actor, text=follow_up.description)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=follow_up,
            organisation=alert.organisation,
            fields=["done_at"],
        )
        _publish(alert, "updated")
    return follow_up


def _remind_leads_instead(actor: Actor, alert: Alert, *, key: str, what: str) -> list[User]:
    """The person a reminder was for can no longer handle the organisation's alerts: the
    leads get it instead, and the alert's log says so."""
    leads = safeguarding_leads(alert.organisation_id)
    for lead in leads:
        notify(
            recipient=lead,
            purpose=ALERT_UNATTENDED,
            subject=alert,
            link=reverse("safeguarding:alert_detail", kwargs={"public_id": alert.public_id}),
            idempotency_key=f"{key}:lead:{lead.pk}",
            organisation=alert.organisation,
        )
    _log(
        alert,
        ActionKind.REMINDED,
        actor=actor,
        decision="safeguarding leads",
        text=f"{what} The person it was with can no longer handle alerts; the safeguarding "
        "leads were reminded instead.",
        recipients=leads,
    )
    logger.warning(
        "Alert %s: reminder for someone who no longer handles alerts went to the leads",
        alert.public_id,
    )
    if not leads:
        logger.error("Alert %s: nobody to remind; the organisation has no leads", alert.public_id)
    return leads


@transaction.atomic
def follow_up_remind(*, actor: Actor, follow_up_id: int) -> bool:
    """Tell its owner a follow-up is due; the leads, if she can no longer handle alerts. No
    reminder once it is done or its alert is closed."""
    follow_up = FollowUp.objects.select_related("owner").filter(pk=follow_up_id).first()
    if follow_up is None or follow_up.done_at is not None:
        return False
    alert = Alert.objects.select_for_update().filter(pk=follow_up.alert_id).first()
    if alert is None or alert.status == AlertStatus.CLOSED:
        return False
    key = f"follow-up:{follow_up.public_id}:due"
    if not _still_handles(follow_up.owner, alert.organisation_id):
        _remind_leads_instead(actor, alert, key=key, what="A follow-up fell due.")
        return True
    notify(
        recipient=follow_up.owner,
        purpose=FOLLOW_UP_DUE,
        subject=alert,
        link=reverse("safeguarding:alert_detail", kwargs={"public_id": alert.public_id}),
        idempotency_key=key,
        organisation=alert.organisation,
    )
    return True


@transaction.atomic
def alert_close_remind(*, actor: Actor, alert_id: int) -> bool:
    """Remind the owner of an acknowledged alert not closed in time; again after as long.
    If she can no longer handle the organisation's alerts, the leads are reminded instead."""
    alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
    now = clock.now()
    if (
        alert is None
        or alert.status != AlertStatus.ACKNOWLEDGED
        or alert.owner is None
        or alert.close_reminder_at is None
        or alert.close_reminder_at > now
    ):
        return False
    key = f"alert:{alert.public_id}:remind:{alert.close_reminder_at.isoformat()}"
    if _still_handles(alert.owner, alert.organisation_id):
        notify(
            recipient=alert.owner,
            purpose=CLOSE_REMINDER,
            subject=alert,
            link=reverse("safeguarding:alert_detail", kwargs={"public_id": alert.public_id}),
            idempotency_key=key,
            organisation=alert.organisation,
        )
        _log(alert, ActionKind.REMINDED, actor=actor, recipients=[alert.owner])
    else:
        _remind_leads_instead(actor, alert, key=key, what="It was not closed in time.")
    hours = alert.policy.get("close_within_hours") or 24
    alert.close_reminder_at = now + dt.timedelta(hours=hours)
    alert.save(update_fields=["close_reminder_at", "updated_at"])
    job_enqueue(
        task=REMINDER_TASK,
        arguments={"alert_id": alert.pk},
        due_at=alert.close_reminder_at,
        idempotency_key=f"alert:{alert.public_id}:reminder:{alert.close_reminder_at.isoformat()}",
        organisation=alert.organisation,
    )
    return True


def alerts_overdue(now: dt.datetime | None = None) -> QuerySet[Alert]:
    """Open alerts whose next escalation step is more than two minutes late: the worker is
    down or stuck. Reported on /healthz and to the leads."""
    moment = now or clock.now()
    return Alert.objects.filter(status=AlertStatus.OPEN, next_step_at__lt=moment - OVERDUE_AFTER)


@transaction.atomic
def alerts_report_overdue(*, actor: Actor) -> int:
    """The periodic audit: tell the leads, once per step, of every overdue escalation."""
    count = 0
    for alert in alerts_overdue().select_related("organisation"):
        count += 1
        logger.error(
            "Alert %s: escalation step %s overdue since %s",
            alert.public_id,
            alert.escalation_step,
            alert.next_step_at,
        )
        for lead in safeguarding_leads(alert.organisation_id):
            notify(
                recipient=lead,
                purpose=ROTA_GAP,
                subject=alert,
                link=acknowledge_path(alert),
                idempotency_key=f"alert:{alert.public_id}:overdue:{alert.escalation_step}:{lead.pk}",
                organisation=alert.organisation,
            )
        if not alert.actions.filter(
            kind=ActionKind.OVERDUE, decision=f"step {alert.escalation_step}"
        ).exists():
            _log(
                alert,
                ActionKind.OVERDUE,
                actor=actor,
                decision=f"step {alert.escalation_step}",
                text="The next escalation step is late; the leads were told.",
            )
    return count
