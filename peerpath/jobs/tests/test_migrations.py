"""The move to the shared outbox states keeps every job's state, both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("jobs", "0003_outbox_states")]
AFTER = [("jobs", "0004_job_done_is_sent_dead_is_failed")]
OLD_STATES = ["pending", "running", "done", "dead"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_job_states_are_renamed_and_renamed_back():
    old_apps = _migrate(BEFORE)
    try:
        job = old_apps.get_model("jobs", "Job")
        now = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
        for state in OLD_STATES:
            job.objects.create(
                task=f"t.{state}",
                status=state,
                due_at=now,
                lease_until=now if state == "running" else None,
            )

        new_apps = _migrate(AFTER)
        job = new_apps.get_model("jobs", "Job")
        assert dict(job.objects.values_list("task", "status")) == {
            "t.pending": "pending",
            "t.running": "running",
            "t.done": "sent",
            "t.dead": "failed",
        }

        old_apps = _migrate(BEFORE)
        job = old_apps.get_model("jobs", "Job")
        assert dict(job.objects.values_list("task", "status")) == {
            f"t.{state}": state for state in OLD_STATES
        }
    finally:
        _migrate(_leaves())


def _leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
