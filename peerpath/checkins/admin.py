"""Each organisation's admins and safeguarding leads choose the alert tier for each risk
answer's score (EPDS item 10, PHQ-9 item 9). Without a row the default applies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from peerpath.accounts.admin import ServiceAdmin
from peerpath.accounts.admin_site import admin_site
from peerpath.accounts.models import User
from peerpath.checkins.models import RiskTier
from peerpath.checkins.services import risk_tier_delete, risk_tier_save
from peerpath.safeguarding.admin import rota_organisation_ids

RISK_MEASURES = (
    (
        "phq9",
        "PHQ-9, question 9 (thoughts that you would be better off dead or of hurting yourself)",
    ),
    ("epds", "EPDS, question 10 (thoughts of harming yourself)"),
)
DEFAULTS_WORDS = (
    "Without a row here: an answer scoring 1 raises tier 1, and 2 or 3 raise tier 2 (the "
    "safeguarding lead reviews at once). PHQ-9 scores: 1 several days, 2 more than half the "
    "days, 3 nearly every day. EPDS scores follow the printed answers, from 0 (never) to 3. "
    "Agree any change with your safeguarding lead: a lower tier waits longer for a person."
)


class RiskTierForm(forms.ModelForm):  # type: ignore[type-arg]
    instrument = forms.ChoiceField(choices=RISK_MEASURES, label="Check-in question")
    answer_score = forms.TypedChoiceField(
        coerce=int,
        choices=[(1, "1"), (2, "2"), (3, "3")],
        label="Answer scoring",
        help_text=DEFAULTS_WORDS,
    )
    tier = forms.TypedChoiceField(
        coerce=int, choices=[(1, "Tier 1"), (2, "Tier 2"), (3, "Tier 3")], label="Alert tier"
    )

    class Meta:
        model = RiskTier
        fields = ("organisation", "instrument", "answer_score", "tier")


@admin.register(RiskTier, site=admin_site)
class RiskTierAdmin(ServiceAdmin):
    form = RiskTierForm
    may_add = True
    may_change = True
    may_delete = True
    list_display = ("instrument", "answer_score", "tier", "organisation")
    list_select_related = ("organisation",)

    def organisation_ids(self, request: HttpRequest) -> list[int]:
        return rota_organisation_ids(request.user)

    def save_with_service(self, *, actor: User, obj: Any, changed: list[str], adding: bool) -> None:
        risk_tier_save(actor=actor, obj=obj, changed=changed)

    def delete_with_service(self, *, actor: User, obj: Any) -> None:
        risk_tier_delete(actor=actor, obj=obj)
