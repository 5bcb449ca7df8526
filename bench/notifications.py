"""Benchmark: due text messages through the console SMS backend, 1 and 2 workers.

    .venv/bin/python bench/notifications.py [--count 100000] [--postgres URL]

For each database (SQLite file, and PostgreSQL when --postgres is given) it seeds COUNT due
deliveries, runs 1 and then 2 ``manage.py worker --until-idle`` processes, and measures
throughput. As a floor it runs, in this process and on the same database, a bare loop of
``UPDATE ... RETURNING`` batches that does nothing but mark rows sent. Results go to stdout as
a Markdown table; copy them into docs/benchmarks.md. Never run as a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BATCH = 500

SEED = """
import django, sys, uuid, datetime as dt
django.setup()
from django.db import transaction
from django.utils import timezone
from peerpath.accounts.models import User
from peerpath.notifications.models import Notification, Delivery, NotificationPreference
count = int(sys.argv[1])
now = timezone.now() - dt.timedelta(minutes=1)
with transaction.atomic():
    user = User.objects.create_user(email=f"bench-{uuid.uuid4().hex}@example.org", phone="07700900123")
    # No quiet hours, and texts chosen, so every delivery is sent now.
    NotificationPreference.objects.create(
        user=user, quiet_start=None, quiet_end=None, channels={"waiting_list_offer": ["sms"]}
    )
    notes = Notification.objects.bulk_create(
        [Notification(recipient=user, purpose="waiting_list_offer", due_at=now,
                      idempotency_key=f"bench:{uuid.uuid4().hex}") for _ in range(count)],
        batch_size=5000,
    )
    Delivery.objects.bulk_create(
        [Delivery(notification=n, channel="sms", due_at=now) for n in notes], batch_size=5000
    )
print(count)
"""

PENDING = """
import django
django.setup()
from peerpath.notifications.models import Delivery
print(Delivery.objects.filter(status="pending").count())
"""

FLOOR = """
import django, sys, time
django.setup()
from django.db import connection
table = "notifications_delivery"
skip = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
done = 0
started = time.perf_counter()
while True:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = 'sent' WHERE id IN (SELECT id FROM {table} "
            f"WHERE status = 'pending' ORDER BY due_at, id LIMIT {int(sys.argv[1])}{skip}) "
            "RETURNING id"
        )
        rows = cursor.fetchall()
    if not rows:
        break
    done += len(rows)
elapsed = time.perf_counter() - started
print(done, elapsed)
"""


def env_for(var_dir: str, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        PEERPATH_VAR_DIR=var_dir,
        SMS_BACKEND="peerpath.notifications.channels.sms.ConsoleSmsBackend",
        NOTIFICATIONS_BATCH=str(BATCH),
        JOBS_POLL_SECONDS="1",
        LOG_LEVEL="ERROR",
        DEBUG="false",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def python(code_or_args: list[str], env: dict[str, str]) -> str:
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    ).stdout.strip()


def fresh_postgres(url: str) -> str:
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute("DROP DATABASE IF EXISTS peerpath_bench WITH (FORCE)")
        db.execute("CREATE DATABASE peerpath_bench")
    return urlunparse(parts._replace(path="/peerpath_bench"))


def run_workers(env: dict[str, str], workers: int, count: int) -> float:
    python(["-c", SEED, str(count)], env)
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--until-idle"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    for process in processes:
        process.wait(timeout=1800)
    elapsed = time.perf_counter() - started
    left = int(python(["-c", PENDING], env))
    if left:
        raise SystemExit(f"{left} deliveries were left pending")
    return count / elapsed


def floor(env: dict[str, str], count: int) -> float:
    python(["-c", SEED, str(count)], env)
    done, elapsed = python(["-c", FLOOR, str(BATCH)], env).split()
    return int(done) / float(elapsed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--postgres", help="e.g. postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"{args.count} due deliveries per run, batch {BATCH}\n")
    print(
        "| database | floor: bare UPDATE ... RETURNING (rows/s) | 1 worker (/s) | 2 workers (/s) | 2 workers / floor |"
    )
    print("|---|---|---|---|---|")
    targets = [("SQLite", None)]
    if args.postgres:
        targets.append(("PostgreSQL", args.postgres))
    for name, url in targets:
        with tempfile.TemporaryDirectory() as var_dir:
            results = []
            steps: tuple[int, ...] = (0, 1, 2)  # 0: the bare floor
            for step in steps:
                database_url = fresh_postgres(url) if url else None
                if not url:
                    for file in Path(var_dir).glob("peerpath.sqlite3*"):
                        file.unlink()
                env = env_for(var_dir, database_url)
                python(["manage.py", "migrate", "--noinput", "-v0"], env)
                results.append(
                    floor(env, args.count) if step == 0 else run_workers(env, step, args.count)
                )
            bare, one, two = results
            print(f"| {name} | {bare:,.0f} | {one:,.0f} | {two:,.0f} | {two / bare:.2f} |")


if __name__ == "__main__":
    main()
