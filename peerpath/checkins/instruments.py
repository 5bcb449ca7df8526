"""The check-in instruments as data, and the pure functions that score them.

Here: the Whooley questions, GAD-2, GAD-7, PHQ-9, the EPDS and the two ONS loneliness measures
(the UCLA 3-item scale and the direct question), each with its items and options in printed
order, option scores, scoring rule, recall period, bands, risk items, licence and attribution.
Every clinical fact comes from the project's clinical reference (CLINICAL.md, "Instruments")
and is encoded as written there; the band words are plain sentences for her, never a diagnosis.

Answers map an item's number (1-based, as printed) to the chosen option's index (0-based, in
printed order), never to a score: scoring converts through each option's score, which is how
the EPDS's reversed items work. Every scored item must be answered (no pro-rating); unscored
items (the PHQ-9 and GAD-7 "how difficult" question) are optional. A risk item (PHQ-9 item 9,
EPDS item 10) answered above 0 is reported whatever the total, and ``risk_answers`` works on a
partial draft so that a response can start as soon as it is answered.

The EPDS wording is not free, so ``epds()`` builds the structure with placeholder wording
unless given the words an organisation holding permission supplies (``epds_content``); ``get``
returns the EPDS built from the configured content file. No score decides who gets support.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from django.core.signals import setting_changed
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from peerpath.checkins.epds_content import (
    ITEM_COUNT as EPDS_ITEM_COUNT,
)
from peerpath.checkins.epds_content import (
    SETTING as EPDS_CONTENT_SETTING,
)
from peerpath.checkins.epds_content import (
    EpdsContent,
    EpdsContentError,
    configured_epds_content,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

# Scoring rules
ANY_YES: Final = "any_yes"
SUM: Final = "sum"
CATEGORY: Final = "category"
SCORING_RULES: Final = frozenset({ANY_YES, SUM, CATEGORY})
WORSE: Final = "worse"
# A risk item answered with a score of this or more needs a risk response, whatever the total.
RISK_FROM: Final = 1


@dataclass(frozen=True)
class Option:
    """One answer, in printed order; ``score`` is what choosing it scores."""

    text: StrOrPromise
    score: int


@dataclass(frozen=True)
class Item:
    """One question, numbered as printed. Unscored items are optional and never counted."""

    number: int
    text: StrOrPromise
    options: tuple[Option, ...]
    scored: bool = True
    risk: bool = False


@dataclass(frozen=True)
class Band:
    """A range of totals (inclusive), its short label and plain words for her."""

    low: int
    high: int
    key: str
    label: StrOrPromise
    words: StrOrPromise

    def covers(self, total: int) -> bool:
        """Whether ``total`` falls in this band."""
        return self.low <= total <= self.high


@dataclass(frozen=True, kw_only=True)
class Instrument:
    """One instrument, as data. Checked for consistency when it is built."""

    id: str
    version: str
    title: StrOrPromise
    about: StrOrPromise
    instructions: StrOrPromise
    recall_period: StrOrPromise
    items: tuple[Item, ...]
    scoring: str
    bands: tuple[Band, ...]
    min_score: int | None
    max_score: int | None
    positive_from: int | None
    fuller: tuple[str, ...]
    higher_is: str
    licence: StrOrPromise
    attribution: StrOrPromise
    text_licensed: bool = True
    chart: bool

    def __post_init__(self) -> None:
        problem = _definition_problem(self)
        if problem:
            raise ValueError(f"Instrument {self.id!r}: {problem}")

    @property
    def scored_items(self) -> tuple[Item, ...]:
        """The items that count towards the result (all of them must be answered)."""
        return tuple(item for item in self.items if item.scored)

    @property
    def risk_items(self) -> tuple[Item, ...]:
        """The items whose answer above 0 needs a risk response."""
        return tuple(item for item in self.items if item.risk)

    def item(self, number: int) -> Item:
        """The item numbered ``number`` as printed; KeyError if there is none."""
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(number)

    def band_for(self, total: int) -> Band | None:
        """The band ``total`` falls in, or None when the instrument has no bands."""
        for band in self.bands:
            if band.covers(total):
                return band
        return None


def _definition_problem(instrument: Instrument) -> str:  # noqa: PLR0911
    """What is inconsistent in an instrument's definition, or "" when nothing is."""
    if instrument.scoring not in SCORING_RULES:
        return f"unknown scoring rule {instrument.scoring!r}"
    numbers = [item.number for item in instrument.items]
    if numbers != list(range(1, len(numbers) + 1)):
        return f"items must be numbered 1, 2, 3... in printed order, not {numbers}"
    for item in instrument.items:
        if len(item.options) < 2:  # noqa: PLR2004 - a question needs a choice
            return f"item {item.number} needs at least two options"
        if item.risk and not item.scored:
            return f"risk item {item.number} must be scored"
    scored = instrument.scored_items
    if not scored:
        return "no scored items"
    if instrument.scoring == CATEGORY:
        if len(scored) != 1 or instrument.bands or instrument.positive_from is not None:
            return "a category instrument has one scored item, no bands and no positive rule"
        if instrument.min_score is not None or instrument.max_score is not None:
            return "a category instrument has no total"
        return ""
    low = sum(min(option.score for option in item.options) for item in scored)
    high = sum(max(option.score for option in item.options) for item in scored)
    if (instrument.min_score, instrument.max_score) != (low, high):
        return f"totals run {low}-{high}, not {instrument.min_score}-{instrument.max_score}"
    if instrument.scoring == ANY_YES and any(
        option.score not in {0, 1} for item in scored for option in item.options
    ):
        return "yes/no items score 1 for yes and 0 for no"
    if instrument.positive_from is not None and not low <= instrument.positive_from <= high:
        return f"positive_from {instrument.positive_from} is outside {low}-{high}"
    return _bands_problem(instrument.bands, low, high)


