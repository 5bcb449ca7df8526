"""How long a request has waited against the organisation's service levels, in working days
(England and Wales), and the order a coordinators' queue shows them in: risk first, then
those past their service level, then the longest waiting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from peerpath.buddying.models import (
    DEFAULT_FIRST_CONTACT_WITHIN_HOURS,
    DEFAULT_MATCH_WITHIN_WORKING_DAYS,
    MatchingPolicy,
)
from peerpath.core import clock
from peerpath.core.working_days import add_working_days, working_days_between
from peerpath.safeguarding.querysets import members_with_open_alerts

if TYPE_CHECKING:
    from collections.abc import Iterable

    from peerpath.accounts.models import Organisation
    from peerpath.buddying.models import SupportRequest


@dataclass(frozen=True)
class Levels:
    match_within_working_days: int = DEFAULT_MATCH_WITHIN_WORKING_DAYS
    first_contact_within_hours: int = DEFAULT_FIRST_CONTACT_WITHIN_HOURS


def levels_of(organisation: Organisation) -> Levels:
    policy = MatchingPolicy.objects.filter(organisation=organisation).first()
    if policy is None:
        return Levels()
    return Levels(policy.match_within_working_days, policy.first_contact_within_hours)


@dataclass(frozen=True)
class Waiting:
    request: SupportRequest
    asked_on: dt.date
    due_on: dt.date
    waited: int  # working days since she asked
    late: bool
    at_risk: bool  # an alert about her is open

    @property
    def left(self) -> int:
        """Working days left before the service level (0 on the day it is due)."""
        return working_days_between(clock.today(), self.due_on)


def _asked_on(request: SupportRequest) -> dt.date:
    return timezone.localtime(request.created_at).date()


def expected_by(request: SupportRequest, levels: Levels) -> dt.date:
    """The date we aim to have matched her by."""
    return add_working_days(_asked_on(request), levels.match_within_working_days)


def queue(requests: Iterable[SupportRequest], levels: Levels) -> list[Waiting]:
    found = list(requests)
    if not found:
        return []
    today = clock.today()
    at_risk = members_with_open_alerts(
        found[0].organisation_id, [request.member.user_id for request in found]
    )
    rows = []
    for request in found:
        asked_on = _asked_on(request)
        due_on = add_working_days(asked_on, levels.match_within_working_days)
        rows.append(
            Waiting(
                request=request,
                asked_on=asked_on,
                due_on=due_on,
                waited=working_days_between(asked_on, today),
                late=today > due_on,
                at_risk=request.member.user_id in at_risk,
            )
        )
    rows.sort(key=lambda row: (not row.at_risk, not row.late, row.request.created_at))
    return rows
