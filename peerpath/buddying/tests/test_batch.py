"""Matches for everyone waiting: the best plan under every caseload beside a greedy pass, its
scores the same as ``assess`` gives, and the coordinator's page that sends only what she ticks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person, membership_of
from peerpath.accounts.choices import Role
from peerpath.accounts.models import ConsentKind, User
from peerpath.accounts.services import consent_give, supporter_profile_update
from peerpath.buddying import batch, batch_views
from peerpath.buddying.choices import ProposalStatus, RequestStatus
from peerpath.buddying.matching import Candidate, Exclusion, Suggestion, Wish, assess, slots
from peerpath.buddying.models import Proposal, SupportRequest
from peerpath.buddying.services import support_request_create
from peerpath.buddying.suggestions import suggestion_for, suggestion_now
from peerpath.buddying.tests.conftest import Charity, make_ready, signed_in, text

EXPERIENCES = ["hyperemesis", "nicu", "feeding", "birth_trauma"]
LANGUAGES = ["en", "cy", "pl"]
TOWNS = ["Exeter", " exeter ", "Plymouth", "Truro"]
SLOTS = [(day, part) for day in ("mon", "wed", "sat") for part in ("morning", "evening")]
MODES = ["phone", "video", "text", "in_person"]


def _sample(rng: random.Random, values: list, most: int) -> frozenset:
    return frozenset(rng.sample(values, rng.randint(0, most)))


def _instance(
    rng: random.Random, requests: int, supporters: int
) -> tuple[list[tuple[int, Wish]], list[Candidate]]:
    """Small random instances that reach every rule: languages shared or not, in person only
    with or without an area in common, the case and spaces of a town, nothing asked, people
    she moved on from or who said no, not ready, full, and room on either side of half."""
    found = []
    for key in range(1, supporters + 1):
        limit = rng.choice([1, 2, 3, 6])
        found.append(
            Candidate(
                key=key,
                name=rng.choice(["Alys", "Bryony", "Cerys"]),  # names tie: keys break it
                experiences=_sample(rng, EXPERIENCES, 3),
                languages=_sample(rng, LANGUAGES, 2),
                areas=_sample(rng, TOWNS, 2),
                availability=_sample(rng, SLOTS, 4),
                active=rng.randint(0, limit),
                limit=limit,
                ready=rng.random() < 0.8,
            )
        )
    wishes = []
    for key in range(100, 100 + requests):
        wishes.append(
            (
                key,
                Wish(
                    experiences=_sample(rng, EXPERIENCES, 2),
                    languages=_sample(rng, LANGUAGES, 2),
                    modes=_sample(rng, MODES, 3),
                    availability=_sample(rng, SLOTS, 4),
                    area=rng.choice(["", *TOWNS]),
                    not_with=_sample(rng, list(range(1, supporters + 1)), 1),
                    declined_by=_sample(rng, list(range(1, supporters + 1)), 1),
                ),
            )
        )
    return wishes, found


def _check_plan(plan, wishes, candidates, promised=None):
    """Every request once, pairs assessed by assess, and no caseload exceeded."""
    promised = promised or {}
    by_key = {c.key: c for c in candidates}
    wish_of = dict(wishes)
    assert sorted([p.request for p in plan.pairs] + list(plan.unmatched)) == sorted(wish_of)
    for pair in plan.pairs:
        found = assess(wish_of[pair.request], by_key[pair.candidate])
        assert isinstance(found, Suggestion), found
        assert pair.suggestion == found
    taken = Counter(pair.candidate for pair in plan.pairs)
    for key, count in taken.items():
        assert count <= by_key[key].free - promised.get(key, 0)
    assert plan.total == sum(p.score for p in plan.pairs)
    assert plan.matched == len(plan.pairs)


def _brute_force(wishes, candidates, promised=None) -> tuple[int, int]:
    """The best (people matched, points) over every possible assignment."""
    room = list(batch.capacities(candidates, promised))
    options = []
    for _key, wish in wishes:
        mine = [None]
        for column, candidate in enumerate(candidates):
            found = assess(wish, candidate)
            if isinstance(found, Suggestion):
                mine.append((column, found.score))
        options.append(mine)
    best = (0, 0)
    for choice in itertools.product(*options):
        used = Counter(option[0] for option in choice if option is not None)
        if any(used[column] > room[column] for column in used):
            continue
        chosen = [option for option in choice if option is not None]
        best = max(best, (len(chosen), sum(score for _column, score in chosen)))
    return best


# The arithmetic ------------------------------------------------------------------------------


def test_the_arrays_give_every_pair_the_score_assess_gives_or_leave_it_out_as_assess_does():
    rng = random.Random(11)
    reached = Counter()
    for _round in range(60):
        wishes, candidates = _instance(rng, rng.randint(1, 12), rng.randint(1, 10))
        points = batch.scores([wish for _key, wish in wishes], candidates)
        assert points.shape == (len(wishes), len(candidates))
        for row, (_key, wish) in enumerate(wishes):
            for column, candidate in enumerate(candidates):
                found = assess(wish, candidate)
                if isinstance(found, Exclusion):
                    assert points[row, column] == batch.LEFT_OUT, (wish, candidate, found)
                    reached.update(found.reasons)
                else:
                    assert points[row, column] == found.score, (wish, candidate, found)
                    reached.update(reason.split(":")[0] for reason in found.reasons)
    # Every rule was met along the way, both ways.
    for words in (
        "Shared experience",
        "None of the experiences she asked for",
        "Also covers",
        "Remote",
        "Both free",
        "No free times in common",
        "She did not say when she is free",
        "Her languages are not recorded",
    ):
        assert any(reason.startswith(words) for reason in reached), words
    for words in (
        "She asked for someone else",
        "Said no to this request",
        "Not ready to support",
        "Caseload full",
        "Speaks none of her languages",
        "and she asked to meet in person",
    ):
        assert any(words in reason for reason in reached), words


def test_nothing_waiting_or_nobody_to_ask_makes_an_empty_plan():
    wishes, candidates = _instance(random.Random(1), 3, 2)
    for plan in (batch.optimal([], candidates), batch.greedy([], candidates)):
        assert plan.pairs == ()
        assert plan.unmatched == ()
        assert plan.total == 0
    for plan in (batch.optimal(wishes, []), batch.greedy(wishes, [])):
        assert plan.pairs == ()
        assert plan.unmatched == (100, 101, 102)


# The plans -----------------------------------------------------------------------------------


def test_on_random_instances_the_optimum_never_does_worse_than_greedy_and_breaks_no_rule():
    rng = random.Random(2027)
    for _round in range(300):
        wishes, candidates = _instance(rng, rng.randint(0, 25), rng.randint(1, 8))
        promised = {c.key: rng.randint(0, 1) for c in candidates if rng.random() < 0.2}
        best = batch.optimal(wishes, candidates, promised=promised)
        one_by_one = batch.greedy(wishes, candidates, promised=promised)
        _check_plan(best, wishes, candidates, promised)
        _check_plan(one_by_one, wishes, candidates, promised)
        # More people first, then more points: never fewer matched, and never fewer points
        # for as many matched.
        assert (best.matched, best.total) >= (one_by_one.matched, one_by_one.total)
        assert best.matched >= one_by_one.matched
        if best.matched == one_by_one.matched:
            assert best.total >= one_by_one.total


def test_on_small_instances_the_optimum_is_the_best_of_every_possible_assignment():
    rng = random.Random(5)
    for _round in range(150):
        wishes, candidates = _instance(rng, rng.randint(1, 5), rng.randint(1, 3))
        best = batch.optimal(wishes, candidates)
        assert (best.matched, best.total) == _brute_force(wishes, candidates)


def _someone(key: int, name: str, limit: int = 6, active: int = 5, **fields) -> Candidate:
    values = {"languages": frozenset({"en"}), "areas": frozenset({"Exeter"})} | fields
    return Candidate(key=key, name=name, limit=limit, active=active, **values)


PHONE = Wish(languages=frozenset({"en"}), modes=frozenset({"phone"}))


def test_one_more_person_matched_outweighs_any_number_of_points():
    # Bryony shares three experiences with the first request; the second can only have her.
    both = frozenset({"hyperemesis", "nicu", "feeding"})
    wishes = [
        (1, dataclasses.replace(PHONE, experiences=both)),
        (2, dataclasses.replace(PHONE, languages=frozenset({"pl"}))),
    ]
    candidates = [
        _someone(1, "Bryony", experiences=both, languages=frozenset({"en", "pl"})),
        _someone(2, "Alys"),
    ]
    one_by_one = batch.greedy(wishes, candidates)
    best = batch.optimal(wishes, candidates)
    assert [(p.request, p.candidate) for p in one_by_one.pairs] == [(1, 1)]
    assert one_by_one.unmatched == (2,)
    assert [(p.request, p.candidate) for p in best.pairs] == [(1, 2), (2, 1)]
    assert best.unmatched == ()
    # Greedy has more points here, with fewer people matched: the page says why.
    assert (one_by_one.matched, one_by_one.total) == (1, 10)
    assert (best.matched, best.total) == (2, 2)


def test_greedy_goes_oldest_first_each_taking_her_best_suggestion():
    wishes = [(1, PHONE), (2, PHONE)]
    candidates = [_someone(1, "Cerys", limit=2, active=1), _someone(2, "Alys")]
    plan = batch.greedy(wishes, candidates)
    # Cerys has half her room free (a point): the older request takes her last place.
    assert [(p.request, p.candidate) for p in plan.pairs] == [(1, 1), (2, 2)]
    # Equal scores: most room, then name, as the request's page orders them.
    candidates = [_someone(1, "Cerys"), _someone(2, "Alys")]
    plan = batch.greedy([(1, PHONE)], candidates)
    assert plan.pairs[0].candidate == 2


def test_a_supporter_takes_no_more_than_her_room_less_the_places_already_promised():
    wishes = [(key, PHONE) for key in range(1, 6)]
    candidates = [_someone(1, "Alys", active=3)]  # room for 3
    for plan in (batch.optimal(wishes, candidates), batch.greedy(wishes, candidates)):
        assert [p.request for p in plan.pairs] == [1, 2, 3]
        assert plan.unmatched == (4, 5)
    promised = {1: 2}
    for plan in (
        batch.optimal(wishes, candidates, promised=promised),
        batch.greedy(wishes, candidates, promised=promised),
    ):
        assert plan.matched == 1


def test_each_pair_carries_the_reasons_the_request_page_shows():
    wish = Wish(
        experiences=frozenset({"hyperemesis"}),
        languages=frozenset({"en"}),
        modes=frozenset({"in_person"}),
        availability=slots({"mon": ["morning"]}),
        area="Exeter",
    )
    plan = batch.optimal(
        [(7, wish)],
        [_someone(1, "Hazel", active=1, experiences=frozenset({"hyperemesis"}))],
    )
    (pair,) = plan.pairs
    assert pair.suggestion.reasons == (
        "Room for 5 more (supporting 1 of 6)",
        "Speaks English",
        "Also covers Exeter, so they can meet",
        "Shared experience: Severe sickness in pregnancy (hyperemesis)",
        "No free times in common",
    )
    assert pair.score == 1 + 1 + 2 + 3


def test_nobody_excluded_is_ever_assigned_even_when_it_would_match_more_people():
    wishes = [
        (1, dataclasses.replace(PHONE, not_with=frozenset({1}))),
        (2, dataclasses.replace(PHONE, declined_by=frozenset({1}))),
        (3, Wish(languages=frozenset({"pl"}), modes=frozenset({"phone"}))),
        (4, Wish(modes=frozenset({"in_person"}), area="Truro")),
    ]
    candidates = [_someone(1, "Alys", active=0), _someone(2, "Ivy", active=0, ready=False)]
    for plan in (batch.optimal(wishes, candidates), batch.greedy(wishes, candidates)):
        assert plan.pairs == ()
        assert plan.unmatched == (1, 2, 3, 4)


# The coordinator's page ----------------------------------------------------------------------

WISH = {
    "modes": ["phone", "in_person"],
    "rhythm": "weekly",
    "area": "Exeter",
    "languages": ["en"],
    "experiences": ["hyperemesis"],
    "availability": {"mon": ["morning"]},
}


def _page(charity: Charity) -> str:
    return reverse("buddying:propose_all", kwargs={"slug": charity.organisation.slug})


def _asks(charity: Charity, name: str | None = None, **changes: object) -> SupportRequest:
    person = charity.member
    if name is not None:
        person = make_person(charity.organisation, Role.MEMBER, display_name=name)
        consent_give(actor=person, user=person, kind=ConsentKind.HEALTH_DATA)
    return support_request_create(
        actor=person, member=membership_of(person, Role.MEMBER), **(WISH | changes)
    )


def _ready_supporter(charity: Charity, name: str, **profile: object) -> User:
    person = make_person(charity.organisation, Role.PEER_SUPPORTER, display_name=name)
    place = membership_of(person, Role.PEER_SUPPORTER)
    supporter_profile_update(
        actor=person,
        profile=place.supporter_profile,
        languages=["en"],
        areas=["Exeter"],
        **profile,
    )
    make_ready(place, supervised_on=dt.date(2027, 2, 20), supervisor=charity.coordinator)
    return person


def _value(request: SupportRequest, supporter: User) -> str:
    return f"{request.public_id}:{membership_of(supporter, Role.PEER_SUPPORTER).pk}"


@pytest.mark.django_db
def test_the_page_shows_each_pair_ticked_with_its_reasons_and_both_totals(charity):
    first = _asks(charity)
    _asks(charity, "Poppy 31", experiences=["nicu"], availability={})
    _ready_supporter(charity, "Juniper", lived_experiences=["nicu"])
    response = signed_in(charity.coordinator).get(_page(charity))
    assert response.status_code == 200
    page = text(response)
    assert "Sunflower 12 with Hazel" in page
    assert "Poppy 31 with Juniper" in page
    assert "Shared experience: Severe sickness in pregnancy (hyperemesis)" in page
    assert "Shared experience: A stay in neonatal care (NICU)" in page
    assert "Both free: Monday morning" in page
    assert "Ivy" not in page  # not ready: in no plan
    assert f'value="{_value(first, charity.hazel)}" checked' in response.content.decode()
    # Hazel: room 1 + English 1 + Exeter 2 + hyperemesis 3 + Monday morning 1 = 8;
    # Juniper for Poppy: 1 + 1 + 2 + 3 = 7.
    assert 'id="best-matched">2<' in response.content.decode()
    assert 'id="best-total">15<' in response.content.decode()
    assert 'id="greedy-matched">2<' in response.content.decode()
    assert 'id="greedy-total">15<' in response.content.decode()
    assert "Left unmatched" not in page


@pytest.mark.django_db
def test_a_long_plan_is_offered_a_page_at_a_time_oldest_first(charity, monkeypatch):
    monkeypatch.setattr(batch_views, "SEND_AT_ONCE", 1)
    _asks(charity)
    _asks(charity, "Poppy 31", experiences=["nicu"])
    _ready_supporter(charity, "Juniper", lived_experiences=["nicu"])
    response = signed_in(charity.coordinator).get(_page(charity))
    page = text(response)
    assert "Sunflower 12 with Hazel" in page
    assert "Poppy 31 with Juniper" not in page
    assert "The plan has 1 more pair, for a later request" in page
    assert 'id="best-matched">2<' in response.content.decode()


@pytest.mark.django_db
def test_requests_nobody_can_take_are_listed_as_left_unmatched(charity):
    _asks(charity)
    _asks(charity, "Poppy 31", languages=["pl"])
    page = text(signed_in(charity.coordinator).get(_page(charity)))
    assert "Sunflower 12 with Hazel" in page
    assert "Left unmatched by this plan" in page
    unmatched = page.split("Left unmatched by this plan")[1]
    assert "Poppy 31" in unmatched
    assert "asked 2 Mar 2027" in unmatched


@pytest.mark.django_db
def test_sending_proposes_the_ticked_pairs_only(charity):
    first = _asks(charity)
    second = _asks(charity, "Poppy 31", experiences=["nicu"])
    juniper = _ready_supporter(charity, "Juniper", lived_experiences=["nicu"])
    client = signed_in(charity.coordinator)
    response = client.post(_page(charity), {"pair": [_value(first, charity.hazel)]})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.request == first
    assert proposal.supporter == charity.hazel_place
    assert proposal.status == ProposalStatus.WAITING
    assert "Shared experience: Severe sickness in pregnancy (hyperemesis)" in proposal.reasons
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RequestStatus.PROPOSED
    assert second.status == RequestStatus.WAITING
    page = text(client.get(response.url))
    assert "1 proposal sent (Sunflower 12 with Hazel)" in page
    # What is left is planned again: Poppy with Juniper, ready to send.
    assert "Poppy 31 with Juniper <span" in page
    assert "Sunflower 12 with Hazel <span" not in page
    del juniper


@pytest.mark.django_db
def test_a_pair_that_became_impossible_is_reported_and_the_others_are_still_sent(charity):
    first = _asks(charity)
    second = _asks(charity, "Poppy 31", experiences=["nicu"])
    juniper = _ready_supporter(charity, "Juniper", lived_experiences=["nicu"])
    client = signed_in(charity.coordinator)
    assert "Sunflower 12 with Hazel" in text(client.get(_page(charity)))
    # Meanwhile Sunflower asked not to be offered Hazel.
    first.not_with.add(charity.hazel_place)
    response = client.post(
        _page(charity), {"pair": [_value(first, charity.hazel), _value(second, juniper)]}
    )
    assert response.status_code == 302
    assert [(p.request, p.supporter.user) for p in Proposal.objects.all()] == [(second, juniper)]
    page = text(client.get(response.url))
    assert "1 proposal sent (Poppy 31 with Juniper)" in page
    assert "Not sent: Hazel can no longer be asked to support Sunflower 12." in page
    first.refresh_from_db()
    assert first.status == RequestStatus.WAITING


@pytest.mark.django_db
def test_nobody_is_asked_beyond_her_room_counting_proposals_already_waiting(charity):
    supporter_profile_update(
        actor=charity.hazel, profile=charity.hazel_place.supporter_profile, capacity=1
    )
    first = _asks(charity)
    second = _asks(charity, "Poppy 31", experiences=["nicu"])
    client = signed_in(charity.coordinator)
    page = text(client.get(_page(charity)))
    assert "Sunflower 12 with Hazel" in page
    assert "Poppy 31 with Hazel" not in page
    # A crafted post asking Hazel for both: the second is refused, in words.
    response = client.post(
        _page(charity), {"pair": [_value(first, charity.hazel), _value(second, charity.hazel)]}
    )
    assert Proposal.objects.count() == 1
    page = text(client.get(response.url))
    assert (
        "Not sent: Hazel has room for 1 more and 1 request already waits for her answer, so "
        "she was not asked to support Poppy 31."
    ) in page
    # And the plan keeps her place for the proposal waiting.
    assert "Poppy 31 with Hazel" not in page
    assert "1 proposal sent earlier is still waiting for an answer" in page


@pytest.mark.django_db
def test_a_request_no_longer_waiting_is_reported_in_words(charity):
    first = _asks(charity)
    client = signed_in(charity.coordinator)
    client.post(_page(charity), {"pair": [_value(first, charity.hazel)]})
    response = client.post(_page(charity), {"pair": [_value(first, charity.hazel)]})
    page = text(client.get(response.url))
    assert (
        "Not sent to Hazel for Sunflower 12: Someone has already been asked to support her: "
        "wait for their answer."
    ) in page
    assert Proposal.objects.count() == 1


@pytest.mark.django_db
def test_a_tampered_pair_gets_a_clear_message_not_an_error(charity, other_organisation):
    first = _asks(charity)
    elsewhere = make_person(other_organisation, Role.MEMBER, display_name="Far Away")
    consent_give(actor=elsewhere, user=elsewhere, kind=ConsentKind.HEALTH_DATA)
    theirs = support_request_create(
        actor=elsewhere, member=membership_of(elsewhere, Role.MEMBER), **WISH
    )
    client = signed_in(charity.coordinator)
    response = client.post(
        _page(charity),
        {
            "pair": [
                "not-a-pair",
                f"{first.public_id}:not-a-number",
                f"{first.public_id}:999999",
                f"{theirs.public_id}:{charity.hazel_place.pk}",
                f"00000000-0000-0000-0000-000000000000:{charity.hazel_place.pk}",
            ]
        },
    )
    assert response.status_code == 302
    assert not Proposal.objects.exists()
    page = text(client.get(response.url))
    assert "5 ticked pairs were not ones this page offered, so nothing was sent for them." in page
    response = client.post(_page(charity), {})
    assert "Nothing was ticked, so nothing was sent." in text(client.get(response.url))


@pytest.mark.django_db
def test_only_the_charitys_coordinators_see_it(charity, outsider):
    _asks(charity)
    for person in (outsider, charity.member, charity.hazel):
        client = signed_in(person)
        assert client.get(_page(charity)).status_code == 404
        response = client.post(_page(charity), {"pair": []})
        assert response.status_code == 404
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_reading_one_supporter_gives_the_same_suggestion_as_reading_them_all(charity):
    request = _asks(charity)
    juniper = _ready_supporter(charity, "Juniper", lived_experiences=["nicu"])
    # A member who also supports is never suggested for her own request.
    consent_give(actor=juniper, user=juniper, kind=ConsentKind.HEALTH_DATA)
    from peerpath.accounts.services import membership_grant
    from peerpath.core.actors import OPERATOR

    membership_grant(
        actor=OPERATOR, user=juniper, organisation=charity.organisation, role=Role.MEMBER
    )
    hers = support_request_create(actor=juniper, member=membership_of(juniper, Role.MEMBER), **WISH)
    for support_request in (request, hers):
        for person in (charity.hazel, charity.ivy, juniper, charity.member):
            key = (
                membership_of(person, Role.PEER_SUPPORTER).pk
                if person != charity.member
                else charity.member_place.pk
            )
            assert suggestion_now(support_request, key) == suggestion_for(support_request, key)
    juniper_key = membership_of(juniper, Role.PEER_SUPPORTER).pk
    assert suggestion_now(request, juniper_key) is not None
    assert suggestion_now(hers, juniper_key) is None


@pytest.mark.django_db
def test_the_queue_links_to_it(charity):
    page = signed_in(charity.coordinator).get(
        reverse("buddying:queue", kwargs={"slug": charity.organisation.slug})
    )
    assert _page(charity) in page.content.decode()


def _queries(charity: Charity) -> int:
    client = signed_in(charity.coordinator)
    client.get(_page(charity))  # the session's first look is not counted
    with CaptureQueriesContext(connection) as seen:
        assert client.get(_page(charity)).status_code == 200
    return len(seen)


@pytest.mark.django_db
def test_the_page_takes_the_same_queries_for_2_or_12_requests_waiting(
    charity, django_assert_max_num_queries
):
    _asks(charity)
    _asks(charity, "Poppy 31")
    two = _queries(charity)
    for n in range(10):
        request = _asks(charity, f"Member {n}", experiences=["nicu"])
        request.not_with.add(charity.hazel_place)
    for n in range(4):
        _ready_supporter(charity, f"Supporter {n}")
    assert _queries(charity) == two
    client = signed_in(charity.coordinator)
    client.get(_page(charity))
    # The layout's and the session's, the organisation, the requests, the supporters with
    # their readiness and limits (seven), the wishes (two) and the places promised.
    with django_assert_max_num_queries(20):
        assert client.get(_page(charity)).status_code == 200