def _bands_problem(bands: tuple[Band, ...], low: int, high: int) -> str:
    if not bands:
        return ""
    if len({band.key for band in bands}) != len(bands):
        return "band keys must differ"
    expected = low
    for band in bands:
        if band.low != expected or band.high < band.low:
            return f"bands must run {low}-{high} in order without gaps or overlaps"
        expected = band.high + 1
    if expected != high + 1:
        return f"bands must run {low}-{high} in order without gaps or overlaps"
    return ""


# --- Shared wording --------------------------------------------------------------------------

TWO_WEEKS_STEM: Final = _(
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)
FREQUENCY_OPTIONS: Final = (
    Option(_("Not at all"), 0),
    Option(_("Several days"), 1),
    Option(_("More than half the days"), 2),
    Option(_("Nearly every day"), 3),
)
YES_NO_OPTIONS: Final = (Option(_("Yes"), 1), Option(_("No"), 0))
PHQ_ATTRIBUTION: Final = _(
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc."
)
GP_WORDS: Final = _("That is worth talking about with your GP, midwife or health visitor.")


def _how_difficult(number: int) -> Item:
    """The PHQ screeners' functional question: asked after the others, never scored."""
    return Item(
        number,
        _(
            "If you checked off any problems, how difficult have these problems made it for you "
            "to do your work, take care of things at home, or get along with other people?"
        ),
        (
            Option(_("Not difficult at all"), 0),
            Option(_("Somewhat difficult"), 1),
            Option(_("Very difficult"), 2),
            Option(_("Extremely difficult"), 3),
        ),
        scored=False,
    )


def _words(first: StrOrPromise, then: StrOrPromise) -> StrOrPromise:
    return format_lazy("{} {}", first, then)


def _below_words() -> StrOrPromise:
    return _(
        "Your answers are below the level where talking to your GP, midwife or health visitor "
        "is usually suggested. If something is on your mind, you can still talk to them or to "
        "your peer supporter."
    )


# --- Whooley questions (NICE CG192 1.5.3) ----------------------------------------------------

