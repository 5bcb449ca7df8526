"""Start PeerPath the way docs/operations.md says production runs it, use it, and stop it.

On PostgreSQL and Redis with production settings: migrate, collectstatic, gunicorn with two
workers for pages, uvicorn for /ws/, two `manage.py worker` processes, and a local SMTP server
for Django's real SMTP backend. It then serves the main pages, signs a member in, books the
last place on a session, and waits until a worker has emailed her the reminder. Everything it
started is stopped, whatever happens. Loopback only; bounded in time.

    python scripts/production_run.py postgres://postgres@127.0.0.1:5432/postgres \\
        redis://127.0.0.1:6379/14

The workers' clock is moved forward to just after the reminder is due (through
`tests.clocked`), so the run need not wait until this evening; the web processes keep the real
time. Exits 0 when every step passed.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, closing
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.smtp import FakeSmtp  # noqa: E402

LONDON = ZoneInfo("Europe/London")
DATABASE = "peerpath_production_run"
DEADLINE_SECONDS = 240
EMAIL = "production-run@example.org"
PASSWORD = "a-long-production-run-password-2026"  # noqa: S105 - a throwaway account


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fresh_database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return urlunparse(urlparse(admin_url)._replace(path=f"/{DATABASE}"))


def session_start() -> dt.datetime:
    """Tomorrow at 10am, London time."""
    tomorrow = dt.datetime.now(LONDON).date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(10), LONDON)


def first_reminder_due(starts: dt.datetime) -> dt.datetime:
    """The evening before at 6pm if that is still ahead, else the morning of at 8am (the
    bookings app's reminder times)."""
    evening = dt.datetime.combine(starts.date() - dt.timedelta(days=1), dt.time(18), LONDON)
    morning = dt.datetime.combine(starts.date(), dt.time(8), LONDON)
    return evening if evening > dt.datetime.now(LONDON) else morning


SETUP = """
import datetime as dt, sys
import django
django.setup()
from allauth.account.models import EmailAddress
from peerpath.accounts.choices import Role
from peerpath.accounts.models import ConsentKind
from peerpath.accounts.services import (
    consent_give, membership_grant, organisation_create, user_create)
from peerpath.core import clock
from peerpath.core.actors import OPERATOR
from peerpath.directory.recurrence import Recurrence, Repeats
from peerpath.directory.services import location_create, schedule_create, service_create

starts = dt.datetime.fromisoformat(sys.argv[1])
organisation = organisation_create(
    actor=OPERATOR, name="Harbour Parents Peer Support", slug="harbour-parents")
member = user_create(actor=OPERATOR, email=sys.argv[2], password=sys.argv[3],
                     display_name="Willow 214")
EmailAddress.objects.create(user=member, email=member.email, primary=True, verified=True)
membership_grant(actor=OPERATOR, user=member, organisation=organisation, role=Role.MEMBER)
consent_give(actor=member, user=member, kind=ConsentKind.PRIVACY_NOTICE)
place = location_create(actor=OPERATOR, organisation=organisation,
                        name="Heavitree Family Hub", address="12 Fore Street", area="Exeter",
                        postcode="EX1 2QJ", coordinates=(50.7225, -3.5058))
listing = service_create(actor=OPERATOR, organisation=organisation, name="Bump and Baby Chat",
                         kind="peer_group", summary="A relaxed morning group.",
                         last_checked_on=clock.today(), location=place,
                         booking_required=True, capacity=1, for_whom=["pregnant"])
schedule_create(actor=OPERATOR, service=listing, first_starts_at=starts, duration_minutes=90,
                recurrence=Recurrence(repeats=Repeats.ONCE, weekday=0))
session = listing.occurrences.get()
print(listing.public_id, session.public_id)
"""


class Browser:
    """Just enough of a browser for a signed-in visit over the proxy's HTTPS: cookies
    (including Secure, __Host- ones), the CSRF token, and X-Forwarded-Proto."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            token = self.cookies.get("__Host-csrftoken", "")
            body = urlencode({"csrfmiddlewaretoken": self.csrf or token, **form})
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            }
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
            if found:
                self.csrf = found.group(1)
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            connection.close()

    csrf = ""


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"*** production run FAILED: {what}")
    print(f"ok  {what}", flush=True)


def wait_for(port: int, what: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
        except OSError:
            time.sleep(0.3)
        else:
            print(f"ok  {what} answers on 127.0.0.1:{port}", flush=True)
            return
    raise SystemExit(f"*** production run FAILED: {what} did not start")


def main() -> None:  # noqa: PLR0915 - one scripted visit, step by step
    admin_url, redis_url = sys.argv[1], sys.argv[2]
    deadline = time.monotonic() + DEADLINE_SECONDS
    database_url = fresh_database(admin_url)
    var = ROOT / "build" / "production-run"
    var.mkdir(parents=True, exist_ok=True)
    from cryptography.fernet import Fernet

    pages, sockets = free_port(), free_port()
    with ExitStack() as stack:
        smtp = stack.enter_context(FakeSmtp())
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PEERPATH_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PEERPATH_VAR_DIR": str(var),
            "PEERPATH_BASE_URL": "https://support.harbour-parents.example",
            "DEFAULT_FROM_EMAIL": "Harbour Parents <hello@harbour-parents.example>",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_USE_TLS": "false",
            "JOBS_POLL_SECONDS": "1",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        python = sys.executable

        def run(args: list[str], what: str) -> str:
            result = subprocess.run(
                [python, *args],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            if result.returncode != 0:
                print(result.stdout[-2000:], result.stderr[-2000:], file=sys.stderr)
            check(result.returncode == 0, what)
            return result.stdout

        run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], "deployment checks")
        run(["manage.py", "migrate", "--noinput", "-v0"], "migrate")
        run(["manage.py", "collectstatic", "--noinput", "-v0"], "collectstatic")
        starts = session_start()
        out = run(
            ["-c", SETUP, starts.isoformat(), EMAIL, PASSWORD], "a charity, a member, a session"
        )
        listing_id, session_id = out.split()[-2:]

        def start(args: list[str], extra: dict[str, str] | None = None) -> None:
            process = subprocess.Popen(
                [python, *args],
                cwd=ROOT,
                env={**env, **(extra or {})},
                stdout=subprocess.DEVNULL,
                stderr=(var / "processes.log").open("a"),
            )

            def stop() -> None:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()

            stack.callback(stop)

        start(
            [
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{pages}",
            ]
        )
        start(
            [
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(sockets),
                "--lifespan",
                "off",
            ]
        )
        due = first_reminder_due(starts)
        offset = (due - dt.datetime.now(LONDON)).total_seconds() + 30
        for _ in range(2):  # the workers' clock runs from just after the reminder is due
            start(
                ["-m", "tests.clocked", "manage.py", "worker"],
                {"PEERPATH_TEST_CLOCK_OFFSET": f"{offset:.0f}"},
            )
        wait_for(pages, "gunicorn (pages)", deadline)
        wait_for(sockets, "uvicorn (/ws/)", deadline)

        browser = Browser(pages)
        for path, words in (
            ("/", "Get help now"),
            ("/find-support/", "Bump and Baby Chat"),
            ("/help-now/", "Get help now"),
            (f"/find-support/{listing_id}/", "Sign in to book"),
        ):
            status, _headers, html = browser.request("GET", path)
            check(status == HTTPStatus.OK and words in html, f"GET {path} shows {words!r}")
        status, _headers, html = browser.request("GET", "/no-such-page/")
        calm = "Get help now" in html and "URLconf" not in html
        check(
            status == HTTPStatus.NOT_FOUND and calm,
            "an unknown address answers PeerPath's 404 page",
        )
        status, _headers, text = browser.request("GET", "/healthz")
        health = json.loads(text)
        check(
            status == HTTPStatus.OK
            and health.get("database") == "ok"
            and health.get("redis") == "ok",
            f"/healthz reports the database and Redis answering ({text.strip()})",
        )
        status, headers, _css = browser.request("GET", "/static/peerpath/peerpath.css")
        check(
            status == HTTPStatus.OK and "immutable" not in headers.get("x-missing", ""),
            "static CSS served",
        )

        browser.request("GET", "/auth/login/")
        status, headers, _html = browser.request(
            "POST", "/auth/login/", {"login": EMAIL, "password": PASSWORD}
        )
        check(
            status == HTTPStatus.FOUND and "__Host-sessionid" in browser.cookies,
            "the member signs in",
        )
        status, _headers, html = browser.request("GET", f"/find-support/{listing_id}/")
        check(status == HTTPStatus.OK and "Book a place" in html, "signed in, she can book")
        status, headers, _html = browser.request(
            "POST", f"/find-support/sessions/{session_id}/book/", {}
        )
        check(status == HTTPStatus.FOUND, "she books the last place")
        status, _headers, html = browser.request("GET", "/account/bookings/")
        check(
            status == HTTPStatus.OK and "Bump and Baby Chat" in html,
            "her bookings show the session",
        )

        while time.monotonic() < deadline:
            if any(
                "Bump and Baby Chat" in subject or "remind" in subject.lower()
                for subject in smtp.mailbox.subjects()
            ):
                break
            time.sleep(0.5)
        check(
            bool(smtp.mailbox.subjects()),
            f"a worker emailed her reminder ({smtp.mailbox.subjects()})",
        )
        print("--- production run passed; stopping everything it started", flush=True)


if __name__ == "__main__":
    main()
