"""Benchmark: matching for a large service, one request and everyone waiting at once.

    .venv/bin/python bench/matching.py [--requests 5000] [--supporters 500] [--samples 200]
                                       [--no-database] [--everyone-free] [--compare scipy,ortools,networkx]

Builds REQUESTS waiting requests and SUPPORTERS peer supporters as ``Wish`` and ``Candidate``
values (``instance`` below, seeded): experiences drawn with the weights a perinatal service
sees, English for nearly everyone and a second language for some, 40 towns of very different
sizes, times free, in person only for a fifth of requests; caseloads of 6 for most supporters
(2, 3, 4 or 8 for the rest) with 0 to 8 active matches, so some are full, and 15% not ready.
Requests sometimes name a supporter she moved on from, or one who said no.

In memory (one process), it times:

- suggestions for one request (``matching.suggest`` over every supporter), for SAMPLES
  requests drawn at random, beside a floor measured in the same rounds: a bare loop over the
  same candidates doing nothing;
- the batch: ``batch.scores`` (every pair's points at once), ``batch.optimal`` and
  ``batch.greedy`` given those points (each includes ``assess`` for the pairs it keeps),
  3 runs each, with both totals and the number matched;
- memory: the peak ``tracemalloc`` sees during ``scores`` and ``optimal`` (a separate run,
  since tracing slows it), and the process's peak resident size (``ru_maxrss``).

With ``--compare`` it also times the assignment alone by each library considered in ADR 11
that is installed: SciPy's ``linear_sum_assignment`` (what ``batch.optimal`` uses), OR-Tools'
``SimpleMinCostFlow`` (max flow with min cost) and networkx's ``max_flow_min_cost`` (given at
most 10 minutes), each in a process of its own, checking that they agree.

Against a fresh SQLite database (unless ``--no-database``), seeded with the same people
(supporters through the services, with training, checks and supervision; requests, members
and active matches with ``bulk_create``), it times ``suggestions.suggestions_for`` for one
request (30 requests) beside reading the supporters' places alone, the coordinator's
"Propose matches for everyone waiting" page through Django's test client (3 loads), and
sending 20 ticked pairs from it. Prints Markdown for docs/benchmarks.md. Never run as a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

EXPERIENCES = [
    "birth_trauma",
    "hyperemesis",
    "nicu",
    "baby_loss",
    "feeding",
    "previous_mental_illness",
    "young_parent",
    "dad_or_partner",
]
EXPERIENCE_WEIGHTS = [20, 8, 12, 6, 18, 16, 6, 4]
OTHER_LANGUAGES = ["cy", "pl", "ur", "bn", "pa", "ar", "ro", "so", "pt", "es", "bsl"]
OTHER_WEIGHTS = [10, 8, 6, 5, 4, 4, 4, 3, 2, 2, 2]
TOWNS = [f"Town {i}" for i in range(1, 41)]
TOWN_WEIGHTS = [1 / (i**0.8) for i in range(1, 41)]  # a few big towns, many small ones
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PARTS = ["morning", "afternoon", "evening"]


def _experiences(rng: random.Random, most: int) -> frozenset[str]:
    return frozenset(rng.choices(EXPERIENCES, EXPERIENCE_WEIGHTS, k=rng.randint(0, most)))


def _times(rng: random.Random, low: int, high: int) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for _ in range(rng.randint(low, high)):
        parts = found.setdefault(rng.choice(DAYS), [])
        part = rng.choice(PARTS)
        if part not in parts:
            parts.append(part)
    return found


def instance(
    requests: int, supporters: int, seed: int = 7, *, everyone_free: bool = False
) -> dict[str, Any]:
    """The people, as plain data (for the database) and as Wish and Candidate values. With
    ``everyone_free`` every supporter is ready with no active match (the most room there
    can be: the hardest assignment)."""
    from peerpath.buddying.matching import Candidate, Wish, slots

    rng = random.Random(seed)
    people: list[dict[str, Any]] = []
    for key in range(1, supporters + 1):
        languages = {"en"} if rng.random() < 0.97 else set()
        if rng.random() < 0.2:
            languages.add(rng.choices(OTHER_LANGUAGES, OTHER_WEIGHTS)[0])
        limit = 6 if rng.random() < 0.85 else rng.choice([2, 3, 4, 8])
        people.append(
            {
                "key": key,
                "name": f"Supporter {key}",
                "experiences": sorted(_experiences(rng, 3) or {rng.choice(EXPERIENCES)}),
                "languages": sorted(languages or {"pl"}),
                "areas": sorted(set(rng.choices(TOWNS, TOWN_WEIGHTS, k=rng.randint(1, 3)))),
                "availability": _times(rng, 2, 8),
                "limit": limit,
                "active": min(limit, rng.choices(range(9), [10, 12, 14, 14, 12, 10, 12, 8, 8])[0]),
                "ready": rng.random() < 0.85,
            }
        )
    asks: list[dict[str, Any]] = []
    for key in range(1, requests + 1):
        draw = rng.random()
        if draw < 0.85:
            languages = {"en"}
        elif draw < 0.95:
            languages = {rng.choices(OTHER_LANGUAGES, OTHER_WEIGHTS)[0]}
        else:
            languages = {"en", rng.choices(OTHER_LANGUAGES, OTHER_WEIGHTS)[0]}
        modes = set(rng.sample(["phone", "video", "text", "in_person"], rng.randint(1, 3)))
        if rng.random() < 0.2:
            modes = {"in_person"}
        asks.append(
            {
                "key": key,
                "experiences": sorted(_experiences(rng, 2)),
                "languages": sorted(languages),
                "modes": sorted(modes),
                "availability": _times(rng, 0, 6),
                "area": rng.choices(TOWNS, TOWN_WEIGHTS)[0] if rng.random() < 0.95 else "",
                "not_with": [rng.randint(1, supporters)] if rng.random() < 0.03 else [],
                "declined_by": (
                    rng.sample(range(1, supporters + 1), rng.randint(1, 2))
                    if rng.random() < 0.08
                    else []
                ),
            }
        )
    if everyone_free:
        for person in people:
            person["active"], person["ready"] = 0, True
    candidates = [
        Candidate(
            key=p["key"],
            name=p["name"],
            experiences=frozenset(p["experiences"]),
            languages=frozenset(p["languages"]),
            areas=frozenset(p["areas"]),
            availability=slots(p["availability"]),
            active=p["active"],
            limit=p["limit"],
            ready=p["ready"],
            not_ready_because=() if p["ready"] else ("No supervision recorded yet",),
        )
        for p in people
    ]
    wishes = [
        (
            a["key"],
            Wish(
                experiences=frozenset(a["experiences"]),
                languages=frozenset(a["languages"]),
                modes=frozenset(a["modes"]),
                availability=slots(a["availability"]),
                area=a["area"],
                not_with=frozenset(a["not_with"]),
                declined_by=frozenset(a["declined_by"]),
            ),
        )
        for a in asks
    ]
    return {"people": people, "asks": asks, "candidates": candidates, "wishes": wishes}


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import translation

    translation.activate("en-gb")


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)],
        "n": len(ordered),
    }


def part_memory(requests: int, supporters: int, free: bool, samples: int) -> dict[str, Any]:
    _setup()
    from peerpath.buddying import batch
    from peerpath.buddying.matching import suggest

    started = time.perf_counter()
    made = instance(requests, supporters, everyone_free=free)
    built = time.perf_counter() - started
    wishes, candidates = made["wishes"], made["candidates"]
    rng = random.Random(3)
    chosen = [wishes[rng.randrange(len(wishes))][1] for _ in range(samples)]
    floor, one, one_cpu = [], [], []
    for wish in chosen[:5]:  # warm-up, not counted
        suggest(wish, candidates)
    for wish in chosen:
        started = time.perf_counter()
        for _candidate in candidates:
            pass
        floor.append((time.perf_counter() - started) * 1000)
        started, started_cpu = time.perf_counter(), time.process_time()
        suggest(wish, candidates)
        one.append((time.perf_counter() - started) * 1000)
        one_cpu.append((time.process_time() - started_cpu) * 1000)
    runs: dict[str, list[float]] = {"scores": [], "optimal": [], "greedy": []}
    plans: dict[str, Any] = {}
    for _ in range(3):
        started = time.perf_counter()
        points = batch.scores([wish for _key, wish in wishes], candidates)
        runs["scores"].append(time.perf_counter() - started)
        for name, plan_of in (("optimal", batch.optimal), ("greedy", batch.greedy)):
            started = time.perf_counter()
            plan = plan_of(wishes, candidates, points=points)
            runs[name].append(time.perf_counter() - started)
            plans[name] = {"matched": plan.matched, "total": plan.total}
    tracemalloc.start()
    points = batch.scores([wish for _key, wish in wishes], candidates)
    batch.optimal(wishes, candidates, points=points)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    room = batch.capacities(candidates)
    return {
        "built": built,
        "floor": _percentiles(floor),
        "one": _percentiles(one),
        "one_cpu": statistics.median(one_cpu),
        "suggested": statistics.median([len(suggest(w, candidates)[0]) for w in chosen[:20]]),
        "runs": {name: statistics.median(times) for name, times in runs.items()},
        "plans": plans,
        "pairs_allowed": int((points >= 0).sum()),
        "places": int(room.sum()),
        "ready_with_room": int(((room > 0) & [c.ready for c in candidates]).sum()),
        "traced_peak_mib": peak / 2**20,
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _solver_scipy(points: Any, room: Any) -> dict[int, int]:
    import numpy as np
    from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

    allowed = (points >= 0) & (room > 0)[None, :]
    rows = np.flatnonzero(allowed.any(axis=1))
    columns = np.flatnonzero(allowed.any(axis=0))
    bonus = 1 + int(points.max()) * min(len(rows), int(room[columns].sum()))
    weights = points[np.ix_(rows, columns)].astype(np.float64) + bonus
    weights[~allowed[np.ix_(rows, columns)]] = 0.0
    places = np.repeat(np.arange(len(columns)), room[columns])
    found_rows, found_places = linear_sum_assignment(weights[:, places], maximize=True)
    return {
        int(rows[r]): int(columns[places[p]])
        for r, p in zip(found_rows, found_places, strict=True)
        if weights[r, places[p]] > 0
    }


def _solver_ortools(points: Any, room: Any) -> dict[int, int]:
    import numpy as np
    from ortools.graph.python import min_cost_flow  # type: ignore[import-not-found]

    n, m = points.shape
    rows, columns = np.nonzero((points >= 0) & (room > 0)[None, :])
    sink = n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.zeros(n, np.int64), 1 + rows, 1 + n + np.arange(m)]),
        np.concatenate([1 + np.arange(n), 1 + n + columns, np.full(m, sink)]),
        np.concatenate([np.ones(n + len(rows), np.int64), room.astype(np.int64)]),
        np.concatenate(
            [np.zeros(n, np.int64), -points[rows, columns].astype(np.int64), np.zeros(m, np.int64)]
        ),
    )
    supplies = np.zeros(n + m + 2, np.int64)
    supplies[0], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(n + m + 2), supplies)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise RuntimeError("OR-Tools found no optimum")
    used = flow.flows(np.arange(n, n + len(rows))) > 0
    return {int(r): int(c) for r, c in zip(rows[used], columns[used], strict=True)}


def _solver_networkx(points: Any, room: Any) -> dict[int, int]:
    import networkx as nx  # type: ignore[import-untyped]
    import numpy as np

    n, m = points.shape
    graph = nx.DiGraph()
    for row in range(n):
        graph.add_edge("s", ("r", row), capacity=1, weight=0)
    for column in range(m):
        if room[column] > 0:
            graph.add_edge(("c", column), "t", capacity=int(room[column]), weight=0)
    rows, columns = np.nonzero((points >= 0) & (room > 0)[None, :])
    for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
        graph.add_edge(("r", row), ("c", column), capacity=1, weight=-int(points[row, column]))
    flow = nx.max_flow_min_cost(graph, "s", "t")
    return {
        row: column
        for row in range(n)
        for (_kind, column), sent in flow[("r", row)].items()
        if sent
    }


def part_solver(name: str, requests: int, supporters: int, free: bool) -> dict[str, Any]:
    _setup()
    from peerpath.buddying import batch

    made = instance(requests, supporters, everyone_free=free)
    points = batch.scores([wish for _key, wish in made["wishes"]], made["candidates"])
    room = batch.capacities(made["candidates"])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    started = time.perf_counter()
    chosen = globals()[f"_solver_{name}"](points, room)
    took = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": took,
        "matched": len(chosen),
        "total": sum(int(points[r, c]) for r, c in chosen.items()),
        "traced_peak_mib": peak / 2**20,
        "rss_growth_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before,
    }


def _seed(made: dict[str, Any]) -> dict[str, Any]:
    """The same people in the database: supporters through the services, the many members,
    requests and active matches with bulk_create."""
    import datetime as dt

    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import transaction

    from peerpath.accounts.choices import Role
    from peerpath.accounts.models import Membership, User
    from peerpath.accounts.services import (
        membership_grant,
        organisation_create,
        supporter_profile_update,
        user_create,
    )
    from peerpath.buddying.choices import ProposalStatus, Rhythm
    from peerpath.buddying.models import Match, Proposal, SupportRequest
    from peerpath.core import clock
    from peerpath.core.actors import OPERATOR
    from peerpath.supervision.models import CheckOutcome, TrainingModule
    from peerpath.supervision.services import (
        background_check_record,
        supervision_session_record,
        training_completion_record,
    )

    today = clock.today()
    rng = random.Random(11)
    with transaction.atomic():
        org = organisation_create(actor=OPERATOR, name="Bench Parents", slug="bench")
        coordinator = user_create(actor=OPERATOR, email="ash@example.org", display_name="Ash")
        membership_grant(actor=OPERATOR, user=coordinator, organisation=org, role=Role.COORDINATOR)
        TOTP.activate(coordinator, "JBSWY3DPEHPK3PXP")
        RecoveryCodes.activate(coordinator)
        module = TrainingModule.objects.create(
            organisation=org, name="Peer support foundations", required_for_matching=True
        )
        places: dict[int, Membership] = {}
        for person in made["people"]:
            user = user_create(
                actor=OPERATOR,
                email=f"supporter{person['key']}@example.org",
                display_name=person["name"],
            )
            place = membership_grant(
                actor=OPERATOR, user=user, organisation=org, role=Role.PEER_SUPPORTER
            )
            supporter_profile_update(
                actor=OPERATOR,
                profile=place.supporter_profile,
                lived_experiences=person["experiences"],
                languages=person["languages"],
                areas=person["areas"],
                availability=person["availability"],
                capacity=person["limit"],
            )
            training_completion_record(
                actor=OPERATOR, supporter=place, module=module, completed_on=dt.date(2026, 9, 1)
            )
            background_check_record(
                actor=OPERATOR,
                supporter=place,
                kind="Enhanced DBS",
                checked_on=dt.date(2026, 8, 1),
                outcome=CheckOutcome.CLEAR,
                renew_by=None,
            )
            if person["ready"]:
                supervision_session_record(
                    actor=OPERATOR,
                    supporter=place,
                    supervisor=coordinator,
                    held_on=today - dt.timedelta(days=rng.randint(0, 25)),
                    notes="",
                    agreed_actions="",
                    is_debrief=False,
                )
            places[person["key"]] = place
        matched = sum(person["active"] for person in made["people"])
        total = len(made["asks"]) + matched
        User.objects.bulk_create(
            [
                User(email=f"member{n}@example.org", display_name=f"Member {n}")
                for n in range(total)
            ],
            batch_size=1000,
        )
        users = list(User.objects.filter(email__startswith="member").order_by("pk"))
        Membership.objects.bulk_create(
            [Membership(user=user, organisation=org, role=Role.MEMBER) for user in users],
            batch_size=1000,
        )
        members = list(Membership.objects.filter(organisation=org, role=Role.MEMBER).order_by("pk"))
        waiting, others = members[: len(made["asks"])], iter(members[len(made["asks"]) :])
        Match.objects.bulk_create(
            [
                Match(organisation=org, member=next(others), supporter=places[person["key"]])
                for person in made["people"]
                for _ in range(person["active"])
            ],
            batch_size=1000,
        )
        SupportRequest.objects.bulk_create(
            [
                SupportRequest(
                    organisation=org,
                    member=member,
                    experiences=ask["experiences"],
                    modes=ask["modes"],
                    rhythm=Rhythm.WEEKLY,
                    availability=ask["availability"],
                    languages=ask["languages"],
                    area=ask["area"],
                )
                for member, ask in zip(waiting, made["asks"], strict=True)
            ],
            batch_size=1000,
        )
        requests = list(SupportRequest.objects.filter(organisation=org).order_by("pk"))
        through = SupportRequest.not_with.through
        through.objects.bulk_create(
            [
                through(supportrequest_id=request.pk, membership_id=places[key].pk)
                for request, ask in zip(requests, made["asks"], strict=True)
                for key in ask["not_with"]
            ]
        )
        Proposal.objects.bulk_create(
            [
                Proposal(
                    request=request,
                    supporter=places[key],
                    proposed_by=coordinator,
                    status=ProposalStatus.DECLINED,
                )
                for request, ask in zip(requests, made["asks"], strict=True)
                for key in ask["declined_by"]
            ]
        )
    return {"organisation": org, "coordinator": coordinator, "requests": requests}


def _one_request(organisation: Any, requests: list[Any]) -> dict[str, Any]:
    """``suggestions_for`` for 30 requests (after 5 not counted), beside the floor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from peerpath.buddying.suggestions import suggestions_for, supporter_places

    rng = random.Random(5)
    floor, one, one_cpu, queries = [], [], [], 0
    for n, request in enumerate([rng.choice(requests) for _ in range(35)]):
        request.refresh_from_db()
        started = time.perf_counter()
        supporter_places(organisation)
        took_floor = (time.perf_counter() - started) * 1000
        started, started_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as seen:
            suggestions_for(request)
        took = (time.perf_counter() - started) * 1000
        if n >= 5:  # warm-up, not counted
            floor.append(took_floor)
            one.append(took)
            one_cpu.append((time.process_time() - started_cpu) * 1000)
        queries = len(seen)
    return {
        "floor": _percentiles(floor),
        "one": _percentiles(one),
        "one_queries": queries,
        "one_cpu": statistics.median(one_cpu),
    }