WHOOLEY: Final = Instrument(
    id="whooley",
    version="1",
    title=_("Whooley questions"),
    about=_("About feeling down and losing interest in things."),
    instructions="",
    recall_period=_("the past month"),
    items=(
        Item(
            1,
            _(
                "During the past month, have you often been bothered by feeling down, depressed "
                "or hopeless?"
            ),
            YES_NO_OPTIONS,
        ),
        Item(
            2,
            _(
                "During the past month, have you often been bothered by having little interest "
                "or pleasure in doing things?"
            ),
            YES_NO_OPTIONS,
        ),
    ),
    scoring=ANY_YES,
    bands=(
        Band(
            0,
            0,
            "negative",
            _("No to both"),
            _(
                "You answered no to both questions. If something is on your mind, you can still "
                "talk to your peer supporter, GP, midwife or health visitor."
            ),
        ),
        Band(
            1,
            2,
            "positive",
            _("Yes to at least one"),
            _words(
                _("You said yes to feeling down or losing interest in things over the past month."),
                GP_WORDS,
            ),
        ),
    ),
    min_score=0,
    max_score=2,
    positive_from=None,
    fuller=("phq9", "epds"),
    higher_is=WORSE,
    licence=_("Free to use."),
    attribution=_("Whooley questions, NICE clinical guideline CG192, recommendation 1.5.3."),
    chart=False,
)

# --- GAD-2 and GAD-7 (PHQ screeners) ---------------------------------------------------------

GAD_ITEM_TEXTS: Final = (
    _("Feeling nervous, anxious or on edge"),
    _("Not being able to stop or control worrying"),
    _("Worrying too much about different things"),
    _("Trouble relaxing"),
    _("Being so restless that it is hard to sit still"),
    _("Becoming easily annoyed or irritable"),
    _("Feeling afraid as if something awful might happen"),
)
GAD_LICENCE: Final = _("Free to reproduce, translate and display (PHQ screeners' terms).")

GAD2: Final = Instrument(
    id="gad2",
    version="1",
    title=_("GAD-2"),
    about=_("About worry and feeling on edge."),
    instructions=TWO_WEEKS_STEM,
    recall_period=_("the last 2 weeks"),
    items=tuple(
        Item(number, text, FREQUENCY_OPTIONS)
        for number, text in enumerate(GAD_ITEM_TEXTS[:2], start=1)
    ),
    scoring=SUM,
    bands=(
        Band(0, 2, "negative", _("Below 3"), _below_words()),
        Band(
            3,
            6,
            "positive",
            _("3 or more"),
            _words(
                _(
                    "Your answers suggest worry or feeling on edge has been bothering you over "
                    "the last 2 weeks."
                ),
                GP_WORDS,
            ),
        ),
    ),
    min_score=0,
    max_score=6,
    positive_from=3,
    fuller=("gad7",),
    higher_is=WORSE,
    licence=GAD_LICENCE,
    attribution=PHQ_ATTRIBUTION,
    chart=True,
)

GAD7: Final = Instrument(
    id="gad7",
    version="1",
    title=_("GAD-7"),
    about=_("About worry and feeling on edge."),
    instructions=TWO_WEEKS_STEM,
    recall_period=_("the last 2 weeks"),
    items=(
        *(
            Item(number, text, FREQUENCY_OPTIONS)
            for number, text in enumerate(GAD_ITEM_TEXTS, start=1)
        ),
        _how_difficult(len(GAD_ITEM_TEXTS) + 1),
    ),
    scoring=SUM,
    bands=(
        Band(
            0,
            4,
            "minimal",
            _("Minimal"),
            _(
                "Your answers suggest worry has bothered you little, if at all, over the last "
                "2 weeks."
            ),
        ),
        Band(
            5,
            9,
            "mild",
            _("Mild"),
            _(
                "Your answers suggest worry or feeling on edge has bothered you a little over "
                "the last 2 weeks. It can help to keep an eye on it and to talk to someone you "
                "trust, such as your peer supporter."
            ),
        ),
        Band(
            10,
            14,
            "moderate",
            _("Moderate"),
            _words(
                _(
                    "Your answers suggest worry or feeling on edge has been bothering you quite "
                    "a lot over the last 2 weeks."
                ),
                GP_WORDS,
            ),
        ),
        Band(
            15,
            21,
            "severe",
            _("Severe"),
            _words(
                _(
                    "Your answers suggest worry or feeling on edge has been bothering you a lot "
                    "over the last 2 weeks."
                ),
                GP_WORDS,
            ),
        ),
    ),
    min_score=0,
    max_score=21,
    positive_from=10,
    fuller=(),
    higher_is=WORSE,
    licence=GAD_LICENCE,
    attribution=PHQ_ATTRIBUTION,
    chart=True,
)

