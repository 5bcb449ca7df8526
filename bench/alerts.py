"""Benchmark: a safeguarding alert to the on-duty person's dashboard and to her phone.

    .venv/bin/python bench/alerts.py [--alerts 50] [--open 1000] [--postgres URL] [--redis URL]

For each database (a fresh SQLite file, and a fresh PostgreSQL database when --postgres is
given, with the Redis channel layer from --redis) it seeds an organisation in staffed hours
with an on-duty primary whose mobile number is checked and who chose texts, and OPEN alerts
already open, then starts PeerPath as ``make run`` does: uvicorn (``config.asgi:application``)
on 127.0.0.1 and one ``manage.py worker``, whose texts go through the Twilio adapter to the
local fake provider of tests/fakes/providers.py. The primary's dashboard websocket is opened
with her signed-in session, and ALERTS alerts are raised one at a time in two ways:

- by the member asking for contact (``POST /help-now/talk-to-someone/``, in the app, no
  message): ``member_request_raise`` and ``alert_raise`` run in the web server, as for every
  alert raised from a page. A member with a request still open or acknowledged only adds to
  it and pages nobody, so after each sample (outside the timed part) the on-duty primary
  closes it with ``alert_close`` in the raising process, and the page's fetches settle before
  the next one; every request is then a first request, as a new one is;
- by ``alert_raise`` called in another process (as a worker's job, a command, or a separate
  page server would), which only reaches the dashboard through a shared channel layer.

Each is timed from just before the raise to the websocket's "changed" event, to the alerts list
shown (``safeguarding:alerts_list``, with every open alert on it, fetched as the page does:
250 ms after the last event of a burst, one fetch at a time, again once if events came during
it, after every (re)connection and every 30 s), and to the fake provider accepting the text.
Alerts are spaced by a random wait of up to the worker's poll interval, so they fall at every
point of its sleep, and each finds the page's 30-second catch-up at a random point too. As a floor, between the alerts, it times a ping and pong on the same
websocket (the consumer reads her user, session and roles again, as for every event) and
``GET /healthz``. Before the alerts the dashboard is left with nothing happening for up to
15 s, to see whether the server keeps an idle connection; whenever the server closes it, the
benchmark opens it again a second later and fetches the list, as the page does, and counts the
closes. An event lost while the connection was closed counts as later than 3 s.

Prints Markdown tables for docs/benchmarks.md. Stops by itself: every wait is bounded, and the
server, the worker and the raising process are stopped on the way out. On PostgreSQL it drops
and creates its own database, ``peerpath_bench_alerts``, and empties the Redis database it is
given. Never run as a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import importlib
import json
import math
import os
import platform
import random
import re
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Generic, TypeVar
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "peerpath_bench_alerts"
POLL_SECONDS = 2  # the worker's sleep when nothing is due (JOBS_POLL_SECONDS, its default)
DASHBOARD_GOAL, TEXT_GOAL = 2.0, 5.0  # seconds, at p95
IDLE_SECONDS = 15.0  # how long the dashboard is left with nothing happening
DASHBOARD_WAIT = 3.0  # seconds: an event later than this counts as not received
TEXT_WAIT = 30.0
# The page (static/peerpath/alerts-live.js): it fetches the list GATHER_EVENTS after the last
# event of a burst, and every CATCH_UP_EVERY whatever happens.
GATHER_EVENTS = 0.25
CATCH_UP_EVERY = 30.0
LIST_WAIT = CATCH_UP_EVERY + 10  # a list that never showed her alert counts as later than this
PINGS_PER_ALERT = 3
WARM_UP_ALERTS = 2
FORM_PATH = "/help-now/talk-to-someone/"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
FORBIDDEN = 4403  # the dashboard's close code when access is refused
TROUBLE = re.compile(r"Traceback|Error|ERROR|Exception|WARNING|Warning")

SEED = r"""
import datetime as dt, json, sys
import django
django.setup()
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone
from peerpath.accounts.choices import Role
from peerpath.accounts.services import (
    membership_grant, organisation_create, organisation_update, user_create,
)
from peerpath.core import clock
from peerpath.core.actors import OPERATOR
from peerpath.jobs.models import Job
from peerpath.notifications.models import Delivery
from peerpath.notifications.purposes import Channel
from peerpath.notifications.services import (
    notification_preferences_update, phone_check_record,
)
from peerpath.safeguarding.models import (
    Alert, AlertSource, AlertStatus, DutyPosition, RotaSlot, StaffedHours,
)
from peerpath.safeguarding.purposes import SAFEGUARDING_ALERT
from peerpath.safeguarding.services import (
    ESCALATE_TASK, alert_raise, alert_tiers_seed_defaults, crisis_contacts_seed_defaults,
    rota_slot_save, safeguarding_setting_save,
)

