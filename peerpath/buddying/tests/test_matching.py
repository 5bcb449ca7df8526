"""Suggestions always carry their reasons; every supporter left out says why."""

from __future__ import annotations

from peerpath.buddying.matching import (
    Candidate,
    Exclusion,
    Suggestion,
    Wish,
    assess,
    slots,
    suggest,
)

WISH = Wish(
    experiences=frozenset({"hyperemesis", "birth_trauma"}),
    languages=frozenset({"en"}),
    modes=frozenset({"phone", "in_person"}),
    availability=slots({"mon": ["morning"], "wed": ["evening"]}),
    area="Exeter",
)


def _candidate(key: int, name: str, **fields: object) -> Candidate:
    values: dict[str, object] = {
        "languages": frozenset({"en"}),
        "areas": frozenset({"Exeter"}),
        "limit": 6,
        "active": 1,
    }
    values.update(fields)
    return Candidate(key=key, name=name, **values)  # type: ignore[arg-type]


def test_each_point_comes_with_its_reason():
    found = assess(
        WISH,
        _candidate(
            1,
            "Hazel",
            experiences=frozenset({"hyperemesis"}),
            availability=slots({"mon": ["morning", "evening"]}),
        ),
    )
    assert isinstance(found, Suggestion)
    assert found.reasons == (
        "Room for 5 more (supporting 1 of 6)",
        "Speaks English",
        "Also covers Exeter, so they can meet",
        "Shared experience: Severe sickness in pregnancy (hyperemesis)",
        "Both free: Monday morning",
    )
    # 1 headroom + 1 language + 2 same area + 3 shared experience + 1 time in common
    assert found.score == 8


def test_an_area_is_matched_whatever_its_case_and_spaces():
    found = assess(WISH, _candidate(1, "Hazel", areas=frozenset({" exeter "})))
    assert isinstance(found, Suggestion)
    assert "Also covers Exeter, so they can meet" in found.reasons


def test_a_supporter_elsewhere_is_suggested_for_the_remote_ways_she_chose():
    found = assess(WISH, _candidate(1, "Ivy", areas=frozenset({"Plymouth"})))
    assert isinstance(found, Suggestion)
    assert "Not in Exeter: phone calls only" in found.reasons


def test_a_supporter_elsewhere_is_left_out_when_she_only_wants_to_meet():
    wish = Wish(modes=frozenset({"in_person"}), area="Exeter")
    found = assess(wish, _candidate(1, "Ivy", areas=frozenset({"Plymouth"})))
    assert isinstance(found, Exclusion)
    assert found.reasons == ("Not in Exeter, and she asked to meet in person",)


def test_every_reason_to_leave_someone_out_is_shown_not_just_the_first():
    found = assess(
        Wish(languages=frozenset({"pl"}), modes=frozenset({"video"}), not_with=frozenset({3})),
        _candidate(
            3,
            "June",
            active=6,
            ready=False,
            not_ready_because=("Last supervision was 2 October 2026; it is due every 31 days",),
        ),
    )
    assert isinstance(found, Exclusion)
    assert found.reasons == (
        "She asked for someone else instead of this supporter",
        "Last supervision was 2 October 2026; it is due every 31 days",
        "Caseload full (6 of 6)",
        "Speaks none of her languages (Polish)",
    )


def test_someone_who_said_no_is_not_suggested_again_for_that_request():
    found = assess(Wish(declined_by=frozenset({4})), _candidate(4, "Kit"))
    assert isinstance(found, Exclusion)
    assert found.reasons == ("Said no to this request",)


def test_with_nothing_asked_for_the_reasons_say_so():
    found = assess(Wish(modes=frozenset({"text"})), _candidate(1, "Hazel"))
    assert isinstance(found, Suggestion)
    assert found.reasons == (
        "Room for 5 more (supporting 1 of 6)",
        "Remote: text messages",
        "She did not say when she is free",
    )


def test_suggestions_come_best_first_then_most_room_then_by_name():
    shared = frozenset({"hyperemesis"})
    suggestions, excluded = suggest(
        WISH,
        [
            _candidate(1, "Bryony", active=5),
            _candidate(2, "Alys", active=5),
            _candidate(3, "Cerys", experiences=shared),
            _candidate(4, "Dilys", active=2),
            _candidate(5, "Full", active=6),
        ],
    )
    assert [s.candidate.name for s in suggestions] == ["Cerys", "Dilys", "Alys", "Bryony"]
    assert [e.candidate.name for e in excluded] == ["Full"]
    assert all(s.reasons for s in suggestions)


def test_a_supporter_whose_languages_are_not_recorded_is_not_left_out_but_flagged():
    found = assess(WISH, _candidate(1, "Hazel", languages=frozenset()))
    assert isinstance(found, Suggestion)
    assert "Her languages are not recorded: check before asking" in found.reasons
