"""Leased outboxes: tables of due rows that workers claim, work on and record.

Jobs (``peerpath.jobs.models.Job``) and notification deliveries
(``peerpath.notifications.models.Delivery``) are both outbox rows: written in the transaction
that makes them necessary, claimed by a worker with a lease, retried with back-off, returned
to the queue by the reaper when their worker died, and given up on after ``max_attempts``.
Both build on ``OutboxRow`` and share its states, the claim, the reaper, the back-off and the
outcome recorder below.

The states, one set for every outbox:

- ``pending``: waiting until ``due_at`` (first try, or the next try after a failure);
- ``running``: claimed by ``claimed_by`` until ``lease_until``;
- ``sent``: done (the task ran, or the message left PeerPath);
- ``skipped``: not needed any more, or not possible (switched off, no phone number);
- ``failed``: failed for good; an admin may send it back to the queue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar, Generic, TypeVar

from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import BaseModel

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 60 * 60
LEASE_EXPIRED = "LeaseExpired"
ERROR_MAX_LENGTH = 300


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("In progress")
    SENT = "sent", _("Done")
    SKIPPED = "skipped", _("Not needed")
    FAILED = "failed", _("Failed for good")


class OutboxRow(BaseModel):
    """The fields every leased outbox row has. Concrete models add what the row is about."""

    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    due_at = models.DateTimeField()  # when it is next tried
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=8)
    claimed_by = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=ERROR_MAX_LENGTH, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        constraints: ClassVar[tuple[models.BaseConstraint, ...]] = (
            models.CheckConstraint(
                condition=~Q(status="running") | Q(lease_until__isnull=False),
                name="%(app_label)s_%(class)s_running_has_lease",
            ),
        )


M = TypeVar("M", bound=OutboxRow)


def backoff_seconds(attempts: int) -> int:
    """30 s, 60 s, 2 min, 4 min ... capped at 6 hours."""
    return int(min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def claim_due(
    model: type[M], *, worker_id: str, limit: int, lease_seconds: int, now: dt.datetime
) -> list[M]:
    """Claim up to ``limit`` due rows for this worker, oldest first; each claim is an attempt.

    PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` lets several workers claim side by side
    without waiting for or double-claiming each other's rows. SQLite: the transaction is
    IMMEDIATE, so the whole claim holds the single write lock and claims are serialised; the
    update is conditional on the row still being pending in any case.
    """
    manager = model._default_manager
    with transaction.atomic():
        due = manager.filter(status=OutboxStatus.PENDING, due_at__lte=now).order_by("due_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        manager.filter(pk__in=ids, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.RUNNING,
            claimed_by=worker_id,
            lease_until=now + dt.timedelta(seconds=lease_seconds),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        return list(manager.filter(pk__in=ids, claimed_by=worker_id, status=OutboxStatus.RUNNING))


def reap_expired(model: type[OutboxRow], *, now: dt.datetime) -> int:
    """Return rows whose worker died (lease passed) to the queue, or fail them if spent."""
    manager = model._default_manager
    with transaction.atomic():
        spent = manager.filter(
            status=OutboxStatus.RUNNING, lease_until__lt=now, attempts__gte=F("max_attempts")
        ).update(
            status=OutboxStatus.FAILED,
            lease_until=None,
            claimed_by="",
            last_error=LEASE_EXPIRED,
            finished_at=now,
            updated_at=now,
        )
        returned = manager.filter(status=OutboxStatus.RUNNING, lease_until__lt=now).update(
            status=OutboxStatus.PENDING,
            lease_until=None,
            claimed_by="",
            last_error=LEASE_EXPIRED,
            updated_at=now,
        )
    return int(spent + returned)


def requeue_failed(model: type[OutboxRow], *, pk: int, now: dt.datetime) -> int:
    """Send a row that failed for good back to the queue, due now, with fresh attempts."""
    return int(
        model._default_manager.filter(pk=pk, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING,
            attempts=0,
            due_at=now,
            claimed_by="",
            last_error="",
            finished_at=None,
            updated_at=now,
        )
    )


class Outcome(Generic[M]):
    """Records what happened to rows this worker claimed.

    Every write is conditional on this worker still holding the claim: if its lease ran out
    and the row went to another worker, this worker's late result is not written over theirs.
    Each method takes several rows so that a batch is recorded in one statement.
    """

    def __init__(self, model: type[M], *, worker_id: str, now: dt.datetime) -> None:
        self.model = model
        self.worker_id = worker_id
        self.now = now

    def claimed(self, ids: Iterable[int]) -> models.QuerySet[M]:
        return self.model._default_manager.filter(
            pk__in=list(ids), claimed_by=self.worker_id, status=OutboxStatus.RUNNING
        )

    def sent(self, ids: Iterable[int], **fields: Any) -> int:
        """Done: the task ran, or the message left PeerPath."""
        return int(
            self.claimed(ids).update(
                status=OutboxStatus.SENT,
                finished_at=self.now,
                lease_until=None,
                last_error="",
                updated_at=self.now,
                **fields,
            )
        )

    def skipped(self, ids: Iterable[int], reason: str) -> int:
        """Not needed or not possible: nothing is retried."""
        return int(
            self.claimed(ids).update(
                status=OutboxStatus.SKIPPED,
                finished_at=self.now,
                lease_until=None,
                last_error=reason[:ERROR_MAX_LENGTH],
                updated_at=self.now,
            )
        )

    def wait(self, ids: Iterable[int], *, until: dt.datetime, reason: str) -> int:
        """Not a failure (quiet hours, a provider's 429): due again at ``until``, and the
        attempt the claim counted is given back."""
        return int(
            self.claimed(ids).update(
                status=OutboxStatus.PENDING,
                due_at=until,
                attempts=F("attempts") - 1,
                claimed_by="",
                lease_until=None,
                last_error=reason[:ERROR_MAX_LENGTH],
                updated_at=self.now,
            )
        )

    def failed(self, row: M, *, error: str, permanent: bool = False) -> bool:
        """A failed attempt: retried after a back-off, or failed for good when ``permanent``
        or out of attempts. Returns True when it failed for good."""
        claimed = self.claimed([row.pk])
        error = error[:ERROR_MAX_LENGTH]
        if permanent or row.attempts >= row.max_attempts:
            claimed.update(
                status=OutboxStatus.FAILED,
                finished_at=self.now,
                lease_until=None,
                last_error=error,
                updated_at=self.now,
            )
            return True
        claimed.update(
            status=OutboxStatus.PENDING,
            due_at=self.now + dt.timedelta(seconds=backoff_seconds(row.attempts)),
            claimed_by="",
            lease_until=None,
            last_error=error,
            updated_at=self.now,
        )
        return False