# --- PHQ-9 (PHQ screeners) -------------------------------------------------------------------

PHQ9_ITEM_TEXTS: Final = (
    _("Little interest or pleasure in doing things"),
    _("Feeling down, depressed, or hopeless"),
    _("Trouble falling or staying asleep, or sleeping too much"),
    _("Feeling tired or having little energy"),
    _("Poor appetite or overeating"),
    _(
        "Feeling bad about yourself - or that you are a failure or have let yourself or your "
        "family down"
    ),
    _("Trouble concentrating on things, such as reading the newspaper or watching television"),
    _(
        "Moving or speaking so slowly that other people could have noticed? Or the opposite - "
        "being so fidgety or restless that you have been moving around a lot more than usual"
    ),
    _("Thoughts that you would be better off dead or of hurting yourself in some way"),
)
PHQ9_RISK_ITEM: Final = 9

PHQ9: Final = Instrument(
    id="phq9",
    version="1",
    title=_("PHQ-9"),
    about=_("About low mood and how you have been feeling."),
    instructions=TWO_WEEKS_STEM,
    recall_period=_("the last 2 weeks"),
    items=(
        *(
            Item(number, text, FREQUENCY_OPTIONS, risk=number == PHQ9_RISK_ITEM)
            for number, text in enumerate(PHQ9_ITEM_TEXTS, start=1)
        ),
        _how_difficult(len(PHQ9_ITEM_TEXTS) + 1),
    ),
    scoring=SUM,
    bands=(
        Band(
            0,
            4,
            "minimal",
            _("Minimal"),
            _(
                "Your answers suggest low mood has bothered you little, if at all, over the last "
                "2 weeks."
            ),
        ),
        Band(
            5,
            9,
            "mild",
            _("Mild"),
            _(
                "Your answers suggest you have been feeling low or less interested in things a "
                "little over the last 2 weeks. It can help to keep an eye on it and to talk to "
                "someone you trust, such as your peer supporter."
            ),
        ),
        Band(
            10,
            14,
            "moderate",
            _("Moderate"),
            _words(
                _(
                    "Your answers suggest you have been feeling low quite a lot over the last "
                    "2 weeks."
                ),
                GP_WORDS,
            ),
        ),
        Band(
            15,
            19,
            "moderately_severe",
            _("Moderately severe"),
            _words(
                _("Your answers suggest you have been feeling low a lot over the last 2 weeks."),
                GP_WORDS,
            ),
        ),
        Band(
            20,
            27,
            "severe",
            _("Severe"),
            _words(
                _(
                    "Your answers suggest you have been feeling very low most days over the last "
                    "2 weeks."
                ),
                GP_WORDS,
            ),
        ),
    ),
    min_score=0,
    max_score=27,
    positive_from=10,
    fuller=(),
    higher_is=WORSE,
    licence=_("Free to use."),
    attribution=PHQ_ATTRIBUTION,
    chart=True,
)

# --- EPDS: structure and scoring only; the wording is licensed -------------------------------