OPEN = int(sys.argv[1])
MEMBERS = 250
# Staffed, and her shift, from three hours ago to six hours ahead: in hours whenever it runs.
local = timezone.localtime(clock.now())
starts = (local - dt.timedelta(hours=3)).time().replace(minute=0, second=0, microsecond=0)
ends = (local + dt.timedelta(hours=6)).time().replace(minute=0, second=0, microsecond=0)
with transaction.atomic():
    org = organisation_create(actor=OPERATOR, name="Bench Parents", slug="bench")

    def person(email, name, role, phone=""):
        user = user_create(actor=OPERATOR, email=email, display_name=name, phone=phone)
        membership_grant(actor=OPERATOR, user=user, organisation=org, role=role)
        if role != Role.MEMBER:  # staff have two-step verification
            TOTP.activate(user, "JBSWY3DPEHPK3PXP")
            RecoveryCodes.activate(user)
        return user

    primary = person("ash@example.org", "Ash", Role.COORDINATOR, "+447700900001")
    backup = person("bay@example.org", "Bay", Role.COORDINATOR, "+447700900002")
    lead = person("cedar@example.org", "Cedar", Role.ORG_ADMIN, "+447700900003")
    member = person("sunflower@example.org", "Sunflower 101", Role.MEMBER, "+447700900101")
    others = [person(f"m{n}@example.org", f"Member {n}", Role.MEMBER) for n in range(MEMBERS)]
    organisation_update(actor=OPERATOR, organisation=org, safeguarding_lead=lead)
    alert_tiers_seed_defaults(organisation=org, actor=OPERATOR)
    crisis_contacts_seed_defaults(organisation=org, actor=OPERATOR)
    safeguarding_setting_save(
        actor=OPERATOR,
        obj=StaffedHours(organisation=org, staffed_from=starts, staffed_until=ends),
        changed=["staffed_from", "staffed_until"],
    )
    for position, who in ((DutyPosition.PRIMARY, primary), (DutyPosition.BACKUP, backup)):
        rota_slot_save(
            actor=OPERATOR,
            slot=RotaSlot(organisation=org, position=position, starts_at=starts, ends_at=ends,
                          rotation_starts_on=local.date()),
            changed=[],
            people=[who],
        )
    # The people on duty have checked their numbers (texts go to unchecked ones too).
    for staff in (primary, backup):
        phone_check_record(actor=OPERATOR, user=staff)
    notification_preferences_update(
        actor=primary, user=primary, all_off=False, quiet_start=None, quiet_end=None,
        channels={SAFEGUARDING_ALERT: [Channel.IN_APP, Channel.SMS]},
    )
    # The open alerts, raised as any other: paged, logged, audited, their next step queued.
    for n in range(OPEN):
        who = others[n % MEMBERS]
        alert_raise(actor=who, organisation=org, source=AlertSource.CHECK_IN, tier=1,
                    member=who, context=f"Answer {n}")
    # Their pages went out long ago, and no further step falls due while this runs.
    later = clock.now() + dt.timedelta(days=1)
    Delivery.objects.filter(status="pending").update(status="sent", finished_at=clock.now())
    Job.objects.filter(task=ESCALATE_TASK, status="pending").update(due_at=later)
    Alert.objects.filter(organisation=org).update(next_step_at=later)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


print(json.dumps({
    "slug": org.slug,
    "cookie": settings.SESSION_COOKIE_NAME,
    "staff": signed_in(primary),
    "member": signed_in(member),
    "member_email": member.email,
    "staff_email": primary.email,
    "hours": f"{starts:%H:%M} to {ends:%H:%M}",
    "open": Alert.objects.filter(organisation=org, status=AlertStatus.OPEN).count(),
}))
"""

# On "raise", raises an alert and answers with its id and the call's time; on "close ID", the
# on-duty primary closes that alert, as she would once she has talked with her.
RAISER = r"""
import sys, time
import django
django.setup()
from peerpath.accounts.models import Organisation, User
from peerpath.safeguarding.models import Alert, AlertOutcome, AlertSource, ReferralDecision
from peerpath.safeguarding.services import alert_close, alert_raise
organisation = Organisation.objects.get(slug=sys.argv[1])
member = User.objects.get(email=sys.argv[2])
on_duty = User.objects.get(email=sys.argv[3])
print("ready", flush=True)
for line in sys.stdin:
    words = line.split()
    started = time.perf_counter()
    if words == ["raise"]:
        alert = alert_raise(actor=member, organisation=organisation, source=AlertSource.CHECK_IN,
                            tier=1, member=member, context="An answer that needs a call back.")
        print("raised", alert.public_id, time.perf_counter() - started, flush=True)
    elif len(words) == 2 and words[0] == "close":
        alert = alert_close(actor=on_duty, alert=Alert.objects.get(public_id=words[1]),
                            outcome=AlertOutcome.SUPPORTED,
                            referral_decision=ReferralDecision.NOT_NEEDED,
                            reasons="We talked; peer support continues.")
        print("closed", alert.public_id, time.perf_counter() - started, flush=True)
    else:
        print("unknown", line.strip(), flush=True)
