"""Benchmark: her check-in trend pages with five years of weekly check-ins.

    .venv/bin/python bench/checkins.py [--requests 100] [--weeks 260] [--profile CASE]

Seeds a fresh SQLite database with one member who has agreed to the use of her health data
and has finished a check-in every week for WEEKS weeks (the last one this week) on each of
four charted measures (GAD-7, PHQ-9, GAD-2 and the EPDS, whose placeholder wording the local
settings allow), with answers scored by ``instruments.score`` (totals, bands and the positive
flag as ``checkin_complete`` keeps them; no risk answers, so no alerts). The rows are written
with ``bulk_create``, as a quick way to have five years of history. She shares all four with
her organisation's coordinator (``share_save``; the coordinator has two-step verification).

Then it times, through Django's test client (all middleware, template rendering included):

- a bare view (an empty HttpResponse through the same middleware, with her signed-in
  session: session and user are read as for her pages), the floor;
- her trend page (``checkins:trend``) for each of the four measures: one measure a page;
- the coordinator's page of what she shares (``checkins:shared``), all four measures on one
  page (every look is also an audit row, as on a live site).

Every round requests each case once, in a shuffled order, so that noise from other work on
the machine falls on every case alike; 5 rounds of warm-up are not counted. Reports p50 and
p95 of the wall-clock time, the p50 CPU time of this process (on SQLite that includes the
database's work), the ratio of each p50 to the floor's p50 in the same run, the number of
queries and the size of the page. Prints a Markdown table for docs/benchmarks.md. Never run
as a test.

With ``--profile CASE`` (``gad7``, ``phq9``, ``gad2``, ``epds`` or ``shared``) it instead runs
that case under cProfile for the given number of requests and prints where the time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MEASURES = ("gad7", "phq9", "gad2", "epds")

MEASURE = r"""
import cProfile, datetime as dt, io, json, pstats, random, statistics, sys, time
import django
django.setup()
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path, reverse
from django.utils import timezone
from peerpath.accounts.choices import Role
from peerpath.accounts.models import ConsentKind
from peerpath.accounts.services import (
    consent_give, membership_grant, organisation_create, user_create,
)
from peerpath.checkins import instruments
from peerpath.checkins.models import CheckIn, CheckInStatus
from peerpath.checkins.services import share_save
from peerpath.core import clock
from peerpath.core.actors import OPERATOR

REQUESTS, WEEKS, PROFILE = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
MEASURES = sys.argv[4].split(",")
random.seed(7)


def positions(instrument, level):
    # Option positions near ``level`` (0 to 1) of each item's range; risk items score 0.
    chosen = {}
    for item in instrument.items:
        if not item.scored:
            continue  # optional, and never counted
        scores = [option.score for option in item.options]
        low, high = min(scores), max(scores)
        if item.risk:
            target = low
        else:
            target = min(high, max(low, round(low + level * (high - low) + random.uniform(-1, 1))))
        chosen[item.number] = min(range(len(scores)), key=lambda i: abs(scores[i] - target))
    return chosen


now = clock.now()
with transaction.atomic():
    org = organisation_create(actor=OPERATOR, name="Bench Parents", slug="bench")
    member = user_create(actor=OPERATOR, email="sunflower@example.org", display_name="Sunflower 101")
    membership = membership_grant(actor=OPERATOR, user=member, organisation=org, role=Role.MEMBER)
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    coordinator = user_create(actor=OPERATOR, email="ash@example.org", display_name="Ash")
    viewer = membership_grant(actor=OPERATOR, user=coordinator, organisation=org, role=Role.COORDINATOR)
    TOTP.activate(coordinator, "JBSWY3DPEHPK3PXP")
    RecoveryCodes.activate(coordinator)
    rows = []
    for instrument_id in MEASURES:
        instrument = instruments.get(instrument_id)
        level = random.random()
        for week in range(WEEKS):
            level = min(1.0, max(0.0, level + random.gauss(0, 0.08)))  # her weeks drift
            answers = positions(instrument, level)
            result = instruments.score(instrument, answers)
            when = now - dt.timedelta(weeks=WEEKS - 1 - week, hours=1)
            rows.append(CheckIn(
                organisation=org, membership=membership, instrument=instrument.id,
                version=instrument.version, status=CheckInStatus.DONE,
                answers={str(number): index for number, index in sorted(answers.items())},
                completed_at=when, completed_on=timezone.localdate(when), total=result.total,
                band=result.band.key if result.band is not None else "",
                positive=result.positive, risk=False,
            ))
    CheckIn.objects.bulk_create(rows, batch_size=500)
    CheckIn.objects.filter(membership=membership).update(
        created_at=F("completed_at"), updated_at=F("completed_at")
    )
    share = share_save(actor=member, membership=membership, viewer=viewer, instrument_ids=MEASURES)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")


