"""The job queue: enqueued with the transaction, claimed with a lease, retried, reaped."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from peerpath.jobs.models import Job, OutboxStatus
from peerpath.jobs.outbox import backoff_seconds
from peerpath.jobs.registry import task
from peerpath.jobs.services import (
    job_enqueue,
    job_run,
    jobs_claim,
    jobs_reap_expired_leases,
)

CALLS: list[dict] = []
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


@task("tests.record")
def record(**arguments):
    CALLS.append(arguments)


@task("tests.fail")
def fail(**arguments):
    raise ValueError("private detail that must not be stored")


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _claim(worker="worker-a", limit=10, lease=60):
    return jobs_claim(worker_id=worker, limit=limit, lease_seconds=lease)


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_in_a_transaction_that_rolls_back_never_exists():
    def change_that_fails():
        with transaction.atomic():
            job_enqueue(task="tests.record", arguments={"id": 1})
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_an_unknown_task_is_refused_where_it_is_queued():
    with pytest.raises(LookupError, match="No task is registered"):
        job_enqueue(task="tests.nope")


@pytest.mark.django_db
def test_the_same_idempotency_key_queues_one_job(clock):
    first = job_enqueue(task="tests.record", arguments={"id": 1}, idempotency_key="reminder:1")
    second = job_enqueue(task="tests.record", arguments={"id": 1}, idempotency_key="reminder:1")
    assert first.pk == second.pk
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_a_due_job_is_claimed_once_and_runs_with_its_arguments(clock):
    job_enqueue(task="tests.record", arguments={"booking_id": 7})
    job_enqueue(task="tests.record", due_at=START + dt.timedelta(hours=1))
    claimed = _claim()
    assert [j.arguments for j in claimed] == [{"booking_id": 7}]
    assert _claim(worker="worker-b") == []  # already claimed, the other is not due
    assert job_run(job=claimed[0], worker_id="worker-a") is True
    assert CALLS == [{"booking_id": 7}]
    job = Job.objects.get(pk=claimed[0].pk)
    assert job.status == OutboxStatus.SENT
    assert job.attempts == 1
    assert job.lease_until is None


@pytest.mark.django_db
def test_a_failing_job_backs_off_then_is_buried_without_its_error_text(clock):
    job_enqueue(task="tests.fail", max_attempts=3)
    failed_at = START
    for attempt in (1, 2):
        (job,) = _claim()
        assert job_run(job=job, worker_id="worker-a") is False
        job.refresh_from_db()
        assert job.status == OutboxStatus.PENDING
        assert job.due_at == failed_at + dt.timedelta(seconds=backoff_seconds(attempt))
        assert _claim() == []  # not due again yet
        clock.move_to(job.due_at)
        failed_at = job.due_at
    (job,) = _claim()
    job_run(job=job, worker_id="worker-a")
    job.refresh_from_db()
    assert job.status == OutboxStatus.FAILED
    assert job.attempts == 3
    assert job.last_error == "ValueError"


def test_backoff_doubles_and_is_capped():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(30) == 6 * 60 * 60


@pytest.mark.django_db
def test_a_job_whose_worker_died_returns_after_its_lease_and_runs_once(clock):
    job_enqueue(task="tests.record", arguments={"id": 3})
    (lost,) = _claim(worker="worker-a", lease=60)  # worker-a is then killed
    assert jobs_reap_expired_leases() == 0  # lease still running
    clock.shift(61)
    assert jobs_reap_expired_leases() == 1
    (retried,) = _claim(worker="worker-b")
    assert retried.pk == lost.pk
    assert retried.attempts == 2
    job_run(job=retried, worker_id="worker-b")
    # worker-a comes back from the dead and tries to finish: its stale claim changes nothing.
    job_run(job=lost, worker_id="worker-a")
    assert CALLS == [{"id": 3}, {"id": 3}]
    job = Job.objects.get(pk=lost.pk)
    assert job.status == OutboxStatus.SENT
    assert job.claimed_by == "worker-b"


@pytest.mark.django_db
def test_a_job_that_keeps_killing_its_worker_is_buried_by_the_reaper(clock):
    job_enqueue(task="tests.record", max_attempts=1)
    _claim(lease=10)
    clock.shift(11)
    jobs_reap_expired_leases()
    assert Job.objects.get().status == OutboxStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_due_jobs_until_idle(clock):
    for n in range(25):
        job_enqueue(task="tests.record", arguments={"n": n})
    call_command("worker", "--until-idle", "--batch", "10", stdout=open("/dev/null", "w"))  # noqa: PTH123, SIM115
    assert sorted(call["n"] for call in CALLS) == list(range(25))
    assert Job.objects.filter(task="tests.record", status=OutboxStatus.SENT).count() == 25


@task("tests.wait")
def wait(**arguments):
    from peerpath.jobs.services import RetryLater

    raise RetryLater(120, "provider asked us to wait")


@pytest.mark.django_db
def test_a_job_asked_to_wait_comes_back_later_without_using_an_attempt(clock):
    job_enqueue(task="tests.wait", max_attempts=1)
    (job,) = _claim()
    assert job_run(job=job, worker_id="worker-a") is False
    job.refresh_from_db()
    assert job.status == OutboxStatus.PENDING
    assert job.attempts == 0
    assert job.due_at == START + dt.timedelta(seconds=120)
    assert job.last_error == "provider asked us to wait"


@pytest.mark.django_db
def test_an_admin_can_send_a_dead_job_back_to_the_queue(clock, org_admin):
    from peerpath.jobs.services import job_retry

    job_enqueue(task="tests.fail", max_attempts=1)
    (job,) = _claim()
    job_run(job=job, worker_id="worker-a")
    job.refresh_from_db()
    assert job.status == OutboxStatus.FAILED
    job_retry(actor=org_admin, job=job)
    assert (job.status, job.attempts) == (OutboxStatus.PENDING, 0)
    assert [j.pk for j in _claim()] == [job.pk]


@pytest.mark.django_db
def test_a_periodic_task_runs_once_per_interval_and_once_after_downtime(clock):
    from peerpath.jobs.services import schedules_enqueue_due

    def queued():
        return Job.objects.filter(task="jobs.purge_finished").count()

    assert schedules_enqueue_due() >= 1
    assert queued() == 1
    assert schedules_enqueue_due() == 0  # a second worker in the same moment queues nothing
    clock.shift(dt.timedelta(hours=6))
    schedules_enqueue_due()
    assert queued() == 2
    clock.shift(dt.timedelta(days=3))  # the worker was down for 12 intervals
    schedules_enqueue_due()
    schedules_enqueue_due()
    assert queued() == 3


@pytest.mark.django_db
def test_finished_jobs_are_purged_after_thirty_days_but_dead_ones_stay(clock):
    from peerpath.jobs.tasks import purge_finished

    for name in ("tests.record", "tests.fail"):
        job_enqueue(task=name, max_attempts=1)
    for job in _claim():
        job_run(job=job, worker_id="worker-a")
    clock.shift(dt.timedelta(days=31))
    assert purge_finished() == 1
    assert list(Job.objects.values_list("status", flat=True)) == [OutboxStatus.FAILED]