"""

T = TypeVar("T")


class Feed(Generic[T]):
    """Things that arrived, each with the moment it arrived; waiters find the first match."""

    def __init__(self) -> None:
        self.items: list[tuple[float, T]] = []
        self._waiters: list[asyncio.Future[None]] = []

    def add(self, at: float, item: T) -> None:
        self.items.append((at, item))
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def first(
        self, match: Callable[[float, T], bool], deadline: float
    ) -> tuple[float, T] | None:
        seen = 0
        while True:
            for at, item in self.items[seen:]:
                if match(at, item):
                    return at, item
            seen = len(self.items)
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                return None


def since(moment: float) -> Callable[[float, Any], bool]:
    """Matches anything that arrived at or after ``moment``."""
    return lambda at, _item: at >= moment


class TimedArrivals(dict[str, dict[str, str]]):
    """The fake provider's record of accepted texts, telling ``on_text`` when each came."""

    def __init__(self, on_text: Callable[[float, str], None]) -> None:
        super().__init__()
        self.on_text = on_text

    def __setitem__(self, key: str, value: dict[str, str]) -> None:
        at = time.perf_counter()
        super().__setitem__(key, value)
        self.on_text(at, value.get("body", ""))


@dataclass
class Response:
    started: float
    finished: float
    status: int
    body: str
    headers: list[tuple[str, str]]


