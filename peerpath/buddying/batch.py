"""Matches for everyone waiting at once: the best assignment of waiting requests to peer
supporters under their caseloads, beside a greedy pass (oldest request first, each taking her
best remaining suggestion) to compare it with. Pure functions over ``Wish`` and ``Candidate``
values, like ``matching``; the coordinator's page reads them from the database and proposes
only the pairs she ticks (ADR 11).

What the optimum is: a supporter takes at most her ``free`` places (less any she has been
promised already, ``promised``), a pair ``matching.assess`` leaves out is never assigned,
and among the plans that keep to that it matches **as many people as possible first**, then
has the highest total score. Each pair's weight is its score plus a bonus ``B`` greater than
the most points every pair together could have (``1 + best score x most pairs``), so one
more person matched always outweighs any number of points; with every weight positive, the
assignment maximising the total weight is exactly that plan. Because of that order, the
optimum's total score can be lower than greedy's when greedy matches fewer people: what it
never has is fewer people matched, or as many people matched with fewer points.

Scoring every pair with ``matching.assess`` costs about a quarter of a millisecond each,
nearly all of it writing the reasons' words, so 5,000 requests by 500 supporters would take
ten minutes. ``scores`` therefore works the points and the exclusions out for all pairs at once
as arrays, from the same constants and the same rules (``tests/test_batch.py`` checks the two
agree pair by pair on random instances that reach every rule). Each pair a plan keeps is then
assessed by ``assess`` itself: its reasons and its score are the ones a coordinator sees on
her request's page, and a pair ``assess`` leaves out is never in a plan.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]  # no stubs

from peerpath.buddying.choices import REMOTE_MODES, Mode
from peerpath.buddying.matching import (
    COMMON_TIME_POINTS,
    COMMON_TIMES_COUNTED,
    HEADROOM_POINTS,
    SAME_AREA_POINTS,
    SHARED_EXPERIENCE_POINTS,
    SHARED_LANGUAGE_POINTS,
    Candidate,
    Suggestion,
    Wish,
    assess,
)

logger = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
T = TypeVar("T", bound=Hashable)

LEFT_OUT = -1  # in ``scores``: the pair is excluded


@dataclass(frozen=True)
class Pair(Generic[K]):
    """One proposal the plan suggests: a request, a supporter, and why."""

    request: K
    suggestion: Suggestion

    @property
    def candidate(self) -> int:
        return self.suggestion.candidate.key

    @property
    def score(self) -> int:
        return self.suggestion.score


@dataclass(frozen=True)
class Plan(Generic[K]):
    """Pairs in the order of the requests given, and the requests left unmatched."""

    pairs: tuple[Pair[K], ...]
    unmatched: tuple[K, ...]

    @property
    def total(self) -> int:
        return sum(pair.score for pair in self.pairs)

    @property
    def matched(self) -> int:
        return len(self.pairs)


def capacities(
    candidates: Sequence[Candidate], promised: Mapping[int, int] | None = None
) -> NDArray[np.int64]:
    """Places each supporter can still take: her room less the places already promised
    (proposals waiting for her answer), never below nothing."""
    promised = promised or {}
    return np.array(
        [max(0, c.free - promised.get(c.key, 0)) for c in candidates], dtype=np.int64
    ).reshape(len(candidates))


def _shared(rows: Sequence[Iterable[T]], columns: Sequence[Iterable[T]]) -> NDArray[np.int32]:
    """How many values each row has in common with each column (rows x columns)."""
    row_sets = [frozenset(row) for row in rows]
    column_sets = [frozenset(column) for column in columns]
    vocabulary = {
        value: index
        for index, value in enumerate(
            frozenset().union(*row_sets) & frozenset().union(*column_sets)
        )
    }
    found = np.zeros((len(row_sets), len(column_sets)), dtype=np.int32)
    if not vocabulary:
        return found
    left = np.zeros((len(row_sets), len(vocabulary)), dtype=np.float32)
    right = np.zeros((len(vocabulary), len(column_sets)), dtype=np.float32)
    for index, row in enumerate(row_sets):
        left[index, [vocabulary[value] for value in row if value in vocabulary]] = 1
    for index, column in enumerate(column_sets):
        right[[vocabulary[value] for value in column if value in vocabulary], index] = 1
    found[:] = np.rint(left @ right)  # exact: counts far below 2**24
    return found


def scores(wishes: Sequence[Wish], candidates: Sequence[Candidate]) -> NDArray[np.int32]:
    """Every pair's points as ``assess`` gives them, or ``LEFT_OUT`` (wishes x candidates)."""
    ready = np.array([c.ready for c in candidates], dtype=bool)
    free = np.array([c.free for c in candidates], dtype=np.int64)
    limit = np.array([c.limit for c in candidates], dtype=np.int64)
    asks_languages = np.array([bool(w.languages) for w in wishes], dtype=bool)
    languages_known = np.array([bool(c.languages) for c in candidates], dtype=bool)
    in_person = np.array([Mode.IN_PERSON in w.modes for w in wishes], dtype=bool)
    remote = np.array([bool(w.modes & REMOTE_MODES) for w in wishes], dtype=bool)

    languages = _shared([w.languages for w in wishes], [c.languages for c in candidates])
    area = (
        _shared(
            [{w.area.strip().casefold()} - {""} for w in wishes],
            [{place.strip().casefold() for place in c.areas} for c in candidates],
        )
        > 0
    )
    left_out = (
        ~(ready & (free > 0))[None, :]
        # A supporter whose languages are not recorded is flagged by assess, not left out.
        | (asks_languages[:, None] & languages_known[None, :] & (languages == 0))
        | ((in_person & ~remote)[:, None] & ~area)
    )
    index = {c.key: column for column, c in enumerate(candidates)}
    for row, wish in enumerate(wishes):
        for key in wish.not_with | wish.declined_by:
            if key in index:
                left_out[row, index[key]] = True

    points = SHARED_EXPERIENCE_POINTS * _shared(
        [w.experiences for w in wishes], [c.experiences for c in candidates]
    )
    points += SHARED_LANGUAGE_POINTS * languages
    points += SAME_AREA_POINTS * (in_person[:, None] & area)
    points += COMMON_TIME_POINTS * np.minimum(
        _shared([w.availability for w in wishes], [c.availability for c in candidates]),
        COMMON_TIMES_COUNTED,
    )
    points += (HEADROOM_POINTS * (free * 2 >= limit)).astype(np.int32)[None, :]
    points[left_out] = LEFT_OUT
    return points.astype(np.int32)


