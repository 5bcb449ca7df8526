"""Training, background checks and supervision of peer supporters, and how they are doing.

Whether a peer supporter is ready to be matched is never stored: ``readiness.py`` works it out
from these records every time. The organisation chooses which training counts and how long it
lasts, and how often supervision is due; PeerPath invents no clinical figure.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import Membership, Organisation
from peerpath.core.fields import EncryptedTextField
from peerpath.core.models import BaseModel, Sensitive

DEFAULT_INTERVAL_DAYS = 31
MAX_INTERVAL_DAYS = 366
MAX_VALID_MONTHS = 120


class TrainingModule(BaseModel):
    """A piece of training the organisation asks of its peer supporters (its admins keep the
    list). Training that must be refreshed, such as safeguarding or data protection, lasts the
    number of months the organisation chooses; other training never expires."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="training_modules",
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("For example: Safeguarding training.")
    )
    description = models.TextField(_("description"), blank=True)
    required_for_matching = models.BooleanField(
        _("required before she is matched"),
        default=True,
        help_text=_("A peer supporter without it, or whose training has expired, is not ready."),
    )
    valid_for_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VALID_MONTHS)],
        help_text=_(
            "Leave empty if it never expires. Agree the period with your safeguarding lead."
        ),
    )
    in_use = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_(
            "A module no longer in use is not required and cannot be recorded; what was "
            "recorded stays."
        ),
    )

    class Meta:
        ordering = ("organisation", "name")
        constraints = (
            models.UniqueConstraint(
                fields=("organisation", "name"), name="supervision_one_module_per_name"
            ),
        )

    def __str__(self) -> str:
        return self.name


class TrainingCompletion(Sensitive, BaseModel):
    """She completed a module on a day. ``expires_on`` is worked out from the module (and
    worked out again when the module's period changes): the first day it no longer counts."""

    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="+")
    supporter = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("-completed_on", "-pk")
        indexes = (models.Index(fields=("supporter", "module"), name="supervision_training"),)

    def __str__(self) -> str:
        # No name here: the admin's history outlives erasure.
        return f"Training completion {self.public_id}"


class CheckOutcome(models.TextChoices):
    CLEAR = "clear", _("Clear")
    NOT_CLEAR = "not_clear", _("Not clear")


class BackgroundCheck(Sensitive, BaseModel):
    """A criminal record (or similar) check. The newest one decides whether she is ready."""

    supporter = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=80)
    checked_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=CheckOutcome.choices)
    renew_by = models.DateField(null=True, blank=True)
    reference = EncryptedTextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("-checked_on", "-created_at", "-pk")

    def __str__(self) -> str:
        return f"Background check {self.public_id}"


class SupervisionSession(Sensitive, BaseModel):
    """A supervision session held with her. The notes are the supervisor's and show on staff
    pages only; she sees the date and what was agreed."""

    supporter = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField()
    notes = EncryptedTextField(blank=True, default="")
    agreed_actions = EncryptedTextField(blank=True, default="")
    is_debrief = models.BooleanField(default=False)

    class Meta:
        ordering = ("-held_on", "-created_at", "-pk")
        indexes = (models.Index(fields=("supporter", "held_on"), name="supervision_last_session"),)

    def __str__(self) -> str:
        return f"Supervision session {self.public_id}"


class SupervisionPolicy(BaseModel):
    """How often each peer supporter of the organisation is supervised. Without a row, every
    ``DEFAULT_INTERVAL_DAYS`` days (no authoritative UK figure exists: the organisation
    decides)."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="supervision_policy",
    )
    interval_days = models.PositiveSmallIntegerField(
        _("supervision due every (days)"),
        default=DEFAULT_INTERVAL_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_DAYS)],
        help_text=_("For example 31 for monthly supervision."),
    )

    class Meta:
        ordering = ("organisation",)
        verbose_name_plural = "supervision policies"

    def __str__(self) -> str:
        return f"Supervision every {self.interval_days} days"


class DebriefDue(Sensitive, BaseModel):
    """An alert she raised was closed: a debrief is due in her supervision. A session marked
    as a debrief clears the oldest one. It does not stop her being matched."""

    supporter = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    alert = models.ForeignKey("safeguarding.Alert", on_delete=models.PROTECT, related_name="+")
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by_session = models.ForeignKey(
        SupervisionSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name_plural = "debriefs due"
        constraints = (
            models.UniqueConstraint(
                fields=("supporter", "alert"), name="supervision_one_debrief_per_alert"
            ),
        )

    def __str__(self) -> str:
        return f"Debrief due {self.public_id}"


class Feeling(models.TextChoices):
    GOOD = "good", _("Good")
    OKAY = "okay", _("Okay")
    STRUGGLING = "struggling", _("Struggling")


class WellbeingCheckIn(Sensitive, BaseModel):
    """Her own short answer to "How are you finding supporting right now?". Not a measure
    and not scored: "struggling", or asking to talk, shows on her coordinators' overview until
    one of them marks it followed up."""

    supporter = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    feeling = models.CharField(max_length=12, choices=Feeling.choices)
    note = EncryptedTextField(blank=True, default="")
    wants_to_talk = models.BooleanField(default=False)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"Wellbeing check-in {self.public_id}"

    @property
    def needs_a_word(self) -> bool:
        """Struggling, or asking to talk, and nobody has followed it up yet."""
        return self.followed_up_at is None and (
            self.feeling == Feeling.STRUGGLING or self.wants_to_talk
        )