def request(
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str],
    form: dict[str, str] | None = None,
) -> Response:
    """One HTTP request on a connection opened first (as a browser's kept-alive one is)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TEXT_WAIT)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.connect()
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        finished = time.perf_counter()
        return Response(
            started, finished, response.status, data.decode(errors="replace"), response.getheaders()
        )
    finally:
        connection.close()


@dataclass
class Sample:
    alert: str
    call: float  # until the raise returned: her page's answer, or alert_raise itself
    dashboard: float | None
    listed: float | None
    text: float | None


@dataclass
class Results:
    pings: list[float] = field(default_factory=list)
    healthz: list[float] = field(default_factory=list)
    list_alone: list[float] = field(default_factory=list)
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    texts_accepted: int = 0
    drops: int = 0
    closes: list[float] = field(default_factory=list)  # alert_close, between her requests
    closes_unseen: int = 0  # closes whose event did not reach the dashboard (shared layer)
    idle_held: float | None = None  # how long an idle connection lasted, if the server closed it
    texts_expected: int = 0
    hours: str = ""
    open_before: int = 0
    logged: dict[str, int] = field(default_factory=dict)  # error lines in each process's log


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def free_port(first: int) -> int:
    for port in range(first, first + 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"No free port from {first}")


def fresh_postgres(url: str) -> str:
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {DATABASE_NAME}")
    return urlunparse(parts._replace(path=f"/{DATABASE_NAME}"))


def drop_postgres(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")


def empty_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


def env_for(
    var_dir: str, database_url: str | None, redis_url: str | None, port: int, fake_url: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        PEERPATH_VAR_DIR=var_dir,
        PEERPATH_BASE_URL=f"http://127.0.0.1:{port}",
        PEERPATH_DEFAULT_ORGANISATION="bench",
        SMS_BACKEND="peerpath.notifications.channels.sms.TwilioSmsBackend",
        TWILIO_API_BASE=fake_url,
        TWILIO_ACCOUNT_SID="AC-bench",
        TWILIO_AUTH_TOKEN="not-a-secret",  # noqa: S106 - the fake checks nothing
        TWILIO_FROM="+441632960000",
        JOBS_POLL_SECONDS=str(POLL_SECONDS),
        LOG_LEVEL="ERROR",
        DEBUG="false",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def python(args: list[str], env: dict[str, str], timeout: float) -> str:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    ).stdout.strip()


def start(
    args: list[str], env: dict[str, str], log: IO[bytes], stdin: int | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        stdin=stdin,
        stdout=subprocess.PIPE if stdin is not None else log,
        stderr=log,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_until_serving(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"uvicorn exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            if request(port, "GET", "/healthz", {}).status == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"uvicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


class Bench:
    """One database's run, against a server, a worker and a raising process already started."""

    def __init__(
        self,
        port: int,
        seed: dict[str, Any],
        raiser: subprocess.Popen[bytes],
        texts: Feed[str],
        count: int,
        *,
        shared_layer: bool,
    ) -> None:
        self.port = port
        self.shared_layer = shared_layer  # events from other processes reach the dashboard
        self.seed = seed
        self.raiser = raiser
        self.texts = texts
        self.count = count
        self.staff = {seed["cookie"]: seed["staff"]}
        self.member = {seed["cookie"]: seed["member"]}
        self.list_path = f"/staff/{seed['slug']}/alerts/list/"
        self.pongs: Feed[dict[str, Any]] = Feed()
        self.changes: Feed[dict[str, Any]] = Feed()
        self.lists: Feed[str] = Feed()
        self.refreshes: set[asyncio.Task[None]] = set()
        self.gather: asyncio.TimerHandle | None = None  # the page's pending fetch
        self.catch_up: asyncio.Task[None] | None = None
        self.fetching = False
        self.again = False
        self.form: dict[str, str] = {}
        self.results = Results()
        self.random = random.Random(7)
        self.reading = False  # a thread is waiting for the raising process to answer
        self.socket: Any = None
        self.connected = asyncio.Event()
        self.drops: list[float] = []
        self.opened_at = 0.0

    async def http(
        self, method: str, path: str, cookies: dict[str, str], form: dict[str, str] | None = None
    ) -> Response:
        return await asyncio.to_thread(request, self.port, method, path, cookies, form)

    async def run(self) -> Results:
        connection = asyncio.create_task(self.stay_connected())
        self.catch_up = asyncio.create_task(self.catching_up(CATCH_UP_EVERY))
        try:
            await asyncio.wait_for(self.connected.wait(), 15)
            await self.get_form_token()
            for _ in range(20):  # warm up
                await self.ping()
                await self.http("GET", "/healthz", {})
            await self.settle()
            for _ in range(5):
                response = await self.http("GET", self.list_path, self.staff)
                self.results.list_alone.append(response.finished - response.started)
            await self.idle()
            ways: list[tuple[str, Callable[[], Awaitable[tuple[float, float, str | None]]]]]
            ways = [("form", self.raise_by_form), ("process", self.raise_in_process)]
            for name, raise_alert in ways:
                samples = self.results.samples.setdefault(name, [])
                for number in range(WARM_UP_ALERTS + self.count):
                    for _ in range(PINGS_PER_ALERT):
                        self.results.pings.append(await self.ping())
                    health = await self.http("GET", "/healthz", {})
                    self.results.healthz.append(health.finished - health.started)
                    await asyncio.sleep(self.random.uniform(0, POLL_SECONDS))
                    await self.new_catch_up_phase()
                    sample = await self.one_alert(raise_alert)
                    if number >= WARM_UP_ALERTS:
                        samples.append(sample)
                    print(f"  {name} {number + 1}: {sample}", file=sys.stderr)
                    if name == "form":
                        await self.close_request(sample.alert)
        finally:
            if self.reading:
                # A thread still waits on its answer; asyncio.run would wait for it.
                self.raiser.kill()
            await self.stop_catch_up()
            connection.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await connection
            if self.gather is not None:
                self.gather.cancel()
                self.gather = None
            await self.settle()
        self.results.drops = len(self.drops)
        return self.results

    async def idle(self) -> None:
        """Leave the dashboard idle (no events; pings do not count) for IDLE_SECONDS at most,
        noting how long the server keeps the connection."""
        await self.settle()
        await asyncio.wait_for(self.connected.wait(), 15)
        drops = len(self.drops)
        quiet_since = max([self.opened_at, *(at for at, _event in self.changes.items[-1:])])
        deadline = time.perf_counter() + IDLE_SECONDS
        while time.perf_counter() < deadline and len(self.drops) == drops:
            await asyncio.sleep(0.05)
        if len(self.drops) > drops:
            self.results.idle_held = self.drops[drops] - quiet_since
            await asyncio.wait_for(self.connected.wait(), 15)
            await self.settle()

    async def stay_connected(self) -> None:
        """The page's connection: it fetches the list on opening and on every event, and
        opens again a second after the server closes it (unless access was refused)."""
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed
        from websockets.typing import Origin

        uri = f"ws://127.0.0.1:{self.port}/ws/staff/{self.seed['slug']}/alerts/"
        while True:
            try:
                async with connect(
                    uri,
                    origin=Origin(f"http://127.0.0.1:{self.port}"),
                    additional_headers={"Cookie": f"{self.seed['cookie']}={self.seed['staff']}"},
                    proxy=None,
                    ping_interval=None,
                    open_timeout=10,
                ) as socket_:
                    hello = json.loads(await asyncio.wait_for(socket_.recv(), 10))
                    if hello.get("type") != "hello":
                        raise SystemExit(f"Unexpected first message: {hello}")
                    self.socket = socket_
                    self.opened_at = time.perf_counter()
                    self.connected.set()
                    self.page_refresh()
                    await self.read(socket_)
            except ConnectionClosed as closed:
                if closed.rcvd is not None and closed.rcvd.code == FORBIDDEN:
                    raise SystemExit("The dashboard refused her connection") from None
            except (OSError, TimeoutError):
                pass  # the server did not answer the opening: try again, as the page does
            self.connected.clear()
            self.socket = None
            self.drops.append(time.perf_counter())
            self.pongs.add(time.perf_counter(), {"type": "dropped"})
            print("  the server closed the dashboard's connection", file=sys.stderr)
            await asyncio.sleep(1)

    async def read(self, socket_: Any) -> None:
        async for raw in socket_:
            at = time.perf_counter()
            message = json.loads(raw)
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "pong":
                self.pongs.add(at, message)
            elif kind == "changed":
                self.changes.add(at, message)
                self.page_refresh()

    async def catching_up(self, first: float) -> None:
        """The page fetches the list every 30 s too (while it is visible, as here)."""
        await asyncio.sleep(first)
        while True:
            self.page_refresh()
            await asyncio.sleep(CATCH_UP_EVERY)

    async def stop_catch_up(self) -> None:
        if self.catch_up is not None:
            self.catch_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.catch_up
            self.catch_up = None

    async def new_catch_up_phase(self) -> None:
        """Before each alert, the next catch-up is a random part of 30 s away, as for a page
        opened at any moment. Otherwise an alert that only a catch-up shows would end its
        sample just after one and the next would be raised at the same point of the cycle."""
        await self.stop_catch_up()
        first = self.random.uniform(0, CATCH_UP_EVERY)
        self.catch_up = asyncio.create_task(self.catching_up(first))

    def page_refresh(self) -> None:
        """What the page does on opening, on every event and every 30 s: fetch the list
        GATHER_EVENTS after the last of these in a burst ("raised, then paged" is one fetch)."""
        if self.gather is not None:
            self.gather.cancel()
        self.gather = asyncio.get_running_loop().call_later(GATHER_EVENTS, self.gathered)

    def gathered(self) -> None:
        self.gather = None
        self.page_load()

    def page_load(self) -> None:
        """One fetch at a time; asked during one, it fetches once more when that one ends."""
        if self.fetching:
            self.again = True
            return
        self.fetching = True
        task = asyncio.create_task(self.load())
        self.refreshes.add(task)
        task.add_done_callback(self.refreshes.discard)

    async def load(self) -> None:
        try:
            response = await self.http("GET", self.list_path, self.staff)
            if response.status == 200:
                self.lists.add(response.finished, response.body)
            else:
                print(f"  the alerts list answered {response.status}", file=sys.stderr)
        except (OSError, http.client.HTTPException) as error:
            print(f"  the alerts list failed: {error!r}", file=sys.stderr)
        finally:
            self.fetching = False
            if self.again:
                self.again = False
                self.page_load()

    async def settle(self) -> None:
        """Wait for the page's fetches, gathered or in flight."""
        deadline = time.perf_counter() + TEXT_WAIT
        while (self.gather is not None or self.refreshes) and time.perf_counter() < deadline:
            if self.refreshes:
                await asyncio.wait(set(self.refreshes), timeout=TEXT_WAIT)
            else:
                await asyncio.sleep(GATHER_EVENTS / 5)

    async def ping(self) -> float:
        """A ping and its pong on the open connection (after it reopens, if it was closed)."""
        for _ in range(10):
            await asyncio.wait_for(self.connected.wait(), 15)
            socket_ = self.socket
            if socket_ is None:
                continue
            started = time.perf_counter()
            with contextlib.suppress(Exception):
                await socket_.send('{"type": "ping"}')
            pong = await self.pongs.first(since(started), started + 10)
            if pong is not None and pong[1].get("type") == "pong":
                return pong[0] - started
        raise SystemExit("No pong in ten tries")

    async def get_form_token(self) -> None:
        page = await self.http("GET", FORM_PATH, self.member)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        cookie = next(
            (
                value.split(";", 1)[0].split("=", 1)[1]
                for name, value in page.headers
                if name.lower() == "set-cookie" and value.startswith("csrftoken=")
            ),
            None,
        )
        if page.status != 200 or found is None or cookie is None:
            raise SystemExit(f"Her form did not load ({page.status})")
        self.member["csrftoken"] = cookie
        self.form = {
            "csrfmiddlewaretoken": found.group(1),
            "how": "in_app",  # so no "voicemail" (asked only for calls and texts)
            "when": "",
            "harm_thoughts": "",  # left unanswered: tier 1
            "message": "I would like to talk to someone.",
        }

    async def raise_by_form(self) -> tuple[float, float, str | None]:
        response = await self.http("POST", FORM_PATH, self.member, self.form)
        if response.status != 302:
            raise SystemExit(f"Her request answered {response.status}: {response.body[:500]}")
        location = next((v for k, v in response.headers if k.lower() == "location"), "")
        if "earlier=" in location:
            raise SystemExit("Her request was added to an earlier one: nobody was paged")
        return response.started, response.finished, None  # the id comes with the event

    async def ask_raiser(self, command: str) -> tuple[float, float, list[str]]:
        """One command to the raising process, and its answer's words."""
        stdin, stdout = self.raiser.stdin, self.raiser.stdout
        assert stdin is not None  # noqa: S101 - opened with pipes
        assert stdout is not None  # noqa: S101
        started = time.perf_counter()
        stdin.write(f"{command}\n".encode())
        stdin.flush()
        self.reading = True
        try:
            line = await asyncio.wait_for(asyncio.to_thread(stdout.readline), TEXT_WAIT)
        finally:
            self.reading = False
        finished = time.perf_counter()
        return started, finished, line.decode().split()

    async def raise_in_process(self) -> tuple[float, float, str | None]:
        started, finished, words = await self.ask_raiser("raise")
        if len(words) != 3 or words[0] != "raised":
            raise SystemExit(f"The raising process said {words!r}")
        return started, finished, words[1]

    async def close_request(self, alert_id: str) -> None:
        """Not timed: the on-duty primary closes her request, so that her next one is a new
        request (while one is open she only adds to it); then the page's fetches settle."""
        started, finished, words = await self.ask_raiser(f"close {alert_id}")
        if words[:2] != ["closed", alert_id]:
            raise SystemExit(f"The raising process said {words!r}")
        self.results.closes.append(finished - started)
        if self.shared_layer:

            def closed(at: float, event: dict[str, Any]) -> bool:
                return at >= started and event.get("id") == alert_id and event.get("op") == "closed"

            if await self.changes.first(closed, started + DASHBOARD_WAIT) is None:
                self.results.closes_unseen += 1
        await self.settle()

    async def one_alert(
        self, raise_alert: Callable[[], Awaitable[tuple[float, float, str | None]]]
    ) -> Sample:
        started, returned, alert_id = await raise_alert()

        def ours(at: float, event: dict[str, Any]) -> bool:
            if at < started:
                return False
            return event.get("id") == alert_id if alert_id else event.get("op") == "created"

        event = await self.changes.first(ours, started + DASHBOARD_WAIT)
        if event is not None:
            alert_id = str(event[1].get("id"))
        known = alert_id
        text = await self.texts.first(
            lambda at, body: known in body if known else at >= started, started + TEXT_WAIT
        )
        if alert_id is None and text is not None:  # her alert's event was lost: its text says
            named = UUID.search(text[1])
            alert_id = named.group(0) if named else None
        if alert_id is None:
            raise SystemExit("Could not tell which alert her request raised")
        found = alert_id

        def shows(at: float, body: str) -> bool:
            return at >= started and found in body

        # After its event, on opening the connection again, or on the 30-second catch-up.
        listed = await self.lists.first(shows, started + LIST_WAIT)
        await self.settle()  # the page's fetches finish before the next alert
        return Sample(
            alert=found,
            call=returned - started,
            dashboard=None if event is None else event[0] - started,
            listed=None if listed is None else listed[0] - started,
            text=None if text is None else text[0] - started,
        )


