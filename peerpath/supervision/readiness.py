"""Whether a peer supporter is ready to be matched, worked out from her records: never a tick
box. This is the API matching calls.

Ready, on ``today``, means all of:

- every training module her organisation requires for matching (and still uses) completed,
  and not expired: a completion counts until the day before its ``expires_on``;
- her newest background check is clear, and ``today`` is not after its renew-by date;
- a supervision session held within her organisation's interval: with the last one on day D
  and an interval of N days, she is ready up to and including day D + N.

A debrief due after an alert does not stop her being ready; it shows on her page and her
coordinators'. Each reason she is not ready is a plain sentence for a coordinator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership
from peerpath.core import clock
from peerpath.supervision.models import (
    DEFAULT_INTERVAL_DAYS,
    BackgroundCheck,
    CheckOutcome,
    SupervisionPolicy,
    SupervisionSession,
    TrainingCompletion,
    TrainingModule,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

EXPIRING_WITHIN_DAYS = 30


@dataclass(frozen=True)
class Readiness:
    ready: bool
    missing: tuple[str, ...]  # plain sentences for a coordinator; empty when ready


@dataclass(frozen=True)
class TrainingState:
    """One module in use, and the completion of it that counts longest (if any)."""

    module: TrainingModule
    completion: TrainingCompletion | None
    current: bool  # completed and not expired on the day asked about
    expiring_soon: bool  # current, and expires within ``EXPIRING_WITHIN_DAYS``

    @property
    def expires_on(self) -> dt.date | None:
        return self.completion.expires_on if self.completion is not None else None


@dataclass(frozen=True)
class Standing:
    """Everything readiness looked at for one peer supporter, for the pages that show it."""

    readiness: Readiness
    training: tuple[TrainingState, ...]
    check: BackgroundCheck | None
    check_current: bool
    last_supervision: dt.date | None
    interval_days: int
    supervision_due: dt.date | None  # the last day a session keeps her ready; None: never held

    @property
    def expiring_soon(self) -> tuple[TrainingState, ...]:
        return tuple(state for state in self.training if state.expiring_soon)

    def supervision_overdue(self, today: dt.date) -> bool:
        return self.supervision_due is None or today > self.supervision_due


def day(value: dt.date) -> str:
    """A date as coordinators read it: 3 March 2026."""
    return date_format(value, "j F Y")


def _counts_longest(completion: TrainingCompletion) -> tuple[bool, dt.date, dt.date]:
    return (
        completion.expires_on is None,
        completion.expires_on or dt.date.min,
        completion.completed_on,
    )


def _current(completion: TrainingCompletion | None, today: dt.date) -> bool:
    if completion is None or completion.completed_on > today:
        return False
    return completion.expires_on is None or today < completion.expires_on


def _training(
    modules: Iterable[TrainingModule],
    completions: dict[int, TrainingCompletion],
    today: dt.date,
) -> tuple[TrainingState, ...]:
    soon = today + dt.timedelta(days=EXPIRING_WITHIN_DAYS)
    states = []
    for module in modules:
        completion = completions.get(module.pk)
        current = _current(completion, today)
        expires_on = completion.expires_on if completion is not None else None
        states.append(
            TrainingState(
                module=module,
                completion=completion,
                current=current,
                expiring_soon=current and expires_on is not None and expires_on <= soon,
            )
        )
    return tuple(states)


def _training_missing(states: Iterable[TrainingState]) -> list[str]:
    missing = []
    for state in states:
        if not state.module.required_for_matching or state.current:
            continue
        if state.completion is not None and state.completion.expires_on is not None:
            missing.append(
                _("%(module)s expired on %(date)s")
                % {"module": state.module.name, "date": day(state.completion.expires_on)}
            )
        else:
            missing.append(_("%(module)s not completed") % {"module": state.module.name})
    return missing


def _check_missing(check: BackgroundCheck | None, today: dt.date) -> list[str]:
    if check is None:
        return [_("No background check recorded")]
    if check.outcome != CheckOutcome.CLEAR:
        return [
            _("The latest background check (%(kind)s, %(date)s) was not clear")
            % {"kind": check.kind, "date": day(check.checked_on)}
        ]
    if check.renew_by is not None and today > check.renew_by:
        return [
            _("Background check (%(kind)s) was due to be renewed by %(date)s")
            % {"kind": check.kind, "date": day(check.renew_by)}
        ]
    return []


def _supervision_missing(last: dt.date | None, interval: int, today: dt.date) -> list[str]:
    if last is None:
        return [_("No supervision recorded yet")]
    if today > last + dt.timedelta(days=interval):
        return [
            _("Last supervision was %(date)s; it is due every %(days)s days")
            % {"date": day(last), "days": interval}
        ]
    return []


def standing_of(
    supporters: Sequence[Membership], *, today: dt.date | None = None
) -> dict[int, Standing]:
    """What readiness sees for each supporter, keyed by Membership.pk: five queries however
    many supporters (none for none)."""
    if not supporters:
        return {}
    today = today or clock.today()
    ids = [membership.pk for membership in supporters]
    organisation_ids = {membership.organisation_id for membership in supporters}

    modules_by_organisation: dict[int, list[TrainingModule]] = {}
    for module in TrainingModule.objects.filter(
        organisation_id__in=organisation_ids, in_use=True
    ).order_by("name", "pk"):
        modules_by_organisation.setdefault(module.organisation_id, []).append(module)

    best: dict[tuple[int, int], TrainingCompletion] = {}
    for completion in TrainingCompletion.objects.filter(
        supporter_id__in=ids,
        completed_on__lte=today,
        module__organisation_id__in=organisation_ids,
        module__in_use=True,
    ):
        key = (completion.supporter_id, completion.module_id)
        if key not in best or _counts_longest(completion) > _counts_longest(best[key]):
            best[key] = completion

    newest_check: dict[int, BackgroundCheck] = {}
    check: BackgroundCheck | None
    for check in BackgroundCheck.objects.filter(
        supporter_id__in=ids, checked_on__lte=today
    ).order_by("supporter_id", "-checked_on", "-created_at", "-pk"):
        newest_check.setdefault(check.supporter_id, check)

    last_session: dict[int, dt.date] = {
        row["supporter_id"]: row["last"]
        for row in SupervisionSession.objects.filter(supporter_id__in=ids, held_on__lte=today)
        .order_by()
        .values("supporter_id")
        .annotate(last=Max("held_on"))
    }
    intervals = dict(
        SupervisionPolicy.objects.filter(organisation_id__in=organisation_ids).values_list(
            "organisation_id", "interval_days"
        )
    )

    found: dict[int, Standing] = {}
    for membership in supporters:
        modules = modules_by_organisation.get(membership.organisation_id, [])
        completions = {
            module.pk: best[(membership.pk, module.pk)]
            for module in modules
            if (membership.pk, module.pk) in best
        }
        training = _training(modules, completions, today)
        check = newest_check.get(membership.pk)
        last = last_session.get(membership.pk)
        interval = intervals.get(membership.organisation_id, DEFAULT_INTERVAL_DAYS)
        missing: list[str] = []
        if membership.ended_at is not None or membership.role != Role.PEER_SUPPORTER:
            missing.append(_("Not a peer supporter of this organisation now"))
        missing += _training_missing(training)
        check_missing = _check_missing(check, today)
        missing += check_missing
        missing += _supervision_missing(last, interval, today)
        found[membership.pk] = Standing(
            readiness=Readiness(ready=not missing, missing=tuple(missing)),
            training=training,
            check=check,
            check_current=not check_missing,
            last_supervision=last,
            interval_days=interval,
            supervision_due=last + dt.timedelta(days=interval) if last is not None else None,
        )
    return found


def supervision_interval(organisation_id: int) -> int:
    """Days between supervision sessions in this organisation (its policy, else the default)."""
    found = (
        SupervisionPolicy.objects.filter(organisation_id=organisation_id)
        .values_list("interval_days", flat=True)
        .first()
    )
    return found if found is not None else DEFAULT_INTERVAL_DAYS


def readiness_of(
    supporters: Sequence[Membership], *, today: dt.date | None = None
) -> dict[int, Readiness]:
    """Keyed by Membership.pk. A constant number of queries however many supporters."""
    return {pk: standing.readiness for pk, standing in standing_of(supporters, today=today).items()}


def caseload_limits(supporters: Sequence[Membership]) -> dict[int, int]:
    """SupporterProfile.capacity when set, else the organisation's default_caseload. One
    query however many supporters (none for none)."""
    if not supporters:
        return {}
    rows = Membership.objects.filter(pk__in=[m.pk for m in supporters]).values_list(
        "pk", "supporter_profile__capacity", "organisation__default_caseload"
    )
    return {pk: capacity if capacity is not None else default for pk, capacity, default in rows}
