"""The evaluation's numbers: by tier and source, time to acknowledge, escalations and the share
raised outside staffed hours."""

from __future__ import annotations

import datetime as dt
import html
import re

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.core.actors import OPERATOR
from peerpath.safeguarding.models import AlertSource
from peerpath.safeguarding.numbers import alert_numbers, percentile
from peerpath.safeguarding.services import (
    alert_acknowledge,
    alert_raise,
    alert_tiers_seed_defaults,
)
from peerpath.safeguarding.tests.conftest import IN_HOURS, london, run_worker

MINUTE = dt.timedelta(minutes=1)
LATE = london(2027, 3, 2, 23, 30)
NEXT_MORNING = london(2027, 3, 3, 8, 10)
LATER = london(2027, 3, 3, 12, 0)


def _raise(duty, *, tier, source, organisation=None, member=None):
    return alert_raise(
        actor=member or duty.supporter,
        organisation=organisation or duty.organisation,
        source=source,
        tier=tier,
        member=member or duty.member,
        context="What she said.",
    )


def _history(duty, other_organisation):
    """Four alerts in Harbour's last 90 days, one older, and one at another charity."""
    with time_machine.travel(IN_HOURS - dt.timedelta(days=100), tick=False):
        _raise(duty, tier=3, source=AlertSource.STAFF)
    with time_machine.travel(IN_HOURS, tick=False) as clock:
        quick = _raise(duty, tier=2, source=AlertSource.CONTACT_LOG)
        clock.move_to(IN_HOURS + 3 * MINUTE)
        alert_acknowledge(actor=duty.primary, alert=quick)
        clock.move_to(IN_HOURS + 10 * MINUTE)
        slow = _raise(duty, tier=1, source=AlertSource.MEMBER_REQUEST)
        clock.move_to(IN_HOURS + 40 * MINUTE)
        run_worker()  # tier 1 waits 30 minutes, then pages the backup
        alert_acknowledge(actor=duty.backup, alert=slow)
        _raise(duty, tier=0, source=AlertSource.STAFF)  # nobody acknowledges it
        elsewhere = make_person(other_organisation, Role.MEMBER)
        alert_tiers_seed_defaults(organisation=other_organisation, actor=OPERATOR)
        _raise(
            duty,
            tier=2,
            source=AlertSource.CHECK_IN,
            organisation=other_organisation,
            member=elsewhere,
        )
    with time_machine.travel(LATE, tick=False) as clock:
        night = _raise(duty, tier=2, source=AlertSource.MEMBER_REQUEST)
        clock.move_to(NEXT_MORNING)
        run_worker()  # the first person on duty is paged at 8am
        alert_acknowledge(actor=duty.primary, alert=night)


def test_numbers_count_by_tier_and_source_and_time_acknowledging_in_and_out_of_hours(
    duty, other_organisation
):
    _history(duty, other_organisation)
    numbers = alert_numbers(duty.organisation.pk, start=LATER - dt.timedelta(days=90), end=LATER)
    assert numbers.total == 4
    assert [(c.label, c.count) for c in numbers.by_tier] == [
        ("Tier 3", 0),
        ("Tier 2", 2),
        ("Tier 1", 1),
        ("Tier 0", 1),
    ]
    assert {c.label: c.count for c in numbers.by_source} == {
        "Check-in answer": 0,
        "Room message": 0,
        "After a contact with her": 1,
        "She asked for contact": 2,
        "Raised by staff": 1,
    }
    # Acknowledged after 3 minutes, 30 minutes and 8 hours 40 minutes (overnight).
    assert numbers.acknowledged == 3
    assert numbers.acknowledge_p50 == 30 * MINUTE
    assert numbers.acknowledge_p90 == NEXT_MORNING - LATE
    assert numbers.in_hours_acknowledge_p50 == 3 * MINUTE
    assert numbers.in_hours_acknowledge_p90 == 30 * MINUTE
    assert (numbers.escalated, numbers.escalated_percent) == (1, 25)
    assert (numbers.out_of_hours, numbers.out_of_hours_percent) == (1, 25)

    year = alert_numbers(duty.organisation.pk, start=LATER - dt.timedelta(days=365), end=LATER)
    assert (year.total, year.by_tier[0].count) == (5, 1)


def test_percentiles_are_times_an_alert_really_took():
    times = [dt.timedelta(minutes=m) for m in (9, 1, 5, 3, 7)]
    assert percentile(times, 0.5) == dt.timedelta(minutes=5)
    assert percentile(times, 0.9) == dt.timedelta(minutes=9)
    assert percentile(times[:1], 0.9) == dt.timedelta(minutes=9)
    assert percentile([], 0.5) is None


def _text(response):
    """The page's words, tags dropped."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words))


def test_the_numbers_page_shows_the_period_chosen_and_names_nobody(duty, other_organisation):
    _history(duty, other_organisation)
    url = reverse("safeguarding:alerts_numbers", kwargs={"slug": duty.organisation.slug})
    with time_machine.travel(LATER, tick=False):
        client = Client()
        client.force_login(duty.primary)
        dashboard = _text(
            client.get(
                reverse("safeguarding:alerts_dashboard", kwargs={"slug": duty.organisation.slug})
            )
        )
        assert "Alert numbers for the evaluation" in dashboard
        page = _text(client.get(url))
        with CaptureQueriesContext(connection) as captured:
            year = _text(client.get(url, {"days": "365"}))
        queries = len(captured)
        bad = _text(client.get(url, {"days": "7000"}))
    assert "Alerts raised 4" in page
    assert "half of them within 30 minutes" in page
    assert "9 in 10 within 8 hours" in page
    assert "Raised outside staffed hours 1 (25%)" in page
    assert "Alerts raised 5" in year
    assert str(duty.member) not in page
    assert "What she said" not in page
    assert "Choose one of the periods in the list." in bad
    assert "Alerts raised 4" in bad  # the usual 90 days, with the message beside the list
    assert queries <= 9