def part_database(requests: int, supporters: int) -> dict[str, Any]:
    _setup()
    import re
    import sqlite3

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from peerpath.buddying.models import Proposal

    made = instance(requests, supporters)
    started = time.perf_counter()
    seeded = _seed(made)
    seeding = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    org, coordinator = seeded["organisation"], seeded["coordinator"]
    one = _one_request(org, seeded["requests"])
    client = Client()
    client.force_login(coordinator)
    url = reverse("buddying:propose_all", kwargs={"slug": org.slug})
    loads, cpu, page = [], [], b""
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as page_queries:
            response = client.get(url)
        loads.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        if response.status_code != 200:
            raise RuntimeError(f"the page answered {response.status_code}")
        page = response.content
    ticked = re.findall(rb'name="pair" type="checkbox" value="([^"]+)"', page)
    best = re.search(rb'id="best-matched">(\d+)<.*?id="best-total">(\d+)<', page, re.S)
    greedy = re.search(rb'id="greedy-matched">(\d+)<.*?id="greedy-total">(\d+)<', page, re.S)
    send = [value.decode() for value in ticked[:20]]
    started, started_cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as sent_queries:
        response = client.post(url, {"pair": send})
    sending = time.perf_counter() - started
    sending_cpu = time.process_time() - started_cpu
    if response.status_code != 302 or Proposal.objects.filter(status="waiting").count() != len(
        send
    ):
        raise RuntimeError("the ticked pairs were not all sent")
    return {
        **one,
        "seeding": seeding,
        "page_loads": loads,
        "page_cpu": statistics.median(cpu),
        "page_queries": len(page_queries),
        "page_kib": len(page) / 1024,
        "page_pairs": len(ticked),
        "page_best": [int(x) for x in best.groups()] if best else None,
        "page_greedy": [int(x) for x in greedy.groups()] if greedy else None,
        "sent": len(send),
        "send_seconds": sending,
        "send_cpu": sending_cpu,
        "send_queries": len(sent_queries),
        "sqlite": sqlite3.sqlite_version,
    }