EPDS_ID: Final = "epds"
EPDS_OPTION_LETTERS: Final = ("A", "B", "C", "D")
# Items 1, 2 and 4 score 0, 1, 2, 3 in printed order; the others 3, 2, 1, 0.
EPDS_FORWARD_ITEMS: Final = frozenset({1, 2, 4})
EPDS_FORWARD_SCORES: Final = (0, 1, 2, 3)
EPDS_REVERSED_SCORES: Final = (3, 2, 1, 0)
EPDS_RISK_ITEM: Final = 10
EPDS_ATTRIBUTION: Final = _("Cox, Holden & Sagovsky (1987), Br J Psychiatry 150:782-786.")
EPDS_LICENCE: Final = _(
    "The item text is not free: the Royal College of Psychiatrists requires written permission "
    "to republish it online. PeerPath ships the structure and scoring only; the wording comes "
    "from a local content file supplied by an organisation holding permission."
)
EPDS_BANDS: Final = (
    Band(0, 9, "negative", _("Below 10"), _below_words()),
    Band(
        10,
        12,
        "possible",
        # UK practice calls 10+ "possible" and 13+ "probable" depression; she is shown the
        # range, never a word that reads as a diagnosis (hazard H27).
        _("10 to 12"),
        _words(
            _("Your answers suggest you may have been feeling low over the past 7 days."),
            GP_WORDS,
        ),
    ),
    Band(
        13,
        30,
        "probable",
        _("13 or more"),
        _words(
            _("Your answers suggest you have been feeling low a lot over the past 7 days."),
            GP_WORDS,
        ),
    ),
)


def epds(content: EpdsContent | None = None) -> Instrument:
    """The EPDS, with the licensed words from ``content`` or, without it, placeholder wording.

    Only words come from ``content``; the scores, the risk item and the bands are fixed here.
    """
    items = []
    for number in range(1, EPDS_ITEM_COUNT + 1):
        scores = EPDS_FORWARD_SCORES if number in EPDS_FORWARD_ITEMS else EPDS_REVERSED_SCORES
        text: StrOrPromise
        option_texts: tuple[StrOrPromise, ...]
        if content is None:
            text = format_lazy(
                _("Question {number} of {count} (placeholder wording)"),
                number=number,
                count=EPDS_ITEM_COUNT,
            )
            option_texts = tuple(
                format_lazy(_("Answer {letter} (placeholder)"), letter=letter)
                for letter in EPDS_OPTION_LETTERS
            )
        else:
            words = content.items[number - 1]
            text, option_texts = words.text, words.options
        options = tuple(
            Option(option_text, option_score)
            for option_text, option_score in zip(option_texts, scores, strict=True)
        )
        items.append(Item(number, text, options, risk=number == EPDS_RISK_ITEM))
    return Instrument(
        id=EPDS_ID,
        version="1",
        title=_("Edinburgh Postnatal Depression Scale (EPDS)"),
        about=_("About low mood and how you have been feeling."),
        instructions=(
            _("Instructions (placeholder wording)") if content is None else content.instructions
        ),
        recall_period=_("the past 7 days"),
        items=tuple(items),
        scoring=SUM,
        bands=EPDS_BANDS,
        min_score=0,
        max_score=30,
        positive_from=10,
        fuller=(),
        higher_is=WORSE,
        licence=EPDS_LICENCE,
        attribution=(
            EPDS_ATTRIBUTION
            if content is None
            else _words(
                EPDS_ATTRIBUTION,
                format_lazy(
                    _("Wording used with permission: {permission}"),
                    permission=content.permission,
                ),
            )
        ),
        text_licensed=content is not None,
        chart=True,
    )


# --- Loneliness (ONS national indicators) ----------------------------------------------------

LONELINESS_LICENCE: Final = _(
    "Licence not recorded in PeerPath's clinical reference: to be confirmed before release."
)