def wait_until_ready(raiser: subprocess.Popen[bytes]) -> None:
    assert raiser.stdout is not None  # noqa: S101 - opened with a pipe
    readable, _, _ = select.select([raiser.stdout], [], [], 60)
    if not readable or raiser.stdout.readline().strip() != b"ready":
        raise SystemExit("The raising process did not start")


UVICORN = ["-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1"]


def run_database(
    name: str, database_url: str | None, redis_url: str | None, args: argparse.Namespace
) -> Results:
    # Loaded by name: the type checker leaves tests/ to the test run.
    providers = importlib.import_module("tests.fakes.providers")
    port = free_port(args.port)
    loop_box: dict[str, asyncio.AbstractEventLoop] = {}
    texts: Feed[str] = Feed()

    def on_text(at: float, body: str) -> None:  # called on the fake's thread
        loop = loop_box.get("loop")
        if loop is not None:
            loop.call_soon_threadsafe(texts.add, at, body)

    async def measure(seed: dict[str, Any], raiser: subprocess.Popen[bytes]) -> Results:
        loop_box["loop"] = asyncio.get_running_loop()
        async with asyncio.timeout(args.deadline):
            bench = Bench(port, seed, raiser, texts, args.alerts, shared_layer=bool(redis_url))
            return await bench.run()

    with contextlib.ExitStack() as stack:
        var_dir = stack.enter_context(tempfile.TemporaryDirectory())
        fake = stack.enter_context(
            providers.FakeProviders(providers.FakeState(accepted=TimedArrivals(on_text)))
        )
        env = env_for(var_dir, database_url, redis_url, port, fake.url)
        if redis_url:
            empty_redis(redis_url)
        print(f"{name}: migrating and seeding {args.open} open alerts", file=sys.stderr)
        python(["manage.py", "migrate", "--noinput", "-v0"], env, timeout=600)
        seed = json.loads(python(["-c", SEED, str(args.open)], env, timeout=1800).splitlines()[-1])
        logs = {n: Path(var_dir) / f"{n}.log" for n in ("server", "worker", "raiser")}
        files = {n: stack.enter_context(path.open("wb")) for n, path in logs.items()}
        try:
            with contextlib.ExitStack() as children:
                server = start(
                    [*UVICORN, "--port", str(port), "--no-access-log", "--lifespan", "off"],
                    env,
                    files["server"],
                )
                children.callback(stop, server)
                wait_until_serving(port, server, logs["server"])
                children.callback(stop, start(["manage.py", "worker"], env, files["worker"]))
                raiser = start(
                    ["-c", RAISER, seed["slug"], seed["member_email"], seed["staff_email"]],
                    env,
                    files["raiser"],
                    stdin=subprocess.PIPE,
                )
                children.callback(stop, raiser)
                wait_until_ready(raiser)
                print(f"{name}: measuring on 127.0.0.1:{port}", file=sys.stderr)
                results = asyncio.run(measure(seed, raiser))
                time.sleep(POLL_SECONDS + 1)  # any text still on its way
        except BaseException:
            for log_name, path in logs.items():
                print(f"--- {log_name}\n{path.read_text()[-3000:]}", file=sys.stderr)
            raise
        for log_name, path in logs.items():  # uvicorn's start and stop are not counted
            text = path.read_text(errors="replace")
            errors = [line for line in text.splitlines() if TROUBLE.search(line)]
            if errors:
                results.logged[log_name] = len(errors)
                print(f"--- {log_name} log\n{text[-6000:]}", file=sys.stderr)
        results.texts_accepted = len(fake.state.accepted)
        results.texts_expected = 2 * (WARM_UP_ALERTS + args.alerts)
        results.hours = seed["hours"]
        results.open_before = seed["open"]
        return results