def _env(var_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        PEERPATH_VAR_DIR=var_dir,
        DEBUG="false",
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="testserver",
    )
    return env


def _part(var_dir: str, *args: str, timeout: int = 3600) -> Any:
    found = subprocess.run(
        [sys.executable, __file__, "--part", *args],
        cwd=ROOT,
        env=_env(var_dir),
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return json.loads(found.stdout.strip().splitlines()[-1])


def machine() -> str:
    memory, cpu = "", ""
    with Path("/proc/meminfo").open() as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = f", {round(int(line.split()[1]) / 1024**2)} GiB"
    with Path("/proc/cpuinfo").open() as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}, {cpu}, "
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
    changed = git("status", "--porcelain", "--", "peerpath", "bench")
    return f"{head} (uncommitted changes)" if changed else head


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("numpy", "scipy", "ortools", "networkx", "Django"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return ", ".join(found)


def report(args: argparse.Namespace, var_dir: str) -> None:
    load = os.getloadavg()[0]
    sizes = (str(args.requests), str(args.supporters), "free" if args.everyone_free else "-")
    memory = _part(var_dir, "memory", *sizes, str(args.samples))
    compared: dict[str, Any] = {}
    for name in args.compare.split(",") if args.compare else ():
        try:
            compared[name] = _part(var_dir, "solver", *sizes, name, timeout=600)
        except subprocess.TimeoutExpired:
            compared[name] = None
        except subprocess.CalledProcessError as error:
            compared[name] = {"error": error.stderr.strip().splitlines()[-1]}
    database = None
    if not args.no_database and not args.everyone_free:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=ROOT,
            env=_env(var_dir),
            check=True,
        )
        database = _part(var_dir, "database", *sizes)
    print(
        f"Machine: {machine()}; {_versions()}; at {revision()}; load average {load:.2f} "
        f"before the run, {os.getloadavg()[0]:.2f} after\n"
    )
    print(
        f"{args.requests:,} waiting requests, {args.supporters} supporters "
        f"({memory['ready_with_room']} ready with room, {memory['places']:,} free places"
        f"{', everyone free' if args.everyone_free else ''}); "
        f"{memory['pairs_allowed']:,} pairs not left out; built in {memory['built']:.2f} s\n"
    )
    floor, one = memory["floor"], memory["one"]
    print(
        "| in memory | p50 (ms) | p95 (ms) | p50 CPU (ms) | p50 / floor p50 |\n"
        "|---|---|---|---|---|"
    )
    print(
        f"| floor: a bare loop over {args.supporters} candidates | {floor['p50']:.3f} | "
        f"{floor['p95']:.3f} | | 1 |"
    )
    print(
        f"| suggestions for one request ({one['n']} requests; median "
        f"{memory['suggested']:.0f} suggested) | {one['p50']:.1f} | {one['p95']:.1f} | "
        f"{memory['one_cpu']:.1f} | {one['p50'] / floor['p50']:,.0f} |\n"
    )
    runs, plans = memory["runs"], memory["plans"]
    print("| batch, median of 3 | seconds | matched | points |\n|---|---|---|---|")
    print(f"| `batch.scores`: every pair's points | {runs['scores']:.2f} | | |")
    for name in ("optimal", "greedy"):
        print(
            f"| `batch.{name}` given the points | {runs[name]:.2f} | "
            f"{plans[name]['matched']:,} | {plans[name]['total']:,} |"
        )
    print(
        f"\nMemory: tracemalloc peak {memory['traced_peak_mib']:.0f} MiB during scores and "
        f"optimal; the process's peak resident size {memory['maxrss_mib']:.0f} MiB "
        "(Django and the libraries included)\n"
    )
    if compared:
        print(
            "| assignment alone | seconds | matched | points | tracemalloc peak (MiB) | "
            "resident size growth (MiB) |\n|---|---|---|---|---|---|"
        )
        for name, found in compared.items():
            if found is None:
                print(f"| {name} | did not finish in 600 s | | | | |")
            elif "error" in found:
                print(f"| {name} | not run: {found['error']} | | | | |")
            else:
                print(
                    f"| {name} | {found['seconds']:.2f} | {found['matched']:,} | "
                    f"{found['total']:,} | {found['traced_peak_mib']:.0f} | "
                    f"{found['rss_growth_mib']:.0f} |"
                )
        print()
    if database:
        floor, one = database["floor"], database["one"]
        print(f"SQLite {database['sqlite']}, seeded in {database['seeding']:.0f} s\n")
        print(
            "| against the database | p50 (ms) | p95 (ms) | p50 CPU (ms) | p50 / floor p50 "
            "| queries |\n|---|---|---|---|---|---|"
        )
        print(
            f"| floor: `supporter_places` alone | {floor['p50']:.1f} | {floor['p95']:.1f} "
            "| | 1 | 1 |"
        )
        print(
            f"| `suggestions_for` one request ({one['n']} requests) | {one['p50']:.1f} | "
            f"{one['p95']:.1f} | {database['one_cpu']:.1f} | "
            f"{one['p50'] / floor['p50']:.0f} | {database['one_queries']} |\n"
        )
        loads = ", ".join(f"{s:.2f}" for s in database["page_loads"])
        sent = database["sent"]
        print(
            f"The page (`buddying:propose_all`), {args.requests:,} waiting: {loads} s "
            f"(median CPU {database['page_cpu']:.2f} s; {database['page_queries']} queries, "
            f"{database['page_kib']:,.0f} KiB, {database['page_pairs']:,} pairs offered; best "
            f"{database['page_best']}, greedy {database['page_greedy']} as [matched, points])."
            f" Sending {sent} ticked pairs: {database['send_seconds']:.2f} s, CPU "
            f"{database['send_cpu']:.2f} s ({database['send_seconds'] / sent * 1000:.0f} ms "
            f"and {database['send_queries'] / sent:.0f} queries a pair)."
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--part":
        kind, requests, supporters, free, *rest = sys.argv[2:]
        sizes = (int(requests), int(supporters), free == "free")
        if kind == "memory":
            found = part_memory(*sizes, int(rest[0]))
        elif kind == "solver":
            found = part_solver(rest[0], *sizes)
        else:
            found = part_database(*sizes[:2])
        print(json.dumps(found))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--supporters", type=int, default=500)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--no-database", action="store_true")
    parser.add_argument(
        "--everyone-free",
        action="store_true",
        help="every supporter ready with no active match (in memory only)",
    )
    parser.add_argument(
        "--compare",
        metavar="SOLVERS",
        help="also time the assignment alone with these, e.g. scipy,ortools,networkx",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        report(args, var_dir)


if __name__ == "__main__":
    main()
