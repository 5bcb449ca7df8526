"""Crisis contacts: who to call when it cannot wait. Data an administrator edits, never code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import Organisation
from peerpath.core.models import BaseModel


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
