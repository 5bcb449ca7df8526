"""One-to-one support: her request for a peer supporter, the coordinator's proposal, the
supporter's answer, and the match that follows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import Membership, Organisation, User
from peerpath.buddying.choices import (
    DeclineReason,
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


class Proposal(Sensitive, BaseModel):
    """A coordinator asks a peer supporter to support her; the supporter says yes or no."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="proposals")
    supporter = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="proposals")
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.WAITING
    )
    # The reasons the coordinator saw when she chose, kept as she saw them.
    reasons = models.JSONField(default=list)
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
