"""Benchmark: search server time with 5,000 listings and 50,000 dated sessions.

    .venv/bin/python bench/directory_search.py [--postgres URL] [--requests 60]

Seeds a fresh database (SQLite file, and PostgreSQL when --postgres is given), then times the
search view through Django's test client for typical filter sets, beside a bare view (an empty
HttpResponse through the same middleware) measured in the same run. Prints a Markdown table
for docs/benchmarks.md. Never run as a test.

Beside wall-clock time it reports the CPU time of the process serving the requests: on a busy
shared machine that moves far less than wall-clock time. On SQLite it includes the database's
work; on PostgreSQL the server's work is in another process and is not counted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent

MEASURE = r"""
import datetime as dt, json, random, statistics, sys, time
import django
django.setup()
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import path
from django.utils import timezone
from peerpath.accounts.models import Organisation
from peerpath.directory.choices import Family, ForWhom, Kind, time_of_day
from peerpath.directory.models import Location, Occurrence, Service

SERVICES, PER_SERVICE, REQUESTS = 5000, 10, int(sys.argv[1])
random.seed(7)
towns = [f"Town {n}" for n in range(40)]
now = timezone.now()
with transaction.atomic():
    org = Organisation.objects.create(name="Bench", slug="bench")
    places = Location.objects.bulk_create([
        Location(organisation=org, name=f"Hall {n}", address="1 High St", area=towns[n % 40],
                 latitude=50.5 + (n % 40) / 100, longitude=-3.5 + (n % 7) / 100)
        for n in range(400)
    ])
    kinds = [Kind.PEER_GROUP, Kind.ACTIVITY_GROUP, Kind.DROP_IN, Kind.ONLINE_GROUP]
    services = Service.objects.bulk_create([
        Service(organisation=org, name=f"Group {n}", kind=kinds[n % 4], summary="A group.",
                for_whom=random.sample([c.value for c in ForWhom], 2),
                family=random.sample([c.value for c in Family], 3), languages=["en"],
                online=n % 4 == 3, location=None if n % 4 == 3 else places[n % 400],
                last_checked_on=dt.date(2026, 10, 1))
        for n in range(SERVICES)
    ], batch_size=1000)
    occurrences = []
    for service in services:
        for week in range(PER_SERVICE):
            start = now + dt.timedelta(days=random.random() * 7 + 7 * week * 0.8)
            start = start.replace(minute=0, second=0, microsecond=0)
            local = timezone.localtime(start)
            occurrences.append(Occurrence(
                service=service, starts_at=start, ends_at=start + dt.timedelta(minutes=90),
                original_starts_at=start, weekday=local.weekday(),
                time_of_day=time_of_day(local.hour)))
    Occurrence.objects.bulk_create(occurrences, batch_size=5000)
from django.db import connection
if connection.vendor == "postgresql":
    # A live server has statistics from autovacuum; a freshly seeded one may have none yet
    # (autovacuum can be off, or not have woken up), which gives plans no site would see.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

def bare(request):
    return HttpResponse("ok")

import config.urls as project_urls
urlpatterns = [path("bare/", bare), *project_urls.urlpatterns]
client = Client()
cases = {
    "bare view (floor)": ("/bare/", {}),
    "this week, anywhere": ("/find-support/", {}),
    # Town 3 has no groups that meet in person, so this is the "nothing matches" page with
    # its online suggestion; Town 2 has some.
    "this week, one town, mornings": ("/find-support/", {"where": "Town 3", "times": "morning"}),
    "this week, a town with groups, mornings": ("/find-support/", {"where": "Town 2", "times": "morning"}),
    "pregnant, free, babies welcome": ("/find-support/", {"stage": "pregnant", "free": "on", "family": "babies_welcome"}),
    "online only, next 4 weeks": ("/find-support/", {"where": "online", "when": "four_weeks"}),
}
results = {}
with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
    for name, (url, params) in cases.items():
        for _ in range(5):
            client.get(url, params)
        times, cpu = [], []
        for _ in range(REQUESTS):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, response.status_code
        times.sort()
        results[name] = (
            statistics.median(times), times[int(len(times) * 0.95) - 1], statistics.median(cpu)
        )
print(json.dumps(results))
"""


def fresh_postgres(url: str) -> str:
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute("DROP DATABASE IF EXISTS peerpath_bench_search WITH (FORCE)")
        db.execute("CREATE DATABASE peerpath_bench_search")
    return urlunparse(parts._replace(path="/peerpath_bench_search"))


def run(database_url: str | None, requests: int, var_dir: str) -> Any:
    import json

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        PEERPATH_VAR_DIR=var_dir,
        DEBUG="false",
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="testserver",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(requests)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=3600,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres")
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("5,000 listings, 50,000 sessions; server time in ms through Django's test client\n")
    targets = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    for name, url in targets:
        with tempfile.TemporaryDirectory() as var_dir:
            results = run(fresh_postgres(url) if url else None, args.requests, var_dir)
        print(
            f"\n{name}\n\n| filters | p50 (ms) | p95 (ms) | p50 CPU of this process (ms) |"
            "\n|---|---|---|---|"
        )
        for case, (p50, p95, cpu) in results.items():
            print(f"| {case} | {p50:.1f} | {p95:.1f} | {cpu:.1f} |")


if __name__ == "__main__":
    _ = statistics, time
    main()
