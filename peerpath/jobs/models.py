"""Background jobs kept in the database: claimed with a lease, retried, never lost."""

from __future__ import annotations

from django.db import models

from peerpath.jobs.outbox import OutboxRow, OutboxStatus

__all__ = ["Job", "OutboxStatus", "PeriodicSchedule"]


class Job(OutboxRow):
    """One call of a registered task, due at a time, with its arguments (ids only).

    An outbox row (``peerpath.jobs.outbox``): a worker claims a due job by setting
    ``claimed_by`` and ``lease_until``; if the worker dies, the reaper returns the job once the
    lease has passed. ``idempotency_key`` stops the same job being queued twice.
    """

    task = models.CharField(max_length=100)
    arguments = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose admins see this job if it fails for good.",
    )

    class Meta(OutboxRow.Meta):
        ordering = ("due_at", "pk")
        indexes = (models.Index(fields=("status", "due_at"), name="jobs_job_status_due"),)

    def __str__(self) -> str:
        return f"{self.task} ({self.status})"


class PeriodicSchedule(models.Model):
    """When a periodic task next falls due. One row per registered periodic task.

    Workers enqueue a due task with the idempotency key ``periodic:<name>:<due time>`` and move
    ``next_run_at`` on with a compare-and-set, so two workers never enqueue the same run, and a
    worker back from downtime runs a missed task once (not once per missed interval).
    """

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("next_run_at",)

    def __str__(self) -> str:
        return self.name
