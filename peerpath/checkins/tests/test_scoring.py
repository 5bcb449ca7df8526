"""Scoring, from tables: totals at every band edge, the EPDS's reversed items, every risk rule,
incomplete and invalid answers.

Answers are option indexes (0-based, printed order). For the GAD and PHQ measures an index is
also its score; for Whooley (Yes first, scoring 1), UCLA-3 (scores 1-3) and the EPDS's reversed
items it is not, which is what these tables check.
"""

from __future__ import annotations

import pytest

from peerpath.checkins import instruments
from peerpath.checkins.instruments import (
    IncompleteAnswers,
    InvalidAnswer,
    get,
    option_score,
    risk_answers,
    score,
)


@pytest.fixture(autouse=True)
def _fresh_registry():
    instruments.reset()
    yield
    instruments.reset()


def answers_from(indexes: tuple[int, ...]) -> dict[int, int]:
    """Item 1 gets the first index, item 2 the second..."""
    return dict(enumerate(indexes, start=1))


# --- GAD-7: (indexes for items 1-7, total, band, positive) ----------------------------------

GAD7_TABLE = [
    ((0, 0, 0, 0, 0, 0, 0), 0, "minimal", False),
    ((1, 1, 1, 1, 0, 0, 0), 4, "minimal", False),
    ((1, 1, 1, 1, 1, 0, 0), 5, "mild", False),
    ((3, 3, 3, 0, 0, 0, 0), 9, "mild", False),
    ((3, 3, 3, 1, 0, 0, 0), 10, "moderate", True),
    ((2, 2, 2, 2, 2, 2, 2), 14, "moderate", True),
    ((3, 3, 3, 3, 3, 0, 0), 15, "severe", True),
    ((3, 3, 3, 3, 3, 3, 3), 21, "severe", True),
]


@pytest.mark.parametrize(("indexes", "total", "band", "positive"), GAD7_TABLE)
def test_gad7_totals_and_bands(indexes, total, band, positive):
    result = score(get("gad7"), answers_from(indexes))
    assert (result.total, result.band.key, result.positive) == (total, band, positive)
    assert result.risk_answers == ()
    assert result.risk is False
    assert result.suggest == ()
    assert result.category == ""
    assert (result.instrument_id, result.version) == ("gad7", "1")


def test_the_how_difficult_question_is_optional_and_never_counted():
    gad7, phq9 = get("gad7"), get("phq9")
    # Item 8 (GAD-7) and item 10 (PHQ-9) are the "how difficult" question.
    for instrument, others in ((gad7, (1,) * 7), (phq9, (1,) * 8 + (0,))):
        without = score(instrument, answers_from(others))
        for index in range(4):
            with_it = score(instrument, answers_from((*others, index)))
            assert with_it.total == without.total == sum(others)


# --- PHQ-9: (indexes for items 1-9, total, band, positive, risk answers) ---------------------

PHQ9_TABLE = [
    ((0, 0, 0, 0, 0, 0, 0, 0, 0), 0, "minimal", False, ()),
    ((1, 1, 1, 1, 0, 0, 0, 0, 0), 4, "minimal", False, ()),
    ((1, 1, 1, 1, 1, 0, 0, 0, 0), 5, "mild", False, ()),
    ((3, 3, 3, 0, 0, 0, 0, 0, 0), 9, "mild", False, ()),
    ((3, 3, 3, 1, 0, 0, 0, 0, 0), 10, "moderate", True, ()),
    ((2, 2, 2, 2, 2, 2, 2, 0, 0), 14, "moderate", True, ()),
    ((3, 3, 3, 3, 3, 0, 0, 0, 0), 15, "moderately_severe", True, ()),
    ((3, 3, 3, 3, 3, 3, 1, 0, 0), 19, "moderately_severe", True, ()),
    ((3, 3, 3, 3, 3, 3, 2, 0, 0), 20, "severe", True, ()),
    ((3, 3, 3, 3, 3, 3, 3, 3, 3), 27, "severe", True, ((9, 3),)),
    ((0, 0, 0, 0, 0, 0, 0, 0, 1), 1, "minimal", False, ((9, 1),)),
    ((1, 1, 1, 1, 1, 1, 1, 1, 2), 10, "moderate", True, ((9, 2),)),
]


