"""Readiness is worked out from her records on the day asked about, in a fixed number of
queries however many supporters."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from conftest import make_person, membership_of
from peerpath.accounts.choices import Role
from peerpath.accounts.services import organisation_update, supporter_profile_update
from peerpath.core.actors import OPERATOR
from peerpath.supervision.models import CheckOutcome, SupervisionPolicy, TrainingCompletion
from peerpath.supervision.readiness import Readiness, caseload_limits, readiness_of
from peerpath.supervision.services import (
    SupervisionError,
    background_check_record,
    supervision_policy_save,
    supervision_session_record,
    training_completion_record,
    training_module_save,
)
from peerpath.supervision.tests.conftest import NOW, TODAY, make_ready, module

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _ready(place, today=TODAY) -> Readiness:
    return readiness_of([place], today=today)[place.pk]


def test_a_supporter_with_every_record_in_date_is_ready(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        assert _ready(team.hazel) == Readiness(ready=True, missing=())


def test_a_supporter_with_nothing_recorded_is_told_everything_missing_in_plain_sentences(team):
    with time_machine.travel(NOW, tick=False):
        assert _ready(team.rowan) == Readiness(
            ready=False,
            missing=(
                "Peer support foundation course not completed",
                "Safeguarding training not completed",
                "No background check recorded",
                "No supervision recorded yet",
            ),
        )


def test_training_that_expires_today_no_longer_counts_but_tomorrow_it_still_does(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        # Completed a year ago today: 12 months later is today, the first day it does not count.
        training_completion_record(
            actor=team.coordinator,
            supporter=team.rowan,
            module=team.safeguarding,
            completed_on=dt.date(2026, 3, 2),
        )
        for completion in TrainingCompletion.objects.filter(supporter=team.rowan):
            assert completion.expires_on == dt.date(2027, 3, 2)
        _ready_apart_from_safeguarding(team, team.rowan)
        assert _ready(team.rowan).missing == ("Safeguarding training expired on 2 March 2027",)
        # The day before, it still counted.
        assert _ready(team.rowan, today=TODAY - DAY).ready


def test_the_example_sentence_reads_as_a_coordinator_would_say_it(team):
    with time_machine.travel(NOW, tick=False):
        _ready_apart_from_safeguarding(team, team.rowan)
        training_completion_record(
            actor=team.coordinator,
            supporter=team.rowan,
            module=team.safeguarding,
            completed_on=dt.date(2026, 3, 3),
        )
        assert _ready(team.rowan).ready  # expires tomorrow, 3 March 2027
        assert _ready(team.rowan, today=dt.date(2027, 3, 3)).missing == (
            "Safeguarding training expired on 3 March 2027",
        )
        assert _ready(team.rowan, today=dt.date(2027, 3, 27)).missing == (
            "Safeguarding training expired on 3 March 2027",
            "Last supervision was 23 February 2027; it is due every 31 days",
        )


def _ready_apart_from_safeguarding(team, place):
    training_completion_record(
        actor=team.coordinator,
        supporter=place,
        module=team.foundation,
        completed_on=dt.date(2020, 1, 1),  # never expires
    )
    background_check_record(
        actor=team.coordinator,
        supporter=place,
        kind="Enhanced DBS",
        checked_on=dt.date(2026, 12, 1),
        outcome=CheckOutcome.CLEAR,
        renew_by=None,
    )
    supervision_session_record(
        actor=team.coordinator,
        supporter=place,
        supervisor=team.coordinator,
        held_on=dt.date(2027, 2, 23),
        notes="",
        agreed_actions="",
        is_debrief=False,
    )


def test_a_newer_completion_counts_and_training_not_required_or_not_in_use_does_not(team):
    with time_machine.travel(NOW, tick=False):
        _ready_apart_from_safeguarding(team, team.rowan)
        for completed_on in (dt.date(2025, 1, 10), dt.date(2026, 6, 1)):
            training_completion_record(
                actor=team.coordinator,
                supporter=team.rowan,
                module=team.safeguarding,
                completed_on=completed_on,
            )
        assert _ready(team.rowan).ready
        module(team.organisation, "Breastfeeding basics", months=24, required_for_matching=False)
        retired = module(team.organisation, "Old induction", months=None)
        assert _ready(team.rowan).missing == ("Old induction not completed",)
        retired.in_use = False
        training_module_save(actor=team.admin, obj=retired, changed=["in_use"])
        assert _ready(team.rowan).ready


def test_changing_how_long_a_module_lasts_works_every_completion_out_again(team):
    with time_machine.travel(NOW, tick=False):
        _ready_apart_from_safeguarding(team, team.rowan)
        foundation = team.foundation
        assert TrainingCompletion.objects.get(module=foundation).expires_on is None
        foundation.valid_for_months = 24
        training_module_save(actor=team.admin, obj=foundation, changed=["valid_for_months"])
        assert TrainingCompletion.objects.get(module=foundation).expires_on == dt.date(2022, 1, 1)
        assert "Peer support foundation course expired on 1 January 2022" in (
            _ready(team.rowan).missing
        )


def test_a_background_check_counts_up_to_and_including_its_renew_by_date(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        background_check_record(
            actor=team.coordinator,
            supporter=team.hazel,
            kind="Enhanced DBS",
            checked_on=dt.date(2024, 3, 2),
            outcome=CheckOutcome.CLEAR,
            renew_by=TODAY,
        )
        # The newest check decides: the one from 60 days ago has no renew-by date.
        assert _ready(team.hazel).ready
        background_check_record(
            actor=team.coordinator,
            supporter=team.rowan,
            kind="Enhanced DBS",
            checked_on=dt.date(2024, 3, 2),
            outcome=CheckOutcome.CLEAR,
            renew_by=TODAY,
        )
        assert "No background check recorded" not in _ready(team.rowan).missing
        assert "Background check (Enhanced DBS) was due to be renewed by 2 March 2027" in (
            _ready(team.rowan, today=TODAY + DAY).missing
        )


def test_the_newest_background_check_decides_even_when_an_older_one_was_clear(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        background_check_record(
            actor=team.coordinator,
            supporter=team.hazel,
            kind="Enhanced DBS",
            checked_on=TODAY - DAY,
            outcome=CheckOutcome.NOT_CLEAR,
            renew_by=None,
        )
        assert _ready(team.hazel).missing == (
            "The latest background check (Enhanced DBS, 1 March 2027) was not clear",
        )


def test_supervision_keeps_her_ready_to_the_last_day_of_the_interval_and_not_a_day_more(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)  # supervision on 23 February 2027
        last_day = dt.date(2027, 2, 23) + dt.timedelta(days=31)
        assert _ready(team.hazel, today=last_day).ready
        assert _ready(team.hazel, today=last_day + DAY).missing == (
            "Last supervision was 23 February 2027; it is due every 31 days",
        )
        # The organisation's own interval.
        supervision_policy_save(
            actor=team.admin,
            obj=SupervisionPolicy(organisation=team.organisation, interval_days=14),
            changed=["interval_days"],
        )
        assert _ready(team.hazel, today=dt.date(2027, 3, 9)).ready
        assert not _ready(team.hazel, today=dt.date(2027, 3, 10)).ready


def test_readiness_asks_about_today_in_london_by_default(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
    # 38 days after the supervision: it has lapsed.
    with time_machine.travel(NOW + dt.timedelta(days=31), tick=False):
        assert not readiness_of([team.hazel])[team.hazel.pk].ready


def test_readiness_of_many_supporters_costs_the_same_queries_as_one(
    team, other_organisation, django_assert_num_queries
):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        one = [team.hazel]
        with django_assert_num_queries(5):
            readiness_of(one)
        many = [team.hazel, team.rowan]
        for n in range(4):
            person = make_person(team.organisation, Role.PEER_SUPPORTER, display_name=f"S{n}")
            make_ready(team, membership_of(person, Role.PEER_SUPPORTER))
            many.append(membership_of(person, Role.PEER_SUPPORTER))
        elsewhere = make_person(other_organisation, Role.PEER_SUPPORTER)
        many.append(membership_of(elsewhere, Role.PEER_SUPPORTER))
        with django_assert_num_queries(5):
            found = readiness_of(many)
        assert len(found) == len(many)
        assert sum(1 for r in found.values() if r.ready) == 5
        with django_assert_num_queries(0):
            assert readiness_of([]) == {}


def test_the_caseload_limit_is_hers_when_set_else_the_organisations(
    team, django_assert_num_queries
):
    organisation_update(actor=OPERATOR, organisation=team.organisation, default_caseload=4)
    supporter_profile_update(actor=OPERATOR, profile=team.hazel.supporter_profile, capacity=2)
    supporter_profile_update(actor=OPERATOR, profile=team.rowan.supporter_profile, capacity=None)
    places = [team.hazel, team.rowan]
    with django_assert_num_queries(1):
        limits = caseload_limits(places)
    assert limits == {team.hazel.pk: 2, team.rowan.pk: 4}
    assert caseload_limits([]) == {}


def test_records_cannot_be_dated_in_the_future_or_for_someone_who_is_not_a_supporter(team):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(SupervisionError, match="future"):
            training_completion_record(
                actor=team.coordinator,
                supporter=team.hazel,
                module=team.safeguarding,
                completed_on=TODAY + DAY,
            )
        with pytest.raises(SupervisionError, match="peer supporter"):
            training_completion_record(
                actor=team.coordinator,
                supporter=membership_of(team.member, Role.MEMBER),
                module=team.safeguarding,
                completed_on=TODAY,
            )
        with pytest.raises(SupervisionError, match="Someone else"):
            supervision_session_record(
                actor=team.coordinator,
                supporter=team.hazel,
                supervisor=team.supporter,
                held_on=TODAY,
                notes="",
                agreed_actions="",
                is_debrief=False,
            )
