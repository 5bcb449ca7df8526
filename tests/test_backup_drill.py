"""The backup drill: write data, back it up, wipe the database, restore, and compare.

Runs ``manage.py backup`` and ``manage.py restore`` as an operator would, in child processes on
their own database: an SQLite file, or a PostgreSQL database of its own when the suite runs on
PostgreSQL (DATABASE_URL). Loopback only; bounded by each command's time limit.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

from conftest import clock_env
from tests.clocked import run_clocked

pytestmark = pytest.mark.processes
ROOT = Path(__file__).resolve().parent.parent

SNAPSHOT = """
import django, hashlib, json
django.setup()
from django.apps import apps
from peerpath.accounts.models import MemberProfile
counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()
          if m._meta.app_label in {"accounts", "audit", "directory", "bookings", "buddying",
                                   "safeguarding", "notifications", "jobs"}}
# Encrypted notes read back with the keys: the restored rows are the same rows, usable.
notes = sorted(p.contact_notes for p in MemberProfile.objects.all())
ids = hashlib.sha256(",".join(sorted(
    str(u) for u in apps.get_model("accounts", "User").objects.values_list("public_id", flat=True)
)).encode()).hexdigest()
print(json.dumps({"counts": counts, "notes": notes, "ids": ids}))
"""


def _postgres(name: str) -> str | None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name}")
    return urlunparse(parts._replace(path=f"/{name}"))


def _env(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        PEERPATH_VAR_DIR=str(tmp_path / "var"),
        LOG_LEVEL="ERROR",
        **clock_env(),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    return run_clocked(env, *args, ok=ok)


def _snapshot(env: dict[str, str]) -> dict[str, object]:
    return json.loads(_run(env, "-c", SNAPSHOT).stdout)


@pytest.fixture
def drill_env(tmp_path):
    return _env(tmp_path, _postgres("peerpath_backup_drill"))


def test_a_backup_restored_after_a_wipe_gives_back_every_row(tmp_path, drill_env):
    env = drill_env
    _run(env, "manage.py", "migrate", "--noinput", "-v0")
    _run(env, "manage.py", "seed_demo")
    before = _snapshot(env)
    assert before["counts"]["accounts.User"] >= 8  # the demo people
    assert any(before["notes"])  # an encrypted note to read back

    # A damaged file is refused before anything is touched.
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4096)
    refused = _run(env, "manage.py", "restore", str(damaged), "--yes", ok=False)
    assert refused.returncode != 0
    assert "Nothing was changed" in refused.stderr

    # So is a file that is an SQLite database but not PeerPath's (a lone migrations table).
    foreign = tmp_path / "foreign.backup"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE django_migrations (id integer, app text, name text)")
    refused = _run(env, "manage.py", "restore", str(foreign), "--yes", ok=False)
    assert refused.returncode != 0
    # SQLite: "not a PeerPath database"; PostgreSQL: "not a valid archive".
    assert "not a" in refused.stderr
    assert "Nothing was changed" in refused.stderr
    assert _snapshot(env) == before

    backup = tmp_path / "backups" / "drill.backup"
    made = _run(env, "manage.py", "backup", "--output", str(backup))
    assert "Backed up" in made.stdout
    assert backup.stat().st_mode & 0o077 == 0  # readable by its owner only

    _run(env, "manage.py", "flush", "--noinput")
    assert _snapshot(env)["counts"]["accounts.User"] == 0

    restored = _run(env, "manage.py", "restore", str(backup), "--yes")
    assert _snapshot(env) == before
    # What the wiped database held was kept first, so a mistaken restore can be undone.
    kept = restored.stdout.split("kept in ", 1)[1].split()[0].rstrip(".")
    assert Path(kept).is_file()
    assert not list(backup.parent.glob("*-wal")) + list(backup.parent.glob("*-shm"))