@pytest.mark.parametrize(("indexes", "total", "band", "positive", "risks"), PHQ9_TABLE)
def test_phq9_totals_bands_and_risk(indexes, total, band, positive, risks):
    result = score(get("phq9"), answers_from(indexes))
    assert (result.total, result.band.key, result.positive) == (total, band, positive)
    assert result.risk_answers == risks
    assert result.risk is bool(risks)
    assert result.suggest == ()


@pytest.mark.parametrize(
    ("index", "risks"), [(0, ()), (1, ((9, 1),)), (2, ((9, 2),)), (3, ((9, 3),))]
)
def test_phq9_item_9_above_0_is_a_risk_whatever_the_total(index, risks):
    # Everything else "Not at all": the total is item 9's own score, at most 3 ("minimal").
    result = score(get("phq9"), answers_from((0, 0, 0, 0, 0, 0, 0, 0, index)))
    assert result.total == index
    assert result.band.key == "minimal"
    assert result.risk_answers == risks
    assert result.risk is (index > 0)


# --- EPDS: items 1, 2, 4 score 0,1,2,3 in printed order; 3 and 5-10 score 3,2,1,0 ------------

EPDS_PRINTED_SCORES = {
    1: (0, 1, 2, 3),
    2: (0, 1, 2, 3),
    3: (3, 2, 1, 0),
    4: (0, 1, 2, 3),
    5: (3, 2, 1, 0),
    6: (3, 2, 1, 0),
    7: (3, 2, 1, 0),
    8: (3, 2, 1, 0),
    9: (3, 2, 1, 0),
    10: (3, 2, 1, 0),
}


@pytest.mark.parametrize(
    ("item_number", "index", "expected"),
    [
        (number, index, scores[index])
        for number, scores in EPDS_PRINTED_SCORES.items()
        for index in range(4)
    ],
)
def test_epds_option_scores_follow_the_printed_order(item_number, index, expected):
    assert option_score(get("epds"), item_number, index) == expected
    assert option_score(instruments.epds(), item_number, index) == expected


