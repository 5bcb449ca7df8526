"""Who might support her: every ready supporter with room scored against what she asked for,
each point with the reason behind it, and every supporter left out with the reasons why.

Pure functions over plain values, so the coordinator's page, the batch proposal and the
benchmark all use the same rules. A score is never shown without its reasons.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import get_language, gettext

from peerpath.accounts.choices import WEEKDAYS, DayPart, Experience, Language
from peerpath.buddying.choices import REMOTE_MODES, Mode

SHARED_EXPERIENCE_POINTS = 3
SAME_AREA_POINTS = 2
SHARED_LANGUAGE_POINTS = 1
COMMON_TIME_POINTS = 1
COMMON_TIMES_COUNTED = 3
HEADROOM_POINTS = 1

Slot = tuple[str, str]  # ("mon", "morning")


# Suggestions for one request assess every supporter: each wording is translated once per
# language, not once per supporter (gettext was most of the time).
@lru_cache(maxsize=512)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


# The language of the suggestions being made (read once per ``suggest``, not per supporter).
_LANGUAGE: ContextVar[str | None] = ContextVar("matching_language", default=None)


def _active_language() -> str | None:
    return _LANGUAGE.get() or get_language()


def _(message: str) -> str:
    return _translated(_active_language(), message)


_CHOICES = {
    "experience": Experience.choices,
    "language": Language.choices,
    "mode": Mode.choices,
    "day": list(WEEKDAYS),
    "part": DayPart.choices,
}


@lru_cache(maxsize=64)
def _names(kind: str, language: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((key, str(label)) for key, label in _CHOICES[kind])


def slots(availability: dict[str, list[str]] | None) -> frozenset[Slot]:
    """``{"mon": ["morning"]}`` as a set of (day, part of day)."""
    return frozenset(
        (day, part) for day, parts in (availability or {}).items() for part in parts or ()
    )


@dataclass(frozen=True)
class Wish:
    """What she asked for."""

    experiences: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    modes: frozenset[str] = frozenset()
    availability: frozenset[Slot] = frozenset()
    area: str = ""
    not_with: frozenset[int] = frozenset()
    declined_by: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Candidate:
    """A peer supporter as matching sees her (``key`` is her membership's id)."""

    key: int
    name: str
    experiences: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()
    availability: frozenset[Slot] = frozenset()
    active: int = 0
    limit: int = 0
    ready: bool = True
    not_ready_because: tuple[str, ...] = ()

    @property
    def free(self) -> int:
        return self.limit - self.active


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Exclusion:
    candidate: Candidate
    reasons: tuple[str, ...]


@dataclass
class _Scored:
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def _labels(keys: Iterable[str], kind: str) -> list[str]:
    """The labels of ``keys`` in the order the choices list them (unknown keys last)."""
    wanted = set(keys)
    names = _names(kind, _active_language())
    known = [label for key, label in names if key in wanted]
    return known + sorted(wanted - {key for key, _label in names})


def times_words(found: Iterable[Slot]) -> str:
    language = _active_language()
    days = dict(_names("day", language))
    parts = dict(_names("part", language))
    order = list(days)
    part_order = list(parts)
    ordered = sorted(
        (slot for slot in found if slot[0] in days and slot[1] in parts),
        key=lambda slot: (order.index(slot[0]), part_order.index(slot[1])),
    )
    return ", ".join(f"{days[day]} {parts[part].lower()}" for day, part in ordered)


def _experience(wish: Wish, candidate: Candidate, scored: _Scored) -> None:
    shared = wish.experiences & candidate.experiences
    if shared:
        scored.score += SHARED_EXPERIENCE_POINTS * len(shared)
        scored.reasons.append(
            _("Shared experience: %(what)s") % {"what": "; ".join(_labels(shared, "experience"))}
        )
    elif wish.experiences:
        scored.reasons.append(_("None of the experiences she asked for"))


def _language(wish: Wish, candidate: Candidate, scored: _Scored) -> None:
    if not wish.languages:
        return
    if not candidate.languages:
        scored.reasons.append(_("Her languages are not recorded: check before asking"))
        return
    shared = wish.languages & candidate.languages
    if not shared:
        scored.excluded.append(
            _("Speaks none of her languages (%(languages)s)")
            % {"languages": ", ".join(_labels(wish.languages, "language"))}
        )
        return
    scored.score += SHARED_LANGUAGE_POINTS * len(shared)
    scored.reasons.append(
        _("Speaks %(languages)s") % {"languages": ", ".join(_labels(shared, "language"))}
    )


def _place(wish: Wish, candidate: Candidate, scored: _Scored) -> None:
    remote = wish.modes & REMOTE_MODES
    remote_words = ", ".join(label.lower() for label in _labels(remote, "mode"))
    if Mode.IN_PERSON not in wish.modes:
        if remote:
            scored.reasons.append(_("Remote: %(modes)s") % {"modes": remote_words})
        return
    area = wish.area.strip().casefold()
    if area and area in {place.strip().casefold() for place in candidate.areas}:
        scored.score += SAME_AREA_POINTS
        scored.reasons.append(_("Also covers %(area)s, so they can meet") % {"area": wish.area})
    elif remote:
        where = wish.area or _("her area")
        scored.reasons.append(
            _("Not in %(area)s: %(modes)s only") % {"area": where, "modes": remote_words}
        )
    else:
        scored.excluded.append(
            _("Not in %(area)s, and she asked to meet in person")
            % {"area": wish.area or _("her area")}
        )


def _times_in_common(wish: Wish, candidate: Candidate, scored: _Scored) -> None:
    if not wish.availability:
        scored.reasons.append(_("She did not say when she is free"))
        return
    common = wish.availability & candidate.availability
    if not common:
        scored.reasons.append(_("No free times in common"))
        return
    scored.score += COMMON_TIME_POINTS * min(len(common), COMMON_TIMES_COUNTED)
    scored.reasons.append(_("Both free: %(times)s") % {"times": times_words(common)})


def _caseload(candidate: Candidate, scored: _Scored) -> None:
    if candidate.free <= 0:
        scored.excluded.append(
            _("Caseload full (%(active)s of %(limit)s)")
            % {"active": candidate.active, "limit": candidate.limit}
        )
        return
    if candidate.free * 2 >= candidate.limit:
        scored.score += HEADROOM_POINTS
    scored.reasons.append(
        _("Room for %(free)s more (supporting %(active)s of %(limit)s)")
        % {"free": candidate.free, "active": candidate.active, "limit": candidate.limit}
    )


def assess(wish: Wish, candidate: Candidate) -> Suggestion | Exclusion:
    """One supporter for one request: a suggestion with its reasons, or the reasons she is
    left out (all of them, so a coordinator can see what would change it)."""
    scored = _Scored()
    if candidate.key in wish.not_with:
        scored.excluded.append(_("She asked for someone else instead of this supporter"))
    if candidate.key in wish.declined_by:
        scored.excluded.append(_("Said no to this request"))
    if not candidate.ready:
        scored.excluded.extend(candidate.not_ready_because or (_("Not ready to support"),))
    _caseload(candidate, scored)
    _language(wish, candidate, scored)
    _place(wish, candidate, scored)
    if scored.excluded:
        return Exclusion(candidate, tuple(scored.excluded))
    _experience(wish, candidate, scored)
    _times_in_common(wish, candidate, scored)
    return Suggestion(candidate, scored.score, tuple(scored.reasons))


def suggest(
    wish: Wish, candidates: Iterable[Candidate]
) -> tuple[list[Suggestion], list[Exclusion]]:
    """The suggestions, best first (score, then most room, then name), and those left out."""
    suggestions: list[Suggestion] = []
    exclusions: list[Exclusion] = []
    token = _LANGUAGE.set(get_language())
    try:
        for candidate in candidates:
            found = assess(wish, candidate)
            if isinstance(found, Suggestion):
                suggestions.append(found)
            else:
                exclusions.append(found)
    finally:
        _LANGUAGE.reset(token)
    suggestions.sort(key=lambda s: (-s.score, -s.candidate.free, s.candidate.name, s.candidate.key))
    exclusions.sort(key=lambda e: (e.candidate.name, e.candidate.key))
    return suggestions, exclusions