UCLA3: Final = Instrument(
    id="ucla3",
    version="1",
    title=_("Loneliness (3 questions)"),
    about=_("About feeling lonely or left out."),
    instructions="",
    recall_period="",
    items=tuple(
        Item(
            number,
            text,
            (
                Option(_("Hardly ever or never"), 1),
                Option(_("Some of the time"), 2),
                Option(_("Often"), 3),
            ),
        )
        for number, text in enumerate(
            (
                _("How often do you feel that you lack companionship?"),
                _("How often do you feel left out?"),
                _("How often do you feel isolated from others?"),
            ),
            start=1,
        )
    ),
    scoring=SUM,
    bands=(),
    min_score=3,
    max_score=9,
    positive_from=None,
    fuller=(),
    higher_is=WORSE,
    licence=LONELINESS_LICENCE,
    attribution=_("UCLA 3-item loneliness scale, as used in the ONS national indicators."),
    chart=True,
)

ONS_LONELY: Final = Instrument(
    id="ons_lonely",
    version="1",
    title=_("How often do you feel lonely?"),
    about=_("About how often you feel lonely."),
    instructions="",
    recall_period="",
    items=(
        Item(
            1,
            _("How often do you feel lonely?"),
            tuple(
                Option(text, position)
                for position, text in enumerate(
                    (
                        _("Often/always"),
                        _("Some of the time"),
                        _("Occasionally"),
                        _("Hardly ever"),
                        _("Never"),
                    )
                )
            ),
        ),
    ),
    scoring=CATEGORY,
    bands=(),
    min_score=None,
    max_score=None,
    positive_from=None,
    fuller=(),
    higher_is="",
    licence=LONELINESS_LICENCE,
    attribution=_("ONS national indicators of loneliness: the direct question."),
    chart=False,
)

# --- Registry --------------------------------------------------------------------------------

# Short ones first.
ORDER: Final = ("ons_lonely", "whooley", "gad2", "ucla3", "gad7", "phq9", EPDS_ID)
_FIXED: Final[dict[str, Instrument]] = {
    instrument.id: instrument for instrument in (ONS_LONELY, WHOOLEY, GAD2, UCLA3, GAD7, PHQ9)
}


class UnknownInstrument(KeyError):  # noqa: N818 - the name the callers use
    """No instrument has this id."""

    def __init__(self, instrument_id: str) -> None:
        super().__init__(instrument_id)
        self.instrument_id = instrument_id

    def __str__(self) -> str:
        return (
            f"No check-in instrument has the id {self.instrument_id!r} (known: {', '.join(ORDER)})."
        )


def get(instrument_id: str) -> Instrument:
    """The instrument with this id; the EPDS comes with the configured wording (cached)."""
    if instrument_id == EPDS_ID:
        return _configured_epds()
    try:
        return _FIXED[instrument_id]
    except (KeyError, TypeError):
        raise UnknownInstrument(str(instrument_id)) from None


def all_instruments() -> tuple[Instrument, ...]:
    """Every instrument, short ones first."""
    return tuple(get(instrument_id) for instrument_id in ORDER)


@lru_cache(maxsize=1)
def _configured_epds() -> Instrument:
    try:
        content = configured_epds_content()
    except EpdsContentError as error:
        logger.warning(
            "The EPDS wording could not be loaded; showing placeholder wording: %s", error
        )
        content = None
    return epds(content)


def reset() -> None:
    """Forget the cached EPDS so the content file is read again (tests, or a changed file)."""
    _configured_epds.cache_clear()


def _on_setting_changed(sender: object, *, setting: str, **kwargs: object) -> None:
    if setting == EPDS_CONTENT_SETTING:
        reset()


setting_changed.connect(_on_setting_changed, dispatch_uid="checkins.instruments.epds_content")


class _Registry(Mapping[str, Instrument]):
    """Read-only id -> instrument, in ``ORDER``; the EPDS entry follows ``get``."""

    def __getitem__(self, instrument_id: str) -> Instrument:
        return get(instrument_id)

    def __iter__(self) -> Iterator[str]:
        return iter(ORDER)

    def __len__(self) -> int:
        return len(ORDER)


INSTRUMENTS: Final[Mapping[str, Instrument]] = _Registry()


