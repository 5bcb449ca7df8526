"""Every text is sent exactly once even when a worker is killed mid-batch.

Bounded and local: a fake Twilio-shaped provider on 127.0.0.1, two ``manage.py worker``
processes on their own database (an SQLite file, or a PostgreSQL database when DATABASE_URL is
set), one killed with SIGKILL part-way and started again. Stops by itself within 3 minutes.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, cast

import pytest

from tests.clocked import run_clocked
from tests.fakes.providers import FakeProviders
from tests.processes import fresh_database, process_env

ROOT = Path(__file__).resolve().parent.parent
TOTAL = 2000
DEADLINE_SECONDS = 180
LEASE_SECONDS = 5

pytestmark = pytest.mark.reliability


def _env(tmp_path: Path, fake_url: str, database_url: str | None) -> dict[str, str]:
    return process_env(
        tmp_path, sms_url=fake_url, database_url=database_url, lease_seconds=LEASE_SECONDS
    )


def _run(args: list[str], env: dict[str, str]) -> str:
    return run_clocked(env, *args, timeout=120).stdout


def _worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.clocked", "manage.py", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


REPORT = """
import django, json
django.setup()
from django.db.models import Count
from peerpath.notifications.models import Delivery, Notification
rows = Delivery.objects.filter(channel="sms").values("status").annotate(n=Count("pk"))
print(json.dumps({
    "notifications": Notification.objects.count(),
    "sms": {row["status"]: row["n"] for row in rows},
    "ids": Delivery.objects.filter(channel="sms", status="sent").exclude(provider_id="").count(),
}))
"""


def test_two_workers_one_killed_mid_batch_send_every_text_exactly_once(tmp_path):
    with FakeProviders() as fake:
        env = _env(tmp_path, fake.url, fresh_database("peerpath_reliability"))
        _run(["manage.py", "migrate", "--noinput", "-v0"], env)
        _run(["-m", "tests.reliability_seed"], env)

        started = time.monotonic()
        survivor, victim = _worker(env), _worker(env)
        try:
            while len(fake.state.accepted) < TOTAL // 4:
                assert time.monotonic() - started < DEADLINE_SECONDS, "workers made no progress"
                time.sleep(0.01)
            victim.send_signal(signal.SIGKILL)  # mid-batch: it holds claimed deliveries
            victim.wait(timeout=10)
            killed_at = len(fake.state.accepted)
            restarted = _worker(env)
            while True:
                report = json.loads(_run(["-c", REPORT], env))
                if report["sms"].get("sent", 0) == TOTAL:
                    break
                assert time.monotonic() - started < DEADLINE_SECONDS, report
                time.sleep(0.5)
        finally:
            for process in (survivor, victim, locals().get("restarted")):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=30)

        assert TOTAL // 4 <= killed_at < TOTAL
        assert report["notifications"] == TOTAL  # the duplicate notify calls made nothing
        assert report["sms"] == {"sent": TOTAL}  # nothing pending, failed or still claimed
        assert report["ids"] == TOTAL  # every delivery stored the provider's id
        assert len(fake.state.accepted) == TOTAL  # the provider delivered each text once
        assert len({m["sid"] for m in fake.state.accepted.values()}) == TOTAL
        # Resends after the kill carried the same key: more requests than texts is expected.
        assert fake.state.requests >= TOTAL


ALERTS = 150

ESCALATION = """
import django, json
django.setup()
from django.db.models import Count
from peerpath.jobs.models import Job
from peerpath.notifications.models import Delivery, Notification
from peerpath.safeguarding.models import ActionKind, Alert, AlertAction
paged = AlertAction.objects.filter(kind=ActionKind.PAGED)
steps = Job.objects.filter(task="safeguarding.escalate")
print(json.dumps({
    "at_step": dict(Alert.objects.values_list("escalation_step").annotate(n=Count("pk"))),
    "paged": dict(paged.values_list("decision").annotate(n=Count("pk"))),
    "pages": dict(
        Notification.objects.filter(purpose="safeguarding_alert")
        .values_list("recipient__display_name").annotate(n=Count("pk"))
    ),
    "texts": dict(
        Delivery.objects.filter(channel="sms", notification__purpose="safeguarding_alert")
        .values_list("status").annotate(n=Count("pk"))
    ),
    # Steps held by the killed worker are late: the periodic audit tells the lead of those.
    "other_texts": dict(
        Delivery.objects.filter(channel="sms").exclude(notification__purpose="safeguarding_alert")
        .values_list("notification__purpose").annotate(n=Count("pk"))
    ),
    "other_to": sorted(set(
        Delivery.objects.filter(channel="sms").exclude(notification__purpose="safeguarding_alert")
        .values_list("notification__recipient__display_name", flat=True)
    )),
    "steps": dict(steps.values_list("status").annotate(n=Count("pk"))),
    "next_steps": steps.filter(arguments__step=2).count(),
}))
"""


def _escalated(env: dict[str, str]) -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(_run(["-c", ESCALATION], env)))


def test_a_worker_killed_mid_escalation_delays_a_step_and_never_loses_or_repeats_one(tmp_path):
    """Each overdue step to the backup runs once: the killed worker's claimed steps come back
    after their lease, and a step that had committed before the kill does nothing again."""
    with FakeProviders() as fake:
        env = _env(tmp_path, fake.url, fresh_database("peerpath_reliability"))
        _run(["manage.py", "migrate", "--noinput", "-v0"], env)
        _run(["-m", "tests.duty_seed", "--alerts", str(ALERTS)], env)
        assert _escalated(env)["at_step"] == {"1": ALERTS}  # the primary paged, nothing since

        def to_backup() -> int:
            return sum(1 for m in fake.state.accepted.values() if m["to"].endswith("900002"))

        started = time.monotonic()
        survivor, victim = _worker(env), _worker(env)
        restarted = None
        try:
            while to_backup() < ALERTS // 4:
                assert time.monotonic() - started < DEADLINE_SECONDS, "workers made no progress"
                time.sleep(0.01)
            victim.send_signal(signal.SIGKILL)  # it holds claimed steps and texts
            victim.wait(timeout=10)
            killed_at = to_backup()
            restarted = _worker(env)
            while True:
                report = _escalated(env)
                if report["at_step"] == {"2": ALERTS} and report["texts"] == {"sent": 2 * ALERTS}:
                    break
                assert time.monotonic() - started < DEADLINE_SECONDS, report
                time.sleep(0.5)
        finally:
            for process in (survivor, victim, restarted):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=30)

        assert ALERTS // 4 <= killed_at < ALERTS
        # One page each to the primary (on raising) and to the backup (the step), never two.
        assert report["paged"] == {"on duty": ALERTS, "backup": ALERTS}
        assert report["pages"] == {"Ash": ALERTS, "Bay": ALERTS}
        assert report["steps"] == {"sent": ALERTS, "pending": ALERTS}  # sent: ran, once
        assert report["next_steps"] == ALERTS  # each alert's step to the leads is waiting
        # Any other text is the audit's word to the lead (Cedar) that a step was late.
        assert set(report["other_texts"]) <= {"safeguarding_rota_gap"}
        assert set(report["other_to"]) <= {"Cedar"}
        texts = list(fake.state.accepted.values())
        pages = [m for m in texts if not m["to"].endswith("900003")]
        assert len(pages) == 2 * ALERTS
        assert sum(1 for m in pages if m["to"].endswith("900002")) == ALERTS
        assert all(m["body"].startswith("PeerPath: an alert needs you.") for m in pages)
        late = [m for m in texts if m["to"].endswith("900003")]
        assert len(late) == sum(report["other_texts"].values())
        assert all(m["body"].startswith("PeerPath: the duty rota needs you.") for m in late)