# (indexes for items 1-10, total, band, positive, risk answers)
EPDS_TABLE = [
    ((0, 0, 3, 0, 3, 3, 3, 3, 3, 3), 0, "negative", False, ()),
    # The first printed option scores 0 on item 1 (and 2, 4) but 3 on item 3.
    ((0, 0, 0, 0, 3, 3, 3, 3, 3, 3), 3, "negative", False, ()),
    ((0, 0, 0, 0, 0, 0, 3, 3, 3, 3), 9, "negative", False, ()),
    ((3, 3, 3, 3, 3, 3, 3, 3, 3, 3), 9, "negative", False, ()),
    ((3, 3, 2, 3, 3, 3, 3, 3, 3, 3), 10, "possible", True, ()),
    ((3, 3, 0, 3, 3, 3, 3, 3, 3, 3), 12, "possible", True, ()),
    ((3, 3, 0, 3, 2, 3, 3, 3, 3, 3), 13, "probable", True, ()),
    ((0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 21, "probable", True, ((10, 3),)),
    ((3, 3, 0, 3, 0, 0, 0, 0, 0, 0), 30, "probable", True, ((10, 3),)),
    ((0, 0, 3, 0, 3, 3, 3, 3, 3, 2), 1, "negative", False, ((10, 1),)),
]


@pytest.mark.parametrize(("indexes", "total", "band", "positive", "risks"), EPDS_TABLE)
def test_epds_totals_bands_and_risk(indexes, total, band, positive, risks):
    result = score(get("epds"), answers_from(indexes))
    assert (result.total, result.band.key, result.positive) == (total, band, positive)
    assert result.risk_answers == risks
    assert result.suggest == ()


@pytest.mark.parametrize(
    ("index", "risks"), [(0, ((10, 3),)), (1, ((10, 2),)), (2, ((10, 1),)), (3, ())]
)
def test_epds_item_10_scoring_1_or_more_is_a_risk_whatever_the_total(index, risks):
    # Item 10 is reversed: its first printed option scores 3, its last 0.
    lowest_elsewhere = (0, 0, 3, 0, 3, 3, 3, 3, 3)
    result = score(get("epds"), answers_from((*lowest_elsewhere, index)))
    assert result.total == 3 - index
    assert result.band.key == "negative"
    assert result.risk_answers == risks
    assert result.risk is bool(risks)


# --- GAD-2, Whooley, UCLA-3, ONS -------------------------------------------------------------

GAD2_TABLE = [
    ((0, 0), 0, "negative", False, ()),
    ((1, 1), 2, "negative", False, ()),
    ((2, 0), 2, "negative", False, ()),
    ((2, 1), 3, "positive", True, ("gad7",)),
    ((3, 3), 6, "positive", True, ("gad7",)),
]


@pytest.mark.parametrize(("indexes", "total", "band", "positive", "suggest"), GAD2_TABLE)
def test_gad2_3_or_more_is_positive_and_suggests_gad7(indexes, total, band, positive, suggest):
    result = score(get("gad2"), answers_from(indexes))
    assert (result.total, result.band.key, result.positive) == (total, band, positive)
    assert result.suggest == suggest


YES, NO = 0, 1  # printed order: Yes, then No
WHOOLEY_TABLE = [
    ((NO, NO), 0, "negative", False, ()),
    ((YES, NO), 1, "positive", True, ("phq9", "epds")),
    ((NO, YES), 1, "positive", True, ("phq9", "epds")),
    ((YES, YES), 2, "positive", True, ("phq9", "epds")),
]


@pytest.mark.parametrize(("indexes", "total", "band", "positive", "suggest"), WHOOLEY_TABLE)
def test_whooley_is_positive_if_either_is_yes(indexes, total, band, positive, suggest):
    result = score(get("whooley"), answers_from(indexes))
    assert (result.total, result.band.key, result.positive) == (total, band, positive)
    assert result.suggest == suggest
    assert result.risk is False


@pytest.mark.parametrize(
    ("indexes", "total"), [((0, 0, 0), 3), ((0, 1, 1), 5), ((1, 0, 2), 6), ((2, 2, 2), 9)]
)
def test_ucla3_reports_a_total_from_3_to_9_and_no_label(indexes, total):
    result = score(get("ucla3"), answers_from(indexes))
    assert result.total == total
    assert result.band is None
    assert result.positive is False
    assert result.suggest == ()


@pytest.mark.parametrize(
    ("index", "category"),
    [
        (0, "Often/always"),
        (1, "Some of the time"),
        (2, "Occasionally"),
        (3, "Hardly ever"),
        (4, "Never"),
    ],
)
def test_ons_question_gives_the_chosen_answer_not_a_score(index, category):
    result = score(get("ons_lonely"), {1: index})
    assert result.category == category
    assert result.total is None
    assert result.band is None
    assert result.positive is False
    assert result.risk_answers == ()


@pytest.mark.parametrize(
    ("instrument_id", "item_number", "scores"),
    [
        ("whooley", 1, (1, 0)),
        ("whooley", 2, (1, 0)),
        ("gad2", 2, (0, 1, 2, 3)),
        ("gad7", 7, (0, 1, 2, 3)),
        ("phq9", 9, (0, 1, 2, 3)),
        ("ucla3", 1, (1, 2, 3)),
        ("ucla3", 3, (1, 2, 3)),
    ],
)
def test_option_score_is_the_printed_options_score(instrument_id, item_number, scores):
    instrument = get(instrument_id)
    assert tuple(option_score(instrument, item_number, i) for i in range(len(scores))) == scores


# --- Risk answers on a draft -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument_id", "draft", "risks"),
    [
        ("phq9", {}, ()),
        ("phq9", {9: 1}, ((9, 1),)),
        ("phq9", {9: 3}, ((9, 3),)),
        ("phq9", {9: 0}, ()),
        ("phq9", {1: 3, 2: 3}, ()),
        ("phq9", {1: 0, 9: 2}, ((9, 2),)),
        ("epds", {10: 0}, ((10, 3),)),
        ("epds", {10: 2}, ((10, 1),)),
        ("epds", {10: 3}, ()),
        ("epds", {1: 3, 3: 0}, ()),
        ("gad7", {1: 3, 2: 3, 3: 3}, ()),
    ],
)
def test_risk_answers_work_on_a_partial_draft(instrument_id, draft, risks):
    instrument = get(instrument_id)
    assert risk_answers(instrument, draft) == risks
    if len(draft) < len(instrument.scored_items):
        with pytest.raises(IncompleteAnswers):
            score(instrument, draft)