def _plan(
    wishes: Sequence[tuple[K, Wish]],
    candidates: Sequence[Candidate],
    chosen: Mapping[int, int],
) -> Plan[K]:
    """The plan of ``chosen`` (row -> column), each pair assessed by ``assess`` itself."""
    pairs: list[Pair[K]] = []
    unmatched: list[K] = []
    for row, (key, wish) in enumerate(wishes):
        column = chosen.get(row)
        found = assess(wish, candidates[column]) if column is not None else None
        if isinstance(found, Suggestion):
            pairs.append(Pair(key, found))
            continue
        if found is not None:  # the arrays and assess disagree: never propose it
            logger.error(
                "batch scoring kept a pair assess leaves out",
                extra={"candidate": candidates[column].key if column is not None else None},
            )
        unmatched.append(key)
    return Plan(tuple(pairs), tuple(unmatched))


def greedy(
    wishes: Sequence[tuple[K, Wish]],
    candidates: Sequence[Candidate],
    *,
    promised: Mapping[int, int] | None = None,
    points: NDArray[np.int32] | None = None,
) -> Plan[K]:
    """Requests in the order given (oldest first), each taking her best suggestion among the
    supporters with room left: best score, then most room, then name, as ``suggest`` orders."""
    if points is None:
        points = scores([wish for _key, wish in wishes], candidates)
    room = capacities(candidates, promised)
    if not wishes or not candidates:
        return _plan(wishes, candidates, {})
    order = sorted(range(len(candidates)), key=lambda j: (-candidates[j].free, candidates[j].name))
    # suggest's order as one number: score first, then the place in (most room, name, key).
    behind = np.empty(len(candidates), dtype=np.int64)
    behind[order] = np.arange(len(candidates) - 1, -1, -1)
    ranked = np.where(points >= 0, points.astype(np.int64) * len(candidates) + behind, -1)
    ranked[:, room <= 0] = -1
    chosen: dict[int, int] = {}
    for row in range(len(wishes)):
        column = int(np.argmax(ranked[row]))
        if ranked[row, column] < 0:
            continue
        chosen[row] = column
        room[column] -= 1
        if room[column] == 0:
            ranked[row + 1 :, column] = -1
    return _plan(wishes, candidates, chosen)


def optimal(
    wishes: Sequence[tuple[K, Wish]],
    candidates: Sequence[Candidate],
    *,
    promised: Mapping[int, int] | None = None,
    points: NDArray[np.int32] | None = None,
) -> Plan[K]:
    """The most people matched, then the highest total score, under every caseload (see the
    module's docstring). ``scipy.optimize.linear_sum_assignment`` on a matrix with one column
    per free place: each supporter's column repeated as often as she has room."""
    if points is None:
        points = scores([wish for _key, wish in wishes], candidates)
    room = capacities(candidates, promised)
    allowed = (points >= 0) & (room > 0)[None, :]
    rows = np.flatnonzero(allowed.any(axis=1))
    columns = np.flatnonzero(allowed.any(axis=0))
    if not len(rows):
        return _plan(wishes, candidates, {})
    most_pairs = min(len(rows), int(room[columns].sum()))
    bonus = 1 + int(points.max()) * most_pairs
    weights = points[np.ix_(rows, columns)].astype(np.float64)
    weights += bonus
    weights[~allowed[np.ix_(rows, columns)]] = 0.0  # assigned there means left unmatched
    places = np.repeat(np.arange(len(columns)), room[columns])  # a column for each free place
    assigned_rows, assigned_places = linear_sum_assignment(weights[:, places], maximize=True)
    chosen = {
        int(rows[r]): int(columns[places[p]])
        for r, p in zip(assigned_rows, assigned_places, strict=True)
        if weights[r, places[p]] > 0
    }
    return _plan(wishes, candidates, chosen)
