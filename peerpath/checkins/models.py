"""Her check-ins: answers to a validated measure, her sharing of results, and her reminders.

Answers are health data: kept only after her explicit consent, the answers themselves
encrypted. The total, band and risk flag are kept beside them in the clear so her trend is
drawn without decrypting every answer; they say no more than the trend page shows her.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import Membership, Organisation
from peerpath.core.fields import EncryptedJSONField
from peerpath.core.models import BaseModel, Sensitive


class CheckInStatus(models.TextChoices):
    DRAFT = "draft", _("Not finished")
    DONE = "done", _("Finished")


class CheckIn(Sensitive, BaseModel):
    """One go at one measure. ``answers`` maps item number (a string) to the chosen option's
    position in printed order; scoring turns positions into scores."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="checkins")
    instrument = models.CharField(max_length=20)
    version = models.CharField(max_length=10)
    status = models.CharField(
        max_length=10, choices=CheckInStatus.choices, default=CheckInStatus.DRAFT
    )
    answers = EncryptedJSONField(default=dict)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)  # her local date
    total = models.IntegerField(null=True, blank=True)
    band = models.CharField(max_length=30, blank=True)
    positive = models.BooleanField(default=False)
    risk = models.BooleanField(default=False)
    alert = models.ForeignKey(
        "safeguarding.Alert", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = (
            models.Index(
                fields=("membership", "instrument", "status", "completed_at"),
                name="checkins_trend",
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("membership", "instrument"),
                condition=models.Q(status="draft"),
                name="checkins_one_draft_per_measure",
            ),
        )

    def __str__(self) -> str:
        return f"Check-in {self.public_id}"


class Share(Sensitive, BaseModel):
    """She shows her results for some measures to one person of her organisation, until she
    stops. Every look is an audit row she can see."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="shares")
    viewer = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="shared_with")
    instruments = models.JSONField(default=list)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=("membership", "viewer"),
                condition=models.Q(stopped_at__isnull=True),
                name="checkins_one_live_share_per_viewer",
            ),
        )

    def __str__(self) -> str:
        return f"Share {self.public_id}"


class ReminderRhythm(models.IntegerChoices):
    WEEKLY = 7, _("Every week")
    FORTNIGHTLY = 14, _("Every 2 weeks")
    FOUR_WEEKLY = 28, _("Every 4 weeks")


class Reminder(Sensitive, BaseModel):
    """Her reminder to check in, on the rhythm she chose, at a time of day she chose."""

    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, related_name="checkin_reminder"
    )
    every_days = models.PositiveSmallIntegerField(choices=ReminderRhythm.choices)
    at_hour = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    next_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Check-in reminder {self.public_id}"


class RiskTier(BaseModel):
    """The organisation's choice of alert tier for a risk answer's score (EPDS item 10,
    PHQ-9 item 9). Without a row the default in ``peerpath.checkins.risk`` applies."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="checkin_risk_tiers"
    )
    instrument = models.CharField(max_length=20)
    answer_score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    tier = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])

    class Meta:
        ordering = ("organisation", "instrument", "answer_score")
        constraints = (
            models.UniqueConstraint(
                fields=("organisation", "instrument", "answer_score"),
                name="checkins_one_tier_per_answer",
            ),
        )

    def __str__(self) -> str:
        return f"{self.instrument} answer {self.answer_score}: tier {self.tier}"