# --- Scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What a completed check-in scored. ``category`` is the chosen answer (ONS) or ""."""

    instrument_id: str
    version: str
    total: int | None
    band: Band | None
    positive: bool
    risk_answers: tuple[tuple[int, int], ...]
    category: str
    suggest: tuple[str, ...]

    @property
    def risk(self) -> bool:
        """Whether any risk item scored 1 or more (a risk response, whatever the total)."""
        return bool(self.risk_answers)


class InvalidAnswer(ValueError):  # noqa: N818 - reads as what is wrong
    """An answer names no item of the instrument, or no option of its item."""


class IncompleteAnswers(ValueError):  # noqa: N818 - reads as what is wrong
    """Scored items are unanswered; ``missing`` holds their numbers."""

    def __init__(self, instrument_id: str, missing: tuple[int, ...]) -> None:
        self.missing = missing
        super().__init__(
            f"{instrument_id}: every scored item must be answered; "
            f"unanswered: {', '.join(str(number) for number in missing)}."
        )


def _shown(value: object) -> str:
    limit = 40
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _chosen(instrument: Instrument, answers: Mapping[int, int]) -> dict[int, tuple[Item, Option]]:
    """Each answered item with its chosen option; InvalidAnswer on anything else."""
    if not isinstance(answers, Mapping):
        raise InvalidAnswer(f"{instrument.id}: answers must map item numbers to option indexes.")
    return {number: _choice(instrument, number, index) for number, index in answers.items()}


def _choice(instrument: Instrument, number: object, index: object) -> tuple[Item, Option]:
    if not isinstance(number, int) or isinstance(number, bool):
        raise InvalidAnswer(f"{instrument.id}: {_shown(number)} is not an item number.")
    try:
        item = instrument.item(number)
    except KeyError:
        raise InvalidAnswer(f"{instrument.id} has no item {number}.") from None
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(item.options):
        raise InvalidAnswer(
            f"{instrument.id} item {number}: the answer must be an option index from 0 to "
            f"{len(item.options) - 1}, not {_shown(index)}."
        )
    return item, item.options[index]


def option_score(instrument: Instrument, item_number: int, index: int) -> int:
    """What choosing option ``index`` (0-based, printed order) on item ``item_number`` scores."""
    return _choice(instrument, item_number, index)[1].score


def _risk_answers(
    instrument: Instrument, chosen: Mapping[int, tuple[Item, Option]]
) -> tuple[tuple[int, int], ...]:
    return tuple(
        (item.number, chosen[item.number][1].score)
        for item in instrument.risk_items
        if item.number in chosen and chosen[item.number][1].score >= RISK_FROM
    )


def risk_answers(instrument: Instrument, answers: Mapping[int, int]) -> tuple[tuple[int, int], ...]:
    """(item number, score) of each risk item answered with a score of 1 or more.

    Works on partial answers (a draft), so a risk response can start as soon as the risk item
    is answered, before the rest and before any total.
    """
    return _risk_answers(instrument, _chosen(instrument, answers))


def score(instrument: Instrument, answers: Mapping[int, int]) -> Result:
    """Score complete answers (item number -> option index). No pro-rating."""
    chosen = _chosen(instrument, answers)
    missing = tuple(item.number for item in instrument.scored_items if item.number not in chosen)
    if missing:
        raise IncompleteAnswers(instrument.id, missing)
    scored = [chosen[item.number][1] for item in instrument.scored_items]
    risks = _risk_answers(instrument, chosen)
    if instrument.scoring == CATEGORY:
        return Result(
            instrument_id=instrument.id,
            version=instrument.version,
            total=None,
            band=None,
            positive=False,
            risk_answers=risks,
            category=str(scored[0].text),
            suggest=(),
        )
    total = sum(option.score for option in scored)
    if instrument.scoring == ANY_YES:
        positive = any(option.score >= 1 for option in scored)
    else:
        positive = instrument.positive_from is not None and total >= instrument.positive_from
    return Result(
        instrument_id=instrument.id,
        version=instrument.version,
        total=total,
        band=instrument.band_for(total),
        positive=positive,
        risk_answers=risks,
        category="",
        suggest=instrument.fuller if positive else (),
    )
