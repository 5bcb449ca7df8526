"""Numbers for the evaluation: how many alerts came in, from where, how fast someone
acknowledged them, how often they escalated and how many came outside staffed hours.

Counts only: no member, no context. Percentiles are nearest-rank (the smallest time that at
least that share of acknowledged alerts were acknowledged within), so every figure shown is a
time one alert really took.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from peerpath.safeguarding.models import ActionKind, Alert, AlertAction, AlertSource

ESCALATED_DECISIONS = ("backup", "safeguarding leads")


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class AlertNumbers:
    start: dt.datetime
    end: dt.datetime
    total: int
    by_tier: list[Count]
    by_source: list[Count]
    acknowledged: int
    acknowledge_p50: dt.timedelta | None
    acknowledge_p90: dt.timedelta | None
    in_hours_acknowledge_p50: dt.timedelta | None
    in_hours_acknowledge_p90: dt.timedelta | None
    escalated: int
    out_of_hours: int

    @property
    def out_of_hours_percent(self) -> int:
        return round(100 * self.out_of_hours / self.total) if self.total else 0

    @property
    def escalated_percent(self) -> int:
        return round(100 * self.escalated / self.total) if self.total else 0


def percentile(values: list[dt.timedelta], share: float) -> dt.timedelta | None:
    """Nearest rank: the smallest value with at least ``share`` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def alert_numbers(organisation_id: int, *, start: dt.datetime, end: dt.datetime) -> AlertNumbers:
    """The organisation's alerts raised from ``start`` up to ``end``, in one query."""
    escalated = AlertAction.objects.filter(
        alert=OuterRef("pk"), kind=ActionKind.PAGED, decision__in=ESCALATED_DECISIONS
    )
    rows = list(
        Alert.objects.filter(
            organisation_id=organisation_id, created_at__gte=start, created_at__lt=end
        )
        .annotate(escalated=Exists(escalated))
        .order_by()
        .values_list(
            "tier", "source", "created_at", "acknowledged_at", "raised_out_of_hours", "escalated"
        )
    )
    tiers: dict[int, int] = {}
    sources: dict[str, int] = {}
    waits: list[dt.timedelta] = []
    in_hours_waits: list[dt.timedelta] = []
    for tier, source, created_at, acknowledged_at, out_of_hours, _escalated in rows:
        tiers[tier] = tiers.get(tier, 0) + 1
        sources[source] = sources.get(source, 0) + 1
        if acknowledged_at is not None:
            waits.append(acknowledged_at - created_at)
            if not out_of_hours:
                in_hours_waits.append(acknowledged_at - created_at)
    return AlertNumbers(
        start=start,
        end=end,
        total=len(rows),
        by_tier=[Count(_("Tier %(tier)s") % {"tier": t}, tiers.get(t, 0)) for t in (3, 2, 1, 0)],
        by_source=[Count(str(name), sources.get(value, 0)) for value, name in AlertSource.choices],
        acknowledged=len(waits),
        acknowledge_p50=percentile(waits, 0.5),
        acknowledge_p90=percentile(waits, 0.9),
        in_hours_acknowledge_p50=percentile(in_hours_waits, 0.5),
        in_hours_acknowledge_p90=percentile(in_hours_waits, 0.9),
        escalated=sum(1 for row in rows if row[5]),
        out_of_hours=sum(1 for row in rows if row[4]),
    )
