"""PeerPath in child processes for the tests that need real ones: its own database (an SQLite
file, or a fresh PostgreSQL database when the suite runs on PostgreSQL), a Twilio-shaped fake
on 127.0.0.1 for texts, and the test's clock (``tests.clocked``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from conftest import clock_env

ROOT = Path(__file__).resolve().parent.parent


def fresh_database(name: str) -> str | None:
    """A fresh PostgreSQL database called ``name`` when the suite runs on PostgreSQL, else
    None (the child processes use an SQLite file in their own folder)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    import psycopg

    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return urlunparse(parts._replace(path=f"/{name}"))


def process_env(
    folder: Path,
    *,
    sms_url: str,
    database_url: str | None,
    lease_seconds: int = 5,
    redis: bool = False,
) -> dict[str, str]:
    """Settings for child processes: development settings on their own database, texts to
    the fake at ``sms_url``, a worker polling every second, and the test's clock. With
    ``redis``, the suite's Redis (when it has one) carries websocket events between them."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        PEERPATH_VAR_DIR=str(folder),
        SMS_BACKEND="peerpath.notifications.channels.sms.TwilioSmsBackend",
        TWILIO_API_BASE=sms_url,
        TWILIO_ACCOUNT_SID="AC-processes",
        TWILIO_AUTH_TOKEN="not-a-secret",
        TWILIO_FROM="+441632960000",
        JOBS_LEASE_SECONDS=str(lease_seconds),
        JOBS_POLL_SECONDS="1",
        NOTIFICATIONS_BATCH="50",
        LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis and os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    env.update(clock_env())  # the children keep the test's clock
    return env


def start(env: dict[str, str], *args: str, log: Path | None = None) -> subprocess.Popen[str]:
    """``python -m tests.clocked ARGS`` in the background, its output to ``log``."""
    output = log.open("w") if log else subprocess.DEVNULL
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.clocked", *args],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        text=True,
    )


def stop(*processes: subprocess.Popen[str] | None) -> None:
    for process in processes:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
        except OSError:
            time.sleep(0.2)
        else:
            return
    raise AssertionError(f"Nothing answered on 127.0.0.1:{port} within {seconds} s")


@contextmanager
def running(*processes: subprocess.Popen[str]) -> Iterator[None]:
    try:
        yield
    finally:
        stop(*processes)