def ms(value: float) -> str:
    return f"{value * 1000:,.0f}" if value >= 0.1 else f"{value * 1000:.1f}"


def latency(values: list[float | None], wait: float) -> tuple[str, str, float]:
    """p50 and p95 as table cells, and p95: one that never came counts as later than ``wait``."""
    if all(value is None for value in values):
        return "none", "none", math.inf
    ordered = sorted(math.inf if value is None else value for value in values)
    middle, high = statistics.median(ordered), p95(ordered)

    def show(value: float) -> str:
        return f"over {wait:.0f} s" if math.isinf(value) else ms(value)

    return show(middle), show(high), high


def report(all_results: list[tuple[str, Results]], args: argparse.Namespace) -> None:
    print(
        f"\n{args.alerts} alerts per way of raising, after {WARM_UP_ALERTS} not counted; "
        f"{all_results[0][1].open_before:,} alerts already open in the organisation; "
        f"staffed and on duty {all_results[0][1].hours}; worker poll {POLL_SECONDS} s\n"
    )
    print(
        "| database | floor: websocket ping→pong p50 (ms) | p95 (ms) | floor: GET /healthz "
        "p50 (ms) | p95 (ms) | alerts list alone p50 (ms) |"
    )
    print("|---|---|---|---|---|---|")
    for name, results in all_results:
        print(
            f"| {name} | {ms(p50(results.pings))} | {ms(p95(results.pings))} "
            f"| {ms(p50(results.healthz))} | {ms(p95(results.healthz))} "
            f"| {ms(p50(results.list_alone))} |"
        )
    ways = {
        "form": "her request (page: alert_raise in the web server)",
        "process": "alert_raise in another process",
    }
    print(
        "\n| database | raised by | raise returns p50 (ms) | dashboard event p50 (ms) "
        f"| p95 (ms) | events arrived | p50 / ping p50 | goal p95 ≤ {DASHBOARD_GOAL:.0f} s "
        "| list shown p50 (ms) | p95 (ms) | p50 / list alone p50 | text accepted p50 (ms) "
        f"| p95 (ms) | goal p95 ≤ {TEXT_GOAL:.0f} s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, results in all_results:
        ping = p50(results.pings)
        alone = p50(results.list_alone)
        for way, samples in results.samples.items():
            calls = [s.call for s in samples]
            event_p50, event_p95, event_high = latency(
                [s.dashboard for s in samples], DASHBOARD_WAIT
            )
            arrived = sum(s.dashboard is not None for s in samples)
            events = [s.dashboard for s in samples if s.dashboard is not None]
            ratio = f"{p50(events) / ping:,.0f}" if arrived > len(samples) / 2 else "n/a"
            listed = [s.listed for s in samples]
            list_p50, list_p95, _ = latency(listed, LIST_WAIT)
            shown = [value for value in listed if value is not None]
            list_ratio = f"{p50(shown) / alone:,.1f}" if len(shown) > len(samples) / 2 else "n/a"
            text_p50, text_p95, text_high = latency([s.text for s in samples], TEXT_WAIT)
            print(
                f"| {name} | {ways[way]} | {ms(p50(calls))} | {event_p50} | {event_p95} "
                f"| {arrived} of {len(samples)} | {ratio} "
                f"| {'met' if event_high <= DASHBOARD_GOAL else 'missed'} | {list_p50} "
                f"| {list_p95} | {list_ratio} | {text_p50} | {text_p95} "
                f"| {'met' if text_high <= TEXT_GOAL else 'missed'} |"
            )
    for name, results in all_results:
        print(
            f"\n{name}: the fake provider accepted {results.texts_accepted} texts "
            f"({results.texts_expected} alerts raised, one text each expected). Connections "
            f"the server closed: {results.drops} (the page opens it again after a second). "
            + (
                f"Left idle, the dashboard's connection was closed after {results.idle_held:.1f} s."
                if results.idle_held is not None
                else f"Left idle for {IDLE_SECONDS:.0f} s, the dashboard's connection stayed open."
            )
        )
        if results.closes:
            unseen = (
                f"; {results.closes_unseen} of their events did not reach the dashboard"
                if results.closes_unseen
                else ""
            )
            print(
                f"{name}: her {len(results.closes)} requests were closed between samples "
                f"(alert_close p50 {ms(p50(results.closes))} ms{unseen})."
            )
        logged = ", ".join(f"{n} {k}" for k, n in results.logged.items()) or "none"
        print(f"{name}: error or warning lines logged (server, worker, raiser): {logged}.")
    if args.postgres:
        print(f"\nPostgreSQL with the Redis channel layer at {args.redis}.")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=50)
    parser.add_argument("--open", type=int, default=1000)
    parser.add_argument("--postgres", help="e.g. postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--port", type=int, default=8765, help="the first port to try")
    parser.add_argument("--deadline", type=float, default=2700, help="seconds per database")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # tests.fakes.providers
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    targets: list[tuple[str, str | None]] = [] if args.no_sqlite else [("SQLite", None)]
    if args.postgres:
        targets.append(("PostgreSQL", args.postgres))
    all_results = []
    for name, url in targets:
        database_url = fresh_postgres(url) if url else None
        try:
            all_results.append(
                (name, run_database(name, database_url, args.redis if url else None, args))
            )
        finally:
            if url:
                drop_postgres(url)
    report(all_results, args)


if __name__ == "__main__":
    main()
