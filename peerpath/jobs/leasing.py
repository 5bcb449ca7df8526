"""Claiming due rows with a lease, shared by the job queue and the notification outbox.

A model that uses this has ``status``, ``due_at``, ``claimed_by``, ``lease_until`` and
``attempts`` fields, with "pending" and "running" status values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models import F

M = TypeVar("M", bound=models.Model)

PENDING = "pending"
RUNNING = "running"


def claim_due(
    model: type[M],
    *,
    worker_id: str,
    limit: int,
    lease_seconds: int,
    now: dt.datetime,
    extra: dict[str, Any] | None = None,
) -> list[M]:
    """Claim up to ``limit`` due rows for this worker, oldest first.

    PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` lets several workers claim side by side
    without waiting for or double-claiming each other's rows. SQLite: the transaction is
    IMMEDIATE, so the whole claim holds the single write lock and claims are serialised.
    """
    manager = model._default_manager
    with transaction.atomic():
        due = manager.filter(status=PENDING, due_at__lte=now).order_by("due_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        manager.filter(pk__in=ids, status=PENDING).update(
            status=RUNNING,
            claimed_by=worker_id,
            lease_until=now + dt.timedelta(seconds=lease_seconds),
            attempts=F("attempts") + 1,
            updated_at=now,
            **(extra or {}),
        )
        return list(manager.filter(pk__in=ids, claimed_by=worker_id, status=RUNNING))


def reap_expired(model: type[M], *, now: dt.datetime, dead_status: str, error: str) -> int:
    """Return rows whose worker died (lease passed) to the queue, or bury them if spent."""
    manager = model._default_manager
    with transaction.atomic():
        expired = manager.filter(status=RUNNING, lease_until__lt=now)
        spent = expired.filter(attempts__gte=F("max_attempts")).update(
            status=dead_status, lease_until=None, claimed_by="", last_error=error, updated_at=now
        )
        returned = manager.filter(status=RUNNING, lease_until__lt=now).update(
            status=PENDING, lease_until=None, claimed_by="", last_error=error, updated_at=now
        )
    return int(spent + returned)
