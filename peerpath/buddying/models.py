"""One-to-one support: a member matched with a peer supporter. Matching itself comes later."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import Membership, Organisation
from peerpath.core.models import BaseModel, Sensitive


class MatchStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Match(Sensitive, BaseModel):
    """While active, the peer supporter may see the member's profile and nothing else of hers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="matches")
    supporter = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="supporting")
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