def test_risk_answers_on_a_draft_still_refuse_an_invalid_answer():
    with pytest.raises(InvalidAnswer):
        risk_answers(get("phq9"), {9: 1, 3: 7})


# --- Incomplete answers: no pro-rating -------------------------------------------------------


@pytest.mark.parametrize("left_out", range(1, 11))
def test_epds_with_9_answers_names_the_missing_item(left_out):
    answers = answers_from((3,) * 10)
    del answers[left_out]
    with pytest.raises(IncompleteAnswers) as raised:
        score(get("epds"), answers)
    assert raised.value.missing == (left_out,)
    assert str(left_out) in str(raised.value)


@pytest.mark.parametrize(
    ("instrument_id", "answers", "missing"),
    [
        ("epds", {}, (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)),
        ("phq9", answers_from((0,) * 8), (9,)),
        ("phq9", {10: 0}, (1, 2, 3, 4, 5, 6, 7, 8, 9)),
        ("gad7", {1: 0, 3: 0, 8: 1}, (2, 4, 5, 6, 7)),
        ("gad2", {2: 3}, (1,)),
        ("whooley", {1: 0}, (2,)),
        ("ucla3", {1: 0, 2: 0}, (3,)),
        ("ons_lonely", {}, (1,)),
    ],
)
def test_every_scored_item_must_be_answered(instrument_id, answers, missing):
    with pytest.raises(IncompleteAnswers) as raised:
        score(get(instrument_id), answers)
    assert raised.value.missing == missing


# --- Invalid answers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument_id", "answers"),
    [
        ("epds", {11: 0}),
        ("epds", {0: 0}),
        ("epds", {-1: 0}),
        ("epds", {1: 4}),
        ("epds", {1: -1}),  # never Python's "last option"
        ("epds", {1: True}),
        ("epds", {True: 0}),
        ("epds", {"1": 0}),
        ("epds", {1: "0"}),
        ("epds", {1: 1.0}),
        ("epds", {1: None}),
        ("whooley", {1: 2}),
        ("ons_lonely", {1: 5}),
        ("ucla3", {4: 0}),
        ("gad2", {3: 0}),
        ("gad7", {8: 4}),  # the unscored question is checked too
        ("phq9", {10: -1}),
        ("phq9", {11: 0}),
    ],
)
def test_invalid_answers_are_refused(instrument_id, answers):
    instrument = get(instrument_id)
    with pytest.raises(InvalidAnswer):
        score(instrument, answers)
    with pytest.raises(InvalidAnswer):
        risk_answers(instrument, answers)
    ((number, index),) = answers.items()
    with pytest.raises(InvalidAnswer):
        option_score(instrument, number, index)


def test_an_invalid_answer_is_reported_before_missing_ones():
    with pytest.raises(InvalidAnswer, match="no item 11"):
        score(get("phq9"), {1: 0, 11: 0})


def test_answers_must_be_a_mapping():
    with pytest.raises(InvalidAnswer):
        score(get("gad2"), [0, 0])
