"""One-to-one support: her request for a peer supporter, the coordinator's proposal, the
supporter's answer, and the match that follows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import Membership, Organisation, User
from peerpath.buddying.choices import (
    DeclineReason,
    Mode,
    ProposalStatus,
    RequestSource,
    RequestStatus,
    Rhythm,
)
from peerpath.core.fields import EncryptedJSONField, EncryptedTextField
from peerpath.core.models import BaseModel, Sensitive


class MatchStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


# Service levels seen in UK peer-support charities (CLINICAL.md): matched within 5 working
# days, first contact within 48 hours of the match.
DEFAULT_MATCH_WITHIN_WORKING_DAYS = 5
DEFAULT_FIRST_CONTACT_WITHIN_HOURS = 48


class MatchingPolicy(BaseModel):
    """An organisation's service levels for one-to-one support."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="matching_policy"
    )
    match_within_working_days = models.PositiveSmallIntegerField(
        _("match within (working days)"), default=DEFAULT_MATCH_WITHIN_WORKING_DAYS
    )
    first_contact_within_hours = models.PositiveSmallIntegerField(
        _("first contact within (hours of the match)"), default=DEFAULT_FIRST_CONTACT_WITHIN_HOURS
    )

    class Meta:
        verbose_name_plural = "matching policies"

    def __str__(self) -> str:
        return f"Matching policy of {self.organisation}"


class SupportRequest(Sensitive, BaseModel):
    """What she asked for. Her words and the experiences she would like shared are health data:
    encrypted, and asked for only after her consent to the use of health data."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="requests")
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.WAITING
    )
    source = models.CharField(
        max_length=15, choices=RequestSource.choices, default=RequestSource.HERSELF
    )
    story = EncryptedTextField(_("what has been happening"), blank=True, default="")
    hopes = EncryptedTextField(_("what she hopes for"), blank=True, default="")
    experiences = EncryptedJSONField(_("experiences she would like shared"), default=list)
    modes = models.JSONField(_("ways of keeping in touch"), default=list)
    rhythm = models.CharField(_("how often"), max_length=12, choices=Rhythm.choices)
    availability = models.JSONField(_("when she is free"), default=dict, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    area = models.CharField(_("town or area"), max_length=100, blank=True)
    # A supporter she asked to move on from is never suggested again for this request.
    not_with = models.ManyToManyField(Membership, related_name="+", blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=("member",),
                condition=models.Q(status__in=("waiting", "proposed")),
                name="buddying_request_one_open_each",
            ),
        )

    def __str__(self) -> str:
        return f"Request {self.public_id}"


class Match(Sensitive, BaseModel):
    """While active, the peer supporter may see the member's profile and nothing else of hers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="matches")
    supporter = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="supporting")
    request = models.ForeignKey(
        SupportRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="matches"
    )
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default="active")
    ended_at = models.DateTimeField(null=True, blank=True)
    # What they agreed: how often and how (from her request until they change it together).
    rhythm = models.CharField(_("how often"), max_length=12, choices=Rhythm.choices, blank=True)
    modes = models.JSONField(_("ways of keeping in touch"), default=list, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    # A planned ending: the supporter's goodbye, shown to her with what comes next.
    goodbye = EncryptedTextField(_("goodbye message"), blank=True, default="")

    class Meta:
        ordering = ("-created_at",)
        verbose_name_plural = "matches"
        constraints = (
            models.UniqueConstraint(
                fields=("member", "supporter"),
                condition=models.Q(status="active"),
                name="buddying_match_one_active_pair",
            ),
        )

    def __str__(self) -> str:
        return f"Match {self.public_id}"


class Goal(Sensitive, BaseModel):
    """Something she wants to work towards, written together (F8)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="goals")
    words = EncryptedTextField(_("goal"))
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Goal {self.public_id}"


class Step(Sensitive, BaseModel):
    """A small planned step towards a goal ("go to the Tuesday group"), with an optional
    reminder to her at the time she chose."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    words = EncryptedTextField(_("step"))
    remind_at = models.DateTimeField(_("remind her at"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Step {self.public_id}"


class Contact(Sensitive, BaseModel):
    """One contact the supporter logged: when, how, how long, what they talked about (only
    she and the coordinators read it, never the member's own pages), follow-ups, and whether
    she was worried, which raises a safeguarding alert."""

    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="contacts")
    logged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    happened_on = models.DateField(_("date"))
    mode = models.CharField(_("how"), max_length=12, choices=Mode.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    talked_about = EncryptedTextField(_("what you talked about"), blank=True, default="")
    follow_ups = EncryptedTextField(_("follow-ups"), blank=True, default="")
    worried = models.BooleanField(_("worried about her safety"), default=False)
    alert = models.ForeignKey(
        "safeguarding.Alert", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-happened_on", "-created_at", "-pk")

    def __str__(self) -> str:
        return f"Contact {self.public_id}"


class Review(Sensitive, BaseModel):
    """The review at 6 or 12 weeks: how it is going, and whether to carry on."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="reviews")
    week = models.PositiveSmallIntegerField()
    held_on = models.DateField(_("date of the review"))
    notes = EncryptedTextField(_("how it is going"), blank=True, default="")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("week",)
        constraints = (
            models.UniqueConstraint(fields=("match", "week"), name="buddying_review_one_a_week"),
        )

    def __str__(self) -> str:
        return f"Review {self.public_id}"


class Helped(models.TextChoices):
    A_LOT = "a_lot", _("A lot")
    A_LITTLE = "a_little", _("A little")
    NOT_MUCH = "not_much", _("Not much")
    NOT_AT_ALL = "not_at_all", _("Not at all")


class Feedback(Sensitive, BaseModel):
    """Her word on the support she had, when it ends."""

    match = models.OneToOneField(Match, on_delete=models.CASCADE, related_name="feedback")
    helped = models.CharField(_("how much it helped"), max_length=12, choices=Helped.choices)
    words = EncryptedTextField(_("anything you would like to tell us"), blank=True, default="")

    def __str__(self) -> str:
        return f"Feedback {self.public_id}"


class SupporterInterest(Sensitive, BaseModel):
    """A member who was supported would like to become a peer supporter herself (F9)."""

    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    words = EncryptedTextField(_("anything she would like to say"), blank=True, default="")
    taken_at = models.DateTimeField(null=True, blank=True)
    taken_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Interest {self.public_id}"


class Proposal(Sensitive, BaseModel):
    """A coordinator asks a peer supporter to support her; the supporter says yes or no."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="proposals")
    supporter = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="proposals")
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.WAITING
    )
    # The reasons the coordinator saw when she chose, kept as she saw them. They name her
    # experiences, so they are encrypted like the request.
    reasons = EncryptedJSONField(default=list)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(
        max_length=12, choices=DeclineReason.choices, blank=True, default=""
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=("request",),
                condition=models.Q(status="waiting"),
                name="buddying_proposal_one_waiting_each",
            ),
        )

    def __str__(self) -> str:
        return f"Proposal {self.public_id}"
