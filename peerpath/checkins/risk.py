"""Which alert a risk answer raises, and what the people handling it are told.

A risk item (EPDS item 10, PHQ-9 item 9) scoring 1 or more raises an alert whatever the
total. The tier for each score is the organisation's (``RiskTier`` rows, edited in the admin);
without a row, ``DEFAULT_TIERS`` applies: a score of 1 is tier 1, as the clinical reference
sets out; 2 and 3 (the thoughts came more often) are tier 2, for the safeguarding lead to
review at once. The defaults are a design choice each organisation's safeguarding lead
confirms (hazard log H26).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from peerpath.checkins import instruments
from peerpath.checkins.models import RiskTier

if TYPE_CHECKING:
    from peerpath.safeguarding.models import Alert

DEFAULT_TIERS = {1: 1, 2: 2, 3: 2}


def tier_for(organisation_id: int, instrument_id: str, answer_score: int) -> int:
    row = RiskTier.objects.filter(
        organisation_id=organisation_id, instrument=instrument_id, answer_score=answer_score
    ).first()
    if row is not None:
        return int(row.tier)
    return DEFAULT_TIERS[min(max(answer_score, 1), 3)]


def tier_for_answers(
    organisation_id: int, instrument_id: str, found: Sequence[tuple[int, int]]
) -> int:
    """The highest tier any of the risk answers calls for."""
    return max(tier_for(organisation_id, instrument_id, score) for _number, score in found)


def alert_context(
    instrument: instruments.Instrument,
    found: Sequence[tuple[int, int]],
    *,
    earlier: Alert | None = None,
) -> str:
    """What the on-duty person needs: which measure, which question, which answer; and, when
    she changed an answer to one that calls for more, that an earlier alert exists."""
    items = {item.number: item for item in instrument.items}
    parts = []
    for number, score in found:
        item = items[number]
        chosen = next(option.text for option in item.options if option.score == score)
        parts.append(
            f"{instrument.title}, question {number} ({item.text}): "
            f"answered \u201c{chosen}\u201d, scoring {score} of 3."
        )
    words = "Check-in answer. " + " ".join(parts)
    if earlier is not None:
        words += (
            " She changed her answer after an earlier alert from this check-in"
            f" (tier {earlier.tier}, {earlier.get_status_display().lower()})."
        )
    return words