def bare(request):
    return HttpResponse("ok")


import config.urls as project_urls
urlpatterns = [path("bare/", bare), *project_urls.urlpatterns]
her, staff = Client(), Client()
her.force_login(member)
staff.force_login(coordinator)
cases = {"bare view (floor)": (her, "/bare/", None)}
keys = {}
for instrument_id in MEASURES:
    keys[instrument_id] = f"her trend: {instruments.get(instrument_id).title}"
    cases[keys[instrument_id]] = (
        her, reverse("checkins:trend", kwargs={"instrument_id": instrument_id}), WEEKS
    )
keys["shared"] = "shared with her coordinator: all four"
cases[keys["shared"]] = (
    staff, reverse("checkins:shared", kwargs={"public_id": share.public_id}), WEEKS * len(MEASURES)
)


def fetch(client, url, markers):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if markers is not None:  # one marker on the chart for every check-in
        assert response.content.count(b"<circle") == markers, url
    return response


with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
    if PROFILE != "-":
        name = keys[PROFILE]
        client, url, markers = cases[name]
        for _ in range(5):
            fetch(client, url, markers)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(REQUESTS):
            fetch(client, url, markers)
        profiler.disable()
        took = (time.perf_counter() - started) * 1000 / REQUESTS
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        print(f"{name}: {took:.1f} ms a request under the profiler\n")
        print(out.getvalue())
        sys.exit(0)
    for _ in range(5):
        for client, url, markers in cases.values():
            fetch(client, url, markers)
    times = {name: [] for name in cases}
    cpu = {name: [] for name in cases}
    order = list(cases)
    for _ in range(REQUESTS):
        random.shuffle(order)
        for name in order:
            client, url, markers = cases[name]
            started, started_cpu = time.perf_counter(), time.process_time()
            fetch(client, url, markers)
            times[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - started_cpu) * 1000)
    results = {}
    for name, (client, url, markers) in cases.items():
        with CaptureQueriesContext(connection) as seen:
            size = len(fetch(client, url, markers).content)
        ordered = sorted(times[name])
        results[name] = {
            "checkins": markers or 0,
            "p50": statistics.median(ordered),
            "p95": ordered[int(len(ordered) * 0.95) - 1],
            "cpu": statistics.median(cpu[name]),
            "queries": len(seen),
            "kib": size / 1024,
        }
print(json.dumps({
    "results": results,
    "sqlite": connection.Database.sqlite_version,
    "django": django.get_version(),
    "rows": CheckIn.objects.filter(status=CheckInStatus.DONE).count(),
}))
"""


def machine() -> str:
    memory = ""
    with Path("/proc/meminfo").open() as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = f", {round(int(line.split()[1]) / 1024**2)} GiB"
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}, "
        f"{os.cpu_count()} cores{memory}, Python {platform.python_version()}"
    )


def revision() -> str:
    def git(*args: str) -> str:
        command = ["git", *args]
        found = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        return found.stdout.strip()

    head = git("rev-parse", "--short", "HEAD")
    if not head:
        return "an export, not a git checkout"
    return (
        f"{head} (uncommitted changes)" if git("status", "--porcelain", "--", "peerpath") else head
    )


def run(requests: int, weeks: int, profile: str, var_dir: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        PEERPATH_VAR_DIR=var_dir,
        DEBUG="false",
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="testserver",
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return subprocess.run(
        [sys.executable, "-c", MEASURE, str(requests), str(weeks), profile, ",".join(MEASURES)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=3600,
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=260)
    parser.add_argument("--profile", choices=[*MEASURES, "shared"])
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as var_dir:
        out = run(args.requests, args.weeks, args.profile or "-", var_dir)
    if args.profile:
        print(out)
        return
    found: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    print(
        f"Machine: {machine()}, SQLite {found['sqlite']}, Django {found['django']}; "
        f"at {revision()}; load average {load:.2f} before the run, "
        f"{os.getloadavg()[0]:.2f} after"
    )
    print(
        f"{args.weeks} weekly check-ins on each of {len(MEASURES)} measures "
        f"({found['rows']:,} in all); {args.requests} requests a case after 5 warm-up rounds; "
        "server time in ms through Django's test client\n"
    )
    print(
        "| page | check-ins on it | p50 (ms) | p95 (ms) | p50 CPU (ms) | p50 / floor p50 "
        "| queries | page (KiB) |\n|---|---|---|---|---|---|---|---|"
    )
    floor = found["results"]["bare view (floor)"]["p50"]
    for case, r in found["results"].items():
        print(
            f"| {case} | {r['checkins'] or ''} | {r['p50']:.1f} | {r['p95']:.1f} | {r['cpu']:.1f} "
            f"| {r['p50'] / floor:.0f} | {r['queries']} | {r['kib']:.0f} |"
        )


if __name__ == "__main__":
    main()
