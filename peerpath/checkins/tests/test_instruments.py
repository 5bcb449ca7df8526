"""The instruments as data (checked against the clinical reference's wording), the registry, and
the loader for the licensed EPDS wording, which treats its file as hostile.

The EPDS content fixture holds obviously placeholder words: the real wording is never committed.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import pytest
from django.test import override_settings

from peerpath.checkins import instruments
from peerpath.checkins.epds_content import (
    MAX_BYTES,
    EpdsContentError,
    configured_epds_content,
    load_epds_content,
    parse_epds_content,
)
from peerpath.checkins.instruments import (
    INSTRUMENTS,
    Band,
    UnknownInstrument,
    all_instruments,
    get,
    option_score,
    score,
)

FIXTURE = Path(__file__).parent / "fixtures" / "epds_content_placeholder.json"


@pytest.fixture(autouse=True)
def _fresh_registry():
    instruments.reset()
    yield
    instruments.reset()


def text(value) -> str:
    return str(value)


# --- Wording, exactly as in the clinical reference -------------------------------------------

STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
FREQUENCY = ("Not at all", "Several days", "More than half the days", "Nearly every day")
GAD7_ITEMS = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)
PHQ9_ITEMS = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself - or that you are a failure or have let yourself or your family "
    "down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite - being "
    "so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)
HOW_DIFFICULT = (
    "If you checked off any problems, how difficult have these problems made it for you to do "
    "your work, take care of things at home, or get along with other people?"
)
HOW_DIFFICULT_OPTIONS = (
    "Not difficult at all",
    "Somewhat difficult",
    "Very difficult",
    "Extremely difficult",
)


def scored_texts(instrument_id: str) -> tuple[str, ...]:
    return tuple(text(item.text) for item in get(instrument_id).scored_items)


@pytest.mark.parametrize(
    ("instrument_id", "items"),
    [("gad2", GAD7_ITEMS[:2]), ("gad7", GAD7_ITEMS), ("phq9", PHQ9_ITEMS)],
)
def test_phq_screeners_wording_is_the_reference_wording(instrument_id, items):
    instrument = get(instrument_id)
    assert scored_texts(instrument_id) == items
    assert text(instrument.instructions) == STEM
    assert text(instrument.recall_period) == "the last 2 weeks"
    for item in instrument.scored_items:
        assert tuple(text(option.text) for option in item.options) == FREQUENCY
        assert tuple(option.score for option in item.options) == (0, 1, 2, 3)


def test_no_option_anywhere_is_the_known_copying_error():
    for instrument in all_instruments():
        for item in instrument.items:
            for option in item.options:
                assert "not at all sure" not in text(option.text).lower()


@pytest.mark.parametrize(("instrument_id", "number"), [("gad7", 8), ("phq9", 10)])
def test_the_how_difficult_question_is_last_and_unscored(instrument_id, number):
    instrument = get(instrument_id)
    item = instrument.items[-1]
    assert item.number == number
    assert item.scored is False
    assert item.risk is False
    assert text(item.text) == HOW_DIFFICULT
    assert tuple(text(option.text) for option in item.options) == HOW_DIFFICULT_OPTIONS
    assert [i for i in instrument.items if not i.scored] == [item]


def test_gad2_has_no_how_difficult_question():
    assert all(item.scored for item in get("gad2").items)


def test_whooley_wording():
    whooley = get("whooley")
    assert scored_texts("whooley") == (
        "During the past month, have you often been bothered by feeling down, depressed or "
        "hopeless?",
        "During the past month, have you often been bothered by having little interest or "
        "pleasure in doing things?",
    )
    for item in whooley.items:
        assert [(text(o.text), o.score) for o in item.options] == [("Yes", 1), ("No", 0)]
    assert text(whooley.recall_period) == "the past month"


def test_loneliness_wording():
    assert scored_texts("ucla3") == (
        "How often do you feel that you lack companionship?",
        "How often do you feel left out?",
        "How often do you feel isolated from others?",
    )
    for item in get("ucla3").items:
        assert [(text(o.text), o.score) for o in item.options] == [
            ("Hardly ever or never", 1),
            ("Some of the time", 2),
            ("Often", 3),
        ]
    ons = get("ons_lonely")
    assert scored_texts("ons_lonely") == ("How often do you feel lonely?",)
    assert [text(o.text) for o in ons.items[0].options] == [
        "Often/always",
        "Some of the time",
        "Occasionally",
        "Hardly ever",
        "Never",
    ]


# --- Facts per instrument --------------------------------------------------------------------


FIELDS = (
    "title",
    "recall_period",
    "scoring",
    "min_score",
    "max_score",
    "positive_from",
    "fuller",
    "chart",
    "higher_is",
)
EPDS_TITLE = "Edinburgh Postnatal Depression Scale (EPDS)"
ONS_TITLE = "How often do you feel lonely?"
MOOD = ("phq9", "epds")
FACTS = {
    "whooley": ("Whooley questions", "the past month", "any_yes", 0, 2, None, MOOD, False, "worse"),
    "gad2": ("GAD-2", "the last 2 weeks", "sum", 0, 6, 3, ("gad7",), True, "worse"),
    "gad7": ("GAD-7", "the last 2 weeks", "sum", 0, 21, 10, (), True, "worse"),
    "phq9": ("PHQ-9", "the last 2 weeks", "sum", 0, 27, 10, (), True, "worse"),
    "epds": (EPDS_TITLE, "the past 7 days", "sum", 0, 30, 10, (), True, "worse"),
    "ucla3": ("Loneliness (3 questions)", "", "sum", 3, 9, None, (), True, "worse"),
    "ons_lonely": (ONS_TITLE, "", "category", None, None, None, (), False, ""),
}  # fmt: skip
RISK_ITEMS = {"phq9": (9,), "epds": (10,)}


@pytest.mark.parametrize(("instrument_id", "expected"), FACTS.items())
def test_instrument_facts(instrument_id, expected):
    instrument = get(instrument_id)
    found = {field: getattr(instrument, field) for field in FIELDS}
    found["title"], found["recall_period"] = text(found["title"]), text(found["recall_period"])
    assert found == dict(zip(FIELDS, expected, strict=True))
    assert (instrument.id, instrument.version) == (instrument_id, "1")
    risks = tuple(item.number for item in instrument.items if item.risk)
    assert risks == RISK_ITEMS.get(instrument_id, ())
    assert text(instrument.about)
    for suggested in instrument.fuller:
        assert get(suggested)


def test_every_instrument_is_described():
    assert set(FACTS) == {i.id for i in all_instruments()}


@pytest.mark.parametrize("instrument", all_instruments(), ids=lambda i: i.id)
def test_every_instrument_has_a_licence_and_an_attribution(instrument):
    assert text(instrument.licence).strip()
    assert text(instrument.attribution).strip()


def test_epds_licence_and_attribution_are_the_reference_facts():
    epds = get("epds")
    assert "Royal College of Psychiatrists" in text(epds.licence)
    assert "written permission" in text(epds.licence)
    assert text(epds.attribution).startswith(
        "Cox, Holden & Sagovsky (1987), Br J Psychiatry 150:782-786."
    )
    assert "NICE clinical guideline CG192" in text(get("whooley").attribution)


def test_the_epds_placeholder_is_marked_unlicensed_and_is_placeholder_wording():
    for epds in (get("epds"), instruments.epds()):
        assert epds.text_licensed is False
        assert len(epds.items) == 10
        for item in epds.items:
            assert text(item.text) == f"Question {item.number} of 10 (placeholder wording)"
            assert [text(o.text) for o in item.options] == [
                "Answer A (placeholder)",
                "Answer B (placeholder)",
                "Answer C (placeholder)",
                "Answer D (placeholder)",
            ]
            assert item.scored is True
        assert "placeholder" in text(epds.instructions)
    for instrument in all_instruments():
        if instrument.id != "epds":
            assert instrument.text_licensed is True


# --- Bands -----------------------------------------------------------------------------------

BANDS = {
    "whooley": [(0, 0, "negative"), (1, 2, "positive")],
    "gad2": [(0, 2, "negative"), (3, 6, "positive")],
    "gad7": [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")],
    "phq9": [
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 19, "moderately_severe"),
        (20, 27, "severe"),
    ],
    "epds": [(0, 9, "negative"), (10, 12, "possible"), (13, 30, "probable")],
    "ucla3": [],
    "ons_lonely": [],
}
LABELS = {
    "gad7": ["Minimal", "Mild", "Moderate", "Severe"],
    "phq9": ["Minimal", "Mild", "Moderate", "Moderately severe", "Severe"],
    "epds": ["Below 10", "10 to 12", "13 or more"],  # ranges, never a word like a diagnosis
}


@pytest.mark.parametrize(("instrument_id", "bands"), BANDS.items())
def test_band_edges(instrument_id, bands):
    assert [(b.low, b.high, b.key) for b in get(instrument_id).bands] == bands


@pytest.mark.parametrize(("instrument_id", "labels"), LABELS.items())
def test_band_labels(instrument_id, labels):
    assert [text(b.label) for b in get(instrument_id).bands] == labels


BANDED = [instrument for instrument in all_instruments() if instrument.bands]


def test_the_banded_instruments_are_the_expected_ones():
    assert {i.id for i in BANDED} == {"whooley", "gad2", "gad7", "phq9", "epds"}


@pytest.mark.parametrize("instrument", BANDED, ids=lambda i: i.id)
def test_bands_cover_min_to_max_without_gaps_or_overlaps(instrument):
    covering = {
        total: [b.key for b in instrument.bands if b.low <= total <= b.high]
        for total in range(instrument.min_score - 5, instrument.max_score + 6)
    }
    for total, keys in covering.items():
        inside = instrument.min_score <= total <= instrument.max_score
        assert len(keys) == (1 if inside else 0), (total, keys)
    # The totals the items can really reach are exactly min..max.
    scored = instrument.scored_items
    assert instrument.min_score == sum(min(o.score for o in i.options) for i in scored)
    assert instrument.max_score == sum(max(o.score for o in i.options) for i in scored)


@pytest.mark.parametrize(
    "change",
    [
        lambda i: {"bands": i.bands[:1] + i.bands[2:]},  # a gap
        lambda i: {"bands": (*i.bands, Band(20, 25, "more", "More", "More words."))},  # overlap
        lambda i: {"bands": i.bands[:-1]},  # stops short of the maximum
        lambda i: {"bands": (i.bands[1], i.bands[0], *i.bands[2:])},  # out of order
        lambda i: {"max_score": 20},
        lambda i: {"min_score": 1},
        lambda i: {"positive_from": 22},
        lambda i: {"scoring": "average"},
        lambda i: {"items": i.items[1:]},  # numbering no longer starts at 1
        lambda i: {"items": (*i.items[:-1], dataclasses.replace(i.items[-1], risk=True))},
    ],
)
def test_an_inconsistent_definition_is_refused(change):
    gad7 = get("gad7")
    with pytest.raises(ValueError, match="gad7"):
        dataclasses.replace(gad7, **change(gad7))


def test_instruments_cannot_be_changed():
    with pytest.raises(dataclasses.FrozenInstanceError):
        get("gad7").max_score = 30


FORBIDDEN = ("diagnos", "disorder", "you have depression", "you have anxiety")


@pytest.mark.parametrize(
    ("instrument_id", "band"),
    [(i.id, b) for i in BANDED for b in i.bands],
    ids=lambda value: value if isinstance(value, str) else value.key,
)
def test_band_words_are_plain_and_never_a_diagnosis(instrument_id, band):
    words = text(band.words)
    assert words.strip()
    assert "you" in words.lower()
    for forbidden in FORBIDDEN:
        assert forbidden not in words.lower(), (instrument_id, band.key, forbidden)
    # Her result page shows the label too: it names a range or a degree, never an illness.
    for illness in ("depression", "anxiety", "disorder", "diagnos"):
        assert illness not in text(band.label).lower(), (instrument_id, band.key, illness)
    suggests_help = band.key in {"positive", "possible", "probable"} or (
        instrument_id in {"gad7", "phq9"} and band.low >= 10
    )
    if suggests_help:
        assert "worth talking about with your GP" in words
        assert "health visitor" in words


@pytest.mark.parametrize("instrument", BANDED, ids=lambda i: i.id)
def test_positive_starts_where_the_talking_bands_start(instrument):
    for band in instrument.bands:
        edges = (band.low, band.high)
        results = [score_total(instrument, total).positive for total in edges]
        asks_gp = "worth talking about" in text(band.words)
        assert results == [asks_gp, asks_gp], (instrument.id, band.key)


def score_total(instrument, total):
    """Score answers reaching ``total``: fill items in order with their highest score."""
    answers, left = {}, total - instrument.min_score
    for item in instrument.scored_items:
        by_score = sorted(range(len(item.options)), key=lambda i: item.options[i].score)
        lowest = item.options[by_score[0]].score
        pick = max(
            (i for i in by_score if item.options[i].score - lowest <= left),
            key=lambda i: item.options[i].score,
        )
        answers[item.number] = pick
        left -= item.options[pick].score - lowest
    result = score(instrument, answers)
    assert result.total == total
    return result


# --- Registry --------------------------------------------------------------------------------


def test_all_instruments_are_in_order_short_ones_first():
    found = all_instruments()
    assert [i.id for i in found] == [
        "ons_lonely",
        "whooley",
        "gad2",
        "ucla3",
        "gad7",
        "phq9",
        "epds",
    ]
    lengths = [len(i.scored_items) for i in found]
    assert lengths == sorted(lengths)


def test_the_registry_mapping_matches_get():
    assert list(INSTRUMENTS) == [i.id for i in all_instruments()]
    assert len(INSTRUMENTS) == 7
    assert "gad7" in INSTRUMENTS
    assert "gad-7" not in INSTRUMENTS
    assert INSTRUMENTS["epds"] is get("epds")
    assert INSTRUMENTS.get("nope") is None


@pytest.mark.parametrize("instrument_id", ["nope", "", "EPDS", "gad-7", "phq"])
def test_an_unknown_instrument_is_a_clear_error(instrument_id):
    with pytest.raises(UnknownInstrument) as raised:
        get(instrument_id)
    assert isinstance(raised.value, KeyError)
    assert raised.value.instrument_id == instrument_id
    assert repr(instrument_id) in str(raised.value)
    assert "gad7" in str(raised.value)


def test_get_epds_is_cached_until_reset():
    first = get("epds")
    assert get("epds") is first
    instruments.reset()
    assert get("epds") is not first
    assert get("epds") == first


# --- The EPDS content file -------------------------------------------------------------------


def fixture_data() -> dict:
    return json.loads(FIXTURE.read_text())


def test_the_fixture_holds_no_real_wording():
    data = fixture_data()
    strings = [data["instructions"], data["permission"]]
    for item in data["items"]:
        strings += [item["text"], *item["options"]]
    assert all(s.startswith("FIXTURE") for s in strings)


def test_a_valid_content_file_loads():
    content = load_epds_content(FIXTURE)
    data = fixture_data()
    assert content.instructions == data["instructions"]
    assert content.permission == data["permission"]
    assert [item.text for item in content.items] == [item["text"] for item in data["items"]]
    assert [list(item.options) for item in content.items] == [
        item["options"] for item in data["items"]
    ]
    assert load_epds_content(str(FIXTURE)) == content
    assert parse_epds_content(FIXTURE.read_text()) == content
    assert parse_epds_content(b"\xef\xbb\xbf" + FIXTURE.read_bytes()) == content  # a BOM


def test_with_the_content_file_configured_the_epds_uses_its_words_and_is_licensed():
    data = fixture_data()
    with override_settings(CHECKINS_EPDS_CONTENT_FILE=str(FIXTURE)):
        instruments.reset()
        epds = get("epds")
        assert epds.text_licensed is True
        assert text(epds.instructions) == data["instructions"]
        assert [text(item.text) for item in epds.items] == [i["text"] for i in data["items"]]
        for item, words in zip(epds.items, data["items"], strict=True):
            assert [text(o.text) for o in item.options] == words["options"]
        assert data["permission"] in text(epds.attribution)
        # The scoring still comes from code: item 3's first printed option scores 3.
        assert option_score(epds, 3, 0) == 3
        assert option_score(epds, 1, 0) == 0
        assert [i.number for i in epds.items if i.risk] == [10]
        assert score(epds, dict.fromkeys(range(1, 11), 0)).total == 21
        assert all_instruments()[-1] is epds
    instruments.reset()
    assert get("epds").text_licensed is False


def test_changing_the_setting_alone_rereads_the_content():
    assert get("epds").text_licensed is False
    with override_settings(CHECKINS_EPDS_CONTENT_FILE=str(FIXTURE)):
        assert get("epds").text_licensed is True
    assert get("epds").text_licensed is False


@pytest.mark.parametrize("value", ["", None])
def test_an_empty_setting_means_placeholder_wording(value):
    with override_settings(CHECKINS_EPDS_CONTENT_FILE=value):
        assert configured_epds_content() is None
        assert get("epds").text_licensed is False


def test_an_unset_setting_means_placeholder_wording(settings):
    if hasattr(settings, "CHECKINS_EPDS_CONTENT_FILE"):
        del settings.CHECKINS_EPDS_CONTENT_FILE
    assert configured_epds_content() is None
    assert get("epds").text_licensed is False


def test_a_missing_configured_file_is_a_clear_error_and_the_registry_warns(tmp_path, caplog):
    missing = tmp_path / "epds.json"
    with override_settings(CHECKINS_EPDS_CONTENT_FILE=str(missing)):
        with pytest.raises(EpdsContentError) as raised:
            configured_epds_content()
        message = str(raised.value)
        assert "CHECKINS_EPDS_CONTENT_FILE" in message
        assert str(missing) in message
        assert "not found" in message
        with caplog.at_level(logging.WARNING, logger="peerpath.checkins.instruments"):
            epds = get("epds")
            get("epds")  # cached: warned once
    assert epds.text_licensed is False
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "placeholder" in warnings[0].getMessage()
    assert "not found" in warnings[0].getMessage()


def test_a_directory_is_not_a_content_file(tmp_path):
    with pytest.raises(EpdsContentError, match="not a regular file"):
        load_epds_content(tmp_path)


def replace_in(data: dict, path: tuple, value) -> dict:
    """``data`` with the value at ``path`` (keys and indexes) replaced; DELETE removes it."""
    target = data
    for step in path[:-1]:
        target = target[step]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


DELETE = object()


def changed(path: tuple, value) -> bytes:
    return json.dumps(replace_in(fixture_data(), path, value)).encode()


def with_items(count: int) -> bytes:
    data = fixture_data()
    data["items"] = (data["items"] * 2)[:count]
    return json.dumps(data).encode()


def with_options(count: int) -> bytes:
    data = fixture_data()
    data["items"][3]["options"] = (data["items"][3]["options"] * 2)[:count]
    return json.dumps(data).encode()


def deeply_nested() -> bytes:
    depth = 20_000
    return b'{"instructions": ' + b"[" * depth + b"]" * depth + b"}"


# (raw file bytes, the place named, words the message must contain)
BAD_CONTENT = [
    (FIXTURE.read_bytes() + b" " * MAX_BYTES, "", "too large"),
    (with_items(9), "items", "exactly 10 questions, not 9"),
    (with_items(11), "items", "exactly 10 questions, not 11"),
    (with_items(0), "items", "exactly 10 questions, not 0"),
    (with_options(3), "items[3].options", "exactly 4 answers, not 3"),
    (with_options(5), "items[3].options", "exactly 4 answers, not 5"),
    (changed(("score",), 1), "top level", "unexpected key 'score'"),
    (changed(("items", 3, "scores"), [0, 1, 2, 3]), "items[3]", "unexpected key 'scores'"),
    (changed(("permission",), DELETE), "permission", "missing"),
    (changed(("items", 2, "options"), DELETE), "items[2].options", "missing"),
    (
        changed(("items", 3, "options", 2), 2),
        "items[3].options[2]",
        "must be a string, not a number",
    ),
    (changed(("items", 4, "options", 0), True), "items[4].options[0]", "not true or false"),
    (changed(("items", 0, "text"), None), "items[0].text", "must be a string, not null"),
    (
        changed(("items", 5, "text"), {"en": "x"}),
        "items[5].text",
        "must be a string, not an object",
    ),
    (changed(("items", 6, "text"), [[["x"]]]), "items[6].text", "must be a string, not an array"),
    (
        changed(("items", 1), ["text", ["a", "b", "c", "d"]]),
        "items[1]",
        "must be an object, not an array",
    ),
    (
        changed(("items", 7, "options"), {"0": "a"}),
        "items[7].options",
        "must be an array, not an object",
    ),
    (changed(("items",), {"1": "x"}), "items", "must be an array, not an object"),
    (changed(("instructions",), ""), "instructions", "must not be empty"),
    (changed(("instructions",), "   \n "), "instructions", "must not be empty"),
    (changed(("permission",), "p" * 501), "permission", "at most 500 characters, not 501"),
    (changed(("items", 9, "options", 3), "bell\x07"), "items[9].options[3]", "control characters"),
    (changed(("items", 8, "text"), "\ud800"), "items[8].text", "control characters"),
    (b"[]", "top level", "must be an object, not an array"),
    (b'"just a string"', "top level", "must be an object, not a string"),
    (b'{"instructions": "x",', "", "not valid JSON"),
    (b"", "", "not valid JSON"),
    (b'\xff\xfe{"instructions": "x"}', "", "not UTF-8"),
    (deeply_nested(), "", "nested far too deeply"),
    (b'{"items": [], "items": []}', "", "the key 'items' appears twice"),
    (b'{"instructions": NaN}', "", "NaN is not allowed"),
    (b'{"instructions": ' + b"9" * 5000 + b"}", "", "not valid JSON"),
]


@pytest.mark.parametrize(
    ("raw", "place", "words"), BAD_CONTENT, ids=[f"{w} at {p or 'file'}" for _, p, w in BAD_CONTENT]
)
def test_bad_content_is_a_clear_error_naming_the_place(tmp_path, raw, place, words):
    with pytest.raises(EpdsContentError) as raised:
        parse_epds_content(raw)
    assert raised.value.place == place
    assert words in str(raised.value)
    if place:
        assert str(raised.value).startswith(f"{place}: ")

    file = tmp_path / "epds.json"
    file.write_bytes(raw)
    with pytest.raises(EpdsContentError) as raised:
        load_epds_content(file)
    assert str(raised.value).startswith(f"EPDS content file {file}: ")
    assert words in str(raised.value)
    assert raised.value.place == place


@pytest.mark.parametrize(("raw", "place", "words"), BAD_CONTENT[1:4])
def test_bad_content_is_never_half_loaded(tmp_path, caplog, raw, place, words):
    file = tmp_path / "epds.json"
    file.write_bytes(raw)
    with override_settings(CHECKINS_EPDS_CONTENT_FILE=str(file)), caplog.at_level(logging.WARNING):
        instruments.reset()
        epds = get("epds")
    assert epds == instruments.epds()
    assert epds.text_licensed is False
    assert any(words in r.getMessage() for r in caplog.records)


def test_a_bad_answer_late_in_the_file_leaves_nothing_loaded(tmp_path):
    file = tmp_path / "epds.json"
    file.write_bytes(changed(("items", 9, "options", 3), ""))
    with override_settings(CHECKINS_EPDS_CONTENT_FILE=str(file)):
        instruments.reset()
        epds = get("epds")
    assert all("placeholder" in text(item.text) for item in epds.items)


def test_limits_are_inclusive_and_words_are_trimmed():
    raw = changed(("permission",), "p" * 500)
    assert parse_epds_content(raw).permission == "p" * 500
    raw = changed(("items", 0, "text"), "  Line one\nline two  ")
    assert parse_epds_content(raw).items[0].text == "Line one\nline two"
    padded = FIXTURE.read_bytes()
    padded += b" " * (MAX_BYTES - len(padded))
    assert len(padded) == MAX_BYTES
    assert parse_epds_content(padded) == load_epds_content(FIXTURE)
