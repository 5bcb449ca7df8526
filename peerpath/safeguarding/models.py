"""Safeguarding: crisis contacts, response tiers, staffed hours, the duty rota and alerts.

Crisis contacts, tiers and staffed hours are data an organisation edits, never code."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import Organisation
from peerpath.core.fields import EncryptedJSONField, EncryptedTextField
from peerpath.core.models import BaseModel, Sensitive

if TYPE_CHECKING:
    from collections.abc import Iterable


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency: danger right now")
    URGENT = "urgent", _("Urgent: talk to someone today")
    SUPPORT = "support", _("Support: someone to listen")


class Nation(models.TextChoices):
    UK = "uk", _("Whole UK")
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")
    SCOTLAND = "scotland", _("Scotland")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")


class CrisisContact(BaseModel):
    """One way to get help now, shown on the "Get help now" page of its organisation.

    Every contact carries when it was last checked. Seeded contacts start unverified: an
    administrator must ring or read the source and record the check (hazard H1).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="crisis_contacts"
    )
    urgency = models.CharField(max_length=12, choices=Urgency.choices)
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.UK)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("when to use it"), blank=True)
    phone = models.CharField(_("phone number as shown"), max_length=40, blank=True)
    text_number = models.CharField(_("text number"), max_length=20, blank=True)
    text_keyword = models.CharField(_("word to text"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    open_all_hours = models.BooleanField(
        _("answers 24 hours a day, every day"),
        default=False,
        help_text=_("Shown first when nobody at the charity is reading (outside staffed hours)."),
    )
    is_active = models.BooleanField(default=True)
    last_verified_on = models.DateField(_("last checked on"), null=True, blank=True)
    verification_note = models.CharField(_("how it was checked"), max_length=200, blank=True)

    class Meta:
        ordering = ("organisation", "position", "name")
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(phone="", text_number="", email=""),
                name="safeguarding_crisiscontact_has_a_way_to_reach",
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def phone_href(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""

    @property
    def text_href(self) -> str:
        if not self.text_number:
            return ""
        body = f"?body={self.text_keyword}" if self.text_keyword else ""
        return f"sms:{self.text_number}{body}"

    @property
    def needs_verification(self) -> bool:
        return self.last_verified_on is None


# Tiers and staffed hours: the organisation's own data, seeded from the clinical reference
# and edited by its safeguarding lead (docs/clinical-safety/hazard-log.md, H16 to H21).


class AlertTier(BaseModel):
    """One safeguarding response tier of an organisation, and how fast it escalates.

    ``escalate_after_minutes`` is how long each person paged has to acknowledge before the
    next is paged (the on-duty primary, then the backup, then the leads, again and again).
    None means nobody is paged: a tier-0 concern waits for the usual contact rhythm.
    ``tell_leads_at_once`` asks for the leads' review from the start (tiers 2 and 3 of the
    clinical reference: "immediate review by the safeguarding lead").
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="alert_tiers"
    )
    number = models.PositiveSmallIntegerField(_("tier"))
    name = models.CharField(_("name"), max_length=80)
    examples = models.TextField(_("examples"), blank=True)
    response = models.TextField(_("what happens"), blank=True)
    target = models.CharField(_("target"), max_length=120, blank=True)
    escalate_after_minutes = models.PositiveSmallIntegerField(
        _("minutes each person has to acknowledge"), null=True, blank=True
    )
    close_within_hours = models.PositiveSmallIntegerField(
        _("hours to close once acknowledged"), default=24
    )
    tell_leads_at_once = models.BooleanField(
        _("tell the safeguarding leads at once, to review it"),
        default=False,
        help_text=_(
            "In staffed hours the leads are told as soon as it is raised; the person on duty is "
            "paged as usual, and the leads are paged in their turn if nobody acknowledges."
        ),
    )

    class Meta:
        ordering = ("organisation", "number")
        constraints = (
            models.UniqueConstraint(
                fields=("organisation", "number"), name="safeguarding_tier_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__lte=3), name="safeguarding_tier_number_0_to_3"
            ),
            models.CheckConstraint(
                condition=models.Q(escalate_after_minutes__isnull=True)
                | models.Q(escalate_after_minutes__gte=1),
                name="safeguarding_tier_escalates_after_a_minute_or_more",
            ),
        )

    def __str__(self) -> str:
        return f"Tier {self.number}: {self.name}"


def default_staffed_days() -> list[int]:
    return [0, 1, 2, 3, 4, 5, 6]


SUNDAY = 6


def validate_days(value: Any) -> None:
    """A list of weekday numbers, 0 (Monday) to 6 (Sunday), at least one."""
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(day, int) and 0 <= day <= SUNDAY for day in value)
    ):
        raise ValidationError(
            _("List the days as numbers from 0 (Monday) to 6 (Sunday), for example [0, 1, 2].")
        )


class StaffedHours(BaseModel):
    """When someone reads alerts: published to members in plain words. Europe/London times.

    ``staffed_until`` at or before ``staffed_from`` runs past midnight into the next day.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="staffed_hours"
    )
    days = models.JSONField(  # 0 = Monday
        _("days"), default=default_staffed_days, validators=[validate_days]
    )
    staffed_from = models.TimeField(_("from"), default=dt.time(8, 0))
    staffed_until = models.TimeField(_("until"), default=dt.time(22, 0))

    class Meta:
        verbose_name_plural = "staffed hours"

    def __str__(self) -> str:
        return f"Staffed hours of {self.organisation}"

    def clean(self) -> None:
        if self.staffed_from == self.staffed_until:
            raise ValidationError({"staffed_until": _("The end must differ from the start.")})


class SafeguardingLead(Sensitive, BaseModel):
    """Someone the last step of every escalation pages, besides the organisation's named lead
    (``Organisation.safeguarding_lead``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="safeguarding_leads"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("organisation", "created_at")
        constraints = (
            models.UniqueConstraint(
                fields=("organisation", "person"), name="safeguarding_lead_once"
            ),
        )

    def __str__(self) -> str:
        return f"Safeguarding lead {self.public_id}"

    def clean(self) -> None:
        """A further lead is one of the organisation's own staff: being a lead lets her read
        its alerts, and nobody outside its staff may."""
        from peerpath.accounts.access import roles_in
        from peerpath.accounts.choices import STAFF_ROLES

        if not self.person_id or not self.organisation_id:
            return  # the missing field has its own message
        if not roles_in(self.person, self.organisation_id) & STAFF_ROLES:
            raise ValidationError(
                {
                    "person": _(
                        "Choose someone on this organisation's staff. %(name)s has no staff "
                        "role here."
                    )
                    % {"name": self.person}
                }
            )


# The duty rota ------------------------------------------------------------------------------


class DutyPosition(models.TextChoices):
    PRIMARY = "primary", _("On duty")
    BACKUP = "backup", _("Backup")


class RotaSlot(BaseModel):
    """A weekly repeating shift (e.g. weekdays 08:00 to 22:00, primary), taken in turn.

    Its ``turns`` take it one after another, ``weeks_each`` weeks at a time, counted from the
    week of ``rotation_starts_on``. Times are Europe/London wall-clock times; a shift whose end
    is at or before its start runs past midnight and belongs to the day it starts.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="rota_slots"
    )
    position = models.CharField(max_length=10, choices=DutyPosition.choices)
    days = models.JSONField(  # 0 = Monday
        _("days"), default=default_staffed_days, validators=[validate_days]
    )
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    rotation_starts_on = models.DateField(_("rotation starts in the week of"))
    weeks_each = models.PositiveSmallIntegerField(_("weeks each"), default=1)

    class Meta:
        ordering = ("organisation", "position", "starts_at")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(weeks_each__gte=1), name="safeguarding_slot_weeks_each"
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class RotaTurn(Sensitive, BaseModel):
    """One person's place in a rota slot's rotation."""

    slot = models.ForeignKey(RotaSlot, on_delete=models.CASCADE, related_name="turns")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("slot", "order", "pk")

    def __str__(self) -> str:
        return f"Turn {self.order} of slot {self.slot_id}"


class RotaOverride(Sensitive, BaseModel):
    """A one-off change: someone else covers a stretch of time (a swap is two of these), or
    nobody does (``person`` empty: a known gap, which escalation skips straight past)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="rota_overrides"
    )
    position = models.CharField(max_length=10, choices=DutyPosition.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ("organisation", "starts_at")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="safeguarding_override_ends_after_start",
            ),
        )

    def __str__(self) -> str:
        return f"Override {self.public_id}"


class DutyFeed(Sensitive, BaseModel):
    """A person's private calendar address for her own shifts. Only the token's hash is kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Duty feed {self.public_id}"


# Alerts ---------------------------------------------------------------------------------------


class AlertSource(models.TextChoices):
    CHECK_IN = "check_in", _("Check-in answer")
    ROOM_MESSAGE = "room_message", _("Room message")
    CONTACT_LOG = "contact_log", _("After a contact with her")
    MEMBER_REQUEST = "member_request", _("She asked for contact")
    STAFF = "staff", _("Raised by staff")


# The ways she can ask to be contacted (``Alert.contact_preference["how"]``).
CONTACT_WAYS = (
    ("phone", _("A phone call")),
    ("text", _("A text message")),
    ("in_app", _("A message here in PeerPath")),
    ("email", _("An email")),
)


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class AlertOutcome(models.TextChoices):
    SUPPORTED = "supported", _("Supported; peer support continues")
    SIGNPOSTED = "signposted", _("Signposted to NHS or other services")
    REFERRED_HEALTH = "referred_health", _("Referred to her GP, midwife or perinatal team")
    SAFEGUARDING_REFERRAL = (
        "safeguarding_referral",
        _("Safeguarding referral made (children's or adult social care)"),
    )
    EMERGENCY = "emergency", _("Emergency services called")
    NOT_REACHED = "not_reached", _("Could not reach her after trying")
    NO_CONCERN = "no_concern", _("No concern on review")


class ReferralDecision(models.TextChoices):
    REFERRED = "referred", _("A safeguarding referral was made")
    NOT_REFERRED = "not_referred", _("Decided not to make a safeguarding referral")
    NOT_NEEDED = "not_needed", _("No safeguarding question arose")


class Alert(Sensitive, BaseModel):
    """A risk that must reach a person, and its escalation until someone acts.

    Escalation is kept on the row: ``next_step_at`` is when the next page is due,
    ``escalation_step`` which one it is (0 the on-duty primary, 1 the backup, 2 and on the
    leads) and ``escalation_token`` a value each step replaces with a compare-and-set, so a
    step runs once however often its job is tried. ``policy`` is frozen when it is raised.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tier = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=20, choices=AlertSource.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_by_label = models.CharField(max_length=60, blank=True)  # a system actor's name
    context = EncryptedTextField(blank=True, default="")  # only what is needed to act
    # How she asked to be reached ({"how", "when", "voicemail"}): "when" is her own words.
    contact_preference = EncryptedJSONField(default=dict, blank=True)
    status = models.CharField(max_length=15, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_out_of_hours = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=25, choices=AlertOutcome.choices, blank=True)
    referral_decision = models.CharField(
        max_length=15, choices=ReferralDecision.choices, blank=True
    )
    policy = models.JSONField(default=dict)
    escalation_step = models.PositiveSmallIntegerField(default=0)
    escalation_token = models.UUIDField(default=uuid.uuid4)
    next_step_at = models.DateTimeField(null=True, blank=True)
    close_reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-tier", "created_at")
        indexes = (
            models.Index(fields=("organisation", "status"), name="sg_alert_org_status"),
            models.Index(fields=("status", "next_step_at"), name="sg_alert_next_step"),
        )
        constraints = (
            models.CheckConstraint(
                condition=models.Q(tier__lte=3), name="safeguarding_alert_tier_0_to_3"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                name="safeguarding_alert_closed_has_outcome",
            ),
        )

    def __str__(self) -> str:
        # No name or content: this text reaches logs and the admin's history.
        return f"Tier {self.tier} alert {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status == AlertStatus.OPEN


class ActionKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    PAGED = "paged", _("Paged")
    LEADS_TOLD = "leads_told", _("Safeguarding leads told, to review")
    ROTA_GAP = "rota_gap", _("Nobody on the rota")
    WAITING = "waiting", _("Waiting for staffed hours")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    NOTE = "note", _("Note")
    CONTACT = "contact", _("Contact with her")
    MESSAGE = "message", _("Message sent to her")
    HANDED_OVER = "handed_over", _("Handed over")
    FOLLOW_UP = "follow_up", _("Follow-up set")
    FOLLOW_UP_DONE = "follow_up_done", _("Follow-up done")
    DEBRIEF = "debrief", _("Debrief due")
    OVERDUE = "overdue", _("Escalation overdue")
    REMINDED = "reminded", _("Owner reminded")
    ASKED_AGAIN = "asked_again", _("She asked again")
    CLOSED = "closed", _("Closed")


APPEND_ONLY = "An alert's log is append-only."


class AlertActionQuerySet(models.QuerySet["AlertAction"]):
    """Rows of an alert's log can be added and read, never changed or deleted in bulk."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise ValueError(APPEND_ONLY)

    def delete(self) -> NoReturn:
        raise ValueError(APPEND_ONLY)

    def bulk_update(
        self, objs: Iterable[AlertAction], fields: Iterable[str], batch_size: int | None = None
    ) -> NoReturn:
        raise ValueError(APPEND_ONLY)


class AlertAction(Sensitive, models.Model):
    """One step in an alert's log: who, when, what, the decision and its reasons.

    Append-only: rows are only ever added (``AlertAction.objects.create`` in services), never
    changed or deleted; the model refuses a second save, and its querysets refuse ``update``,
    ``delete`` and ``bulk_update``.
    """

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=60, blank=True)
    text = EncryptedTextField(blank=True, default="")  # what was done, the reasons
    decision = models.CharField(max_length=30, blank=True)
    recipients = models.JSONField(default=list, blank=True)  # public ids of people paged
    created_at = models.DateTimeField()

    objects = AlertActionQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "pk")
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.kind} on alert {self.alert_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(APPEND_ONLY)


class FollowUp(Sensitive, BaseModel):
    """Something someone must do by a time ("warm contact today")."""

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="follow_ups")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    description = EncryptedTextField(_("what needs doing"))  # at most 200 characters
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("done_at", "due_at")

    def __str__(self) -> str:
        return f"Follow-up {self.public_id}"
