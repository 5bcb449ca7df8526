"""Queueing, claiming, finishing and reaping jobs. The worker is a loop over these."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.core import clock
from peerpath.jobs.models import Job, OutboxStatus, PeriodicSchedule
from peerpath.jobs.outbox import Outcome, claim_due, reap_expired, requeue_failed
from peerpath.jobs.registry import get_task, periodic_tasks

if TYPE_CHECKING:
    from peerpath.accounts.models import Organisation
    from peerpath.core.actors import Actor

logger = logging.getLogger(__name__)


class RetryLater(Exception):  # noqa: N818 - reads as an instruction: "retry later"
    """Raised by a task that must wait (a provider's 429, quiet hours): not a failure.

    The job goes back to the queue due in ``seconds`` and the attempt is not counted.
    """

    def __init__(self, seconds: float, reason: str = "") -> None:
        super().__init__(reason or f"retry in {seconds} s")
        self.seconds = max(float(seconds), 0.0)
        self.reason = reason


def job_enqueue(
    *,
    task: str,
    arguments: dict[str, Any] | None = None,
    due_at: dt.datetime | None = None,
    idempotency_key: str | None = None,
    max_attempts: int = 8,
    organisation: Organisation | None = None,
) -> Job:
    """Queue a task. Call it inside the transaction that makes the job necessary.

    The row is part of that transaction, so the job exists exactly when the change it follows
    from was committed (a transactional outbox): a rollback leaves no job, and no worker can
    see the job before the data it needs. With an ``idempotency_key`` already queued, the
    existing job is returned and nothing new is queued.
    """
    get_task(task)  # fail at the call site, not in the worker, on an unknown name
    if idempotency_key:
        existing = Job.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Job.objects.create(
                task=task,
                arguments=arguments or {},
                due_at=due_at or clock.now(),
                idempotency_key=idempotency_key,
                max_attempts=max_attempts,
                organisation=organisation,
            )
    except IntegrityError:
        if idempotency_key:
            return Job.objects.get(idempotency_key=idempotency_key)
        raise


def jobs_claim(*, worker_id: str, limit: int, lease_seconds: int) -> list[Job]:
    """Claim up to ``limit`` due jobs for this worker (see ``outbox.claim_due``)."""
    return claim_due(
        Job, worker_id=worker_id, limit=limit, lease_seconds=lease_seconds, now=clock.now()
    )


def job_run(*, job: Job, worker_id: str) -> bool:
    """Run one claimed job and record the outcome. Returns True when it succeeded.

    Recording is conditional on this worker still holding the claim: if the lease ran out
    and the job was handed to another worker, this worker's result is not written over theirs.
    """
    try:
        get_task(job.task)(**job.arguments)
    except RetryLater as wait:
        now = clock.now()
        Outcome(Job, worker_id=worker_id, now=now).wait(
            [job.pk], until=now + dt.timedelta(seconds=wait.seconds), reason=wait.reason
        )
        return False
    except Exception as exc:  # noqa: BLE001 - any failure of a task is recorded and retried
        _record_failure(job=job, worker_id=worker_id, error=exc)
        return False
    Outcome(Job, worker_id=worker_id, now=clock.now()).sent([job.pk])
    return True


def _record_failure(*, job: Job, worker_id: str, error: Exception) -> None:
    # Only the exception's type goes in the record and the log: its text may hold personal data.
    summary = type(error).__name__
    if Outcome(Job, worker_id=worker_id, now=clock.now()).failed(job, error=summary):
        logger.error("Job %s (%s) failed for good: %s", job.public_id, job.task, summary)
        return
    logger.warning(
        "Job %s (%s) failed on attempt %s: %s; retrying later",
        job.public_id,
        job.task,
        job.attempts,
        summary,
    )


def jobs_reap_expired_leases() -> int:
    """Return jobs whose worker died (lease passed) to the queue, or fail them if spent."""
    count = reap_expired(Job, now=clock.now())
    if count:
        logger.warning("Reaper: %s jobs past their lease were returned or failed", count)
    return count


@transaction.atomic
def job_retry(*, actor: Actor, job: Job) -> Job:
    """An admin sends a job that failed for good back to the queue, with fresh attempts."""
    if requeue_failed(Job, pk=job.pk, now=clock.now()):
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=job,
            organisation=job.organisation,
            fields=["status"],
            detail="retry",
        )
    job.refresh_from_db()
    return job


def schedules_enqueue_due() -> int:
    """Queue every periodic task that has fallen due; returns how many were queued.

    After downtime a missed task runs once, and its next run is the next slot after now.
    """
    now = clock.now()
    queued = 0
    for periodic in periodic_tasks():
        schedule, _ = PeriodicSchedule.objects.get_or_create(
            name=periodic.name, defaults={"next_run_at": now}
        )
        if schedule.next_run_at > now:
            continue
        due = schedule.next_run_at
        following = due + periodic.every
        while following <= now:
            following += periodic.every
        with transaction.atomic():
            moved = PeriodicSchedule.objects.filter(pk=schedule.pk, next_run_at=due).update(
                next_run_at=following, last_enqueued_at=now
            )
            if moved:  # this worker won the compare-and-set
                job_enqueue(
                    task=periodic.task,
                    due_at=now,
                    idempotency_key=f"periodic:{periodic.name}:{due.isoformat()}",
                )
                queued += 1
    return queued


@transaction.atomic
def jobs_purge_finished(*, actor: Actor, before: dt.datetime) -> int:
    """Delete jobs that finished well before ``before``; jobs that failed for good stay until
    an admin retries them. The jobs hold only ids, so one audit row says how many went."""
    deleted, _ = Job.objects.filter(status=OutboxStatus.SENT, finished_at__lt=before).delete()
    if deleted:
        audit_record(actor=actor, action=Action.DELETE, detail=f"{deleted} finished jobs")
    return int(deleted)
