"""The tier each check-in risk answer raises: kept in the admin by the organisation's admins
and safeguarding leads, for their own organisation only, through the service."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.audit.models import Action, AuditEvent
from peerpath.checkins.models import RiskTier
from peerpath.checkins.risk import tier_for
from peerpath.checkins.tests.conftest import IN_HOURS, signed_in, text

pytestmark = pytest.mark.django_db
ADD = reverse("admin:checkins_risktier_add")


def test_the_safeguarding_lead_sets_a_tier_and_it_is_audited(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(duty.lead)
        assert client.get(ADD).status_code == 200
        response = client.post(
            ADD,
            {
                "organisation": duty.organisation.pk,
                "instrument": "epds",
                "answer_score": "1",
                "tier": "2",
            },
        )
    assert response.status_code == 302, text(response)
    row = RiskTier.objects.get()
    assert (row.instrument, row.answer_score, row.tier) == ("epds", 1, 2)
    assert tier_for(duty.organisation.pk, "epds", 1) == 2
    assert tier_for(duty.organisation.pk, "phq9", 1) == 1  # the default for the rest
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_id=str(row.public_id), actor=duty.lead
    ).exists()


def test_a_second_row_for_the_same_answer_is_refused_beside_the_field(duty):
    RiskTier.objects.create(
        organisation=duty.organisation, instrument="phq9", answer_score=2, tier=2
    )
    with time_machine.travel(IN_HOURS, tick=False):
        page = signed_in(duty.lead).post(
            ADD,
            {
                "organisation": duty.organisation.pk,
                "instrument": "phq9",
                "answer_score": "2",
                "tier": "3",
            },
        )
    assert page.status_code == 200
    assert "already exists" in text(page)
    assert RiskTier.objects.get().tier == 2


def test_another_charity_cannot_see_or_set_this_one_s_tiers(duty, other_organisation):
    RiskTier.objects.create(
        organisation=duty.organisation, instrument="phq9", answer_score=1, tier=2
    )
    outsider = make_person(other_organisation, Role.ORG_ADMIN, display_name="Outsider")
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(outsider)
        listing = text(client.get(reverse("admin:checkins_risktier_changelist")))
        assert "phq9" not in listing
        refused = client.post(
            ADD,
            {
                "organisation": duty.organisation.pk,
                "instrument": "phq9",
                "answer_score": "3",
                "tier": "1",
            },
        )
    assert refused.status_code == 200  # the organisation is not one she may choose
    assert RiskTier.objects.count() == 1
