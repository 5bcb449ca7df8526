"""The sign-in lockout holds across processes on the embedded default (SQLite, no Redis).

Three separate processes, each with PeerPath's local settings and so its own memory, share
one SQLite database and the database cache in it. Five wrong passwords spread across them lock
the account: the sixth attempt, even with the right password, is refused in any process.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import clock_env
from tests.clocked import run_clocked

pytestmark = pytest.mark.processes
ROOT = Path(__file__).resolve().parents[3]
LOCKED = "locked-out@example.org"
OPEN = "still-open@example.org"
RIGHT = "the-right-password-2026"

SETUP = f"""
import django
django.setup()
from allauth.account.models import EmailAddress
from peerpath.accounts.services import user_create
from peerpath.core.actors import OPERATOR
for email in ("{LOCKED}", "{OPEN}"):
    user = user_create(actor=OPERATOR, email=email, password="{RIGHT}")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
"""

ATTEMPTS = """
import sys, django
django.setup()
from django.test import Client
email, password, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
for _ in range(times):
    response = Client(HTTP_HOST="127.0.0.1").post(
        "/auth/login/", {"login": email, "password": password}
    )
    if response.status_code == 302:
        print("signed-in")
    elif response.status_code in (200, 429) and b"Too many" in response.content:
        print("locked")
    elif response.status_code == 200:
        print("wrong")
    else:
        print(response.status_code)
"""


def _run(env: dict[str, str], *args: str) -> list[str]:
    return run_clocked(env, *args, timeout=120).stdout.split()


def test_the_sixth_sign_in_is_refused_whichever_process_takes_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        PEERPATH_VAR_DIR=str(tmp_path),
        LOG_LEVEL="ERROR",
        **clock_env(),
    )
    _run(env, "manage.py", "migrate", "--noinput", "-v0")
    _run(env, "-c", SETUP)

    # Five wrong passwords, each process with its own memory: two, two and one.
    tries = [
        *_run(env, "-c", ATTEMPTS, LOCKED, "wrong-1", "2"),
        *_run(env, "-c", ATTEMPTS, LOCKED, "wrong-2", "2"),
        *_run(env, "-c", ATTEMPTS, LOCKED, "wrong-3", "1"),
    ]
    sixth = _run(env, "-c", ATTEMPTS, LOCKED, RIGHT, "1")
    # Another account, four wrong passwords in two processes: the right one still works.
    other = [
        *_run(env, "-c", ATTEMPTS, OPEN, "wrong", "2"),
        *_run(env, "-c", ATTEMPTS, OPEN, "wrong", "2"),
    ]
    fifth = _run(env, "-c", ATTEMPTS, OPEN, RIGHT, "1")

    assert tries == ["wrong"] * 5
    assert sixth == ["locked"]  # the right password, refused: the account is locked for now
    assert other == ["wrong"] * 4
    assert fifth == ["signed-in"]
