"""Every text is sent exactly once even when a worker is killed mid-batch.

Bounded and local: a fake Twilio-shaped provider on 127.0.0.1, two ``manage.py worker``
processes on their own database (an SQLite file, or a PostgreSQL database when DATABASE_URL is
set), one killed with SIGKILL part-way and started again. Stops by itself within 3 minutes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

from conftest import clock_env
from tests.clocked import run_clocked
from tests.fakes.providers import FakeProviders

ROOT = Path(__file__).resolve().parent.parent
TOTAL = 2000
DEADLINE_SECONDS = 180
LEASE_SECONDS = 5

pytestmark = pytest.mark.reliability


def _database_url(tmp_path: Path) -> str | None:
    """A fresh PostgreSQL database when the suite runs on PostgreSQL, else None (SQLite)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    import psycopg

    parts = urlparse(url)
    name = "peerpath_reliability"
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return urlunparse(parts._replace(path=f"/{name}"))


def _env(tmp_path: Path, fake_url: str, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        PEERPATH_VAR_DIR=str(tmp_path),
        SMS_BACKEND="peerpath.notifications.channels.sms.TwilioSmsBackend",
        TWILIO_API_BASE=fake_url,
        TWILIO_ACCOUNT_SID="AC-reliability",
        TWILIO_AUTH_TOKEN="not-a-secret",
        TWILIO_FROM="+441632960000",
        JOBS_LEASE_SECONDS=str(LEASE_SECONDS),
        JOBS_POLL_SECONDS="1",
        NOTIFICATIONS_BATCH="50",
        LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(clock_env())  # the workers and the seed keep the test's clock
    return env


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
        env = _env(tmp_path, fake.url, _database_url(tmp_path))
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
