"""Backups of the whole database, and putting one back.

SQLite: SQLite's online backup API copies the live database page by page, consistent and safe
while the site runs; the copy is checked with ``PRAGMA integrity_check`` before it is kept.
PostgreSQL: ``pg_dump`` in its custom format (checked by listing it with ``pg_restore``), and
``pg_restore --clean`` in one transaction to put it back.

A backup holds special category data (health, pregnancy, safeguarding): keep it encrypted, off
this machine, and only as long as the retention policy says (docs/operations.md).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connections

from peerpath.core import clock


class BackupError(Exception):
    """The backup or restore could not be done; nothing was changed."""


@dataclass(frozen=True)
class Backup:
    path: Path
    engine: str
    size: int


def _database(alias: str = "default") -> dict[str, Any]:
    return dict(settings.DATABASES[alias])


def _vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def default_path(directory: Path | None = None, alias: str = "default") -> Path:
    folder = directory or Path(settings.VAR_DIR) / "backups"
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    suffix = "sqlite3" if _vendor(alias) == "sqlite" else "dump"
    return folder / f"peerpath-{stamp}.{suffix}"


def _sqlite_check(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite database ({exc}).") from exc
    if result != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}.")
    if "django_migrations" not in tables:
        raise BackupError(f"{path} is not a PeerPath database (it has no migrations table).")


def _libpq_url(database: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """A connection address for pg_dump and pg_restore; the password goes in the environment,
    never on the command line where other users of the machine could read it."""
    user = quote(str(database.get("USER") or ""), safe="")
    host = database.get("HOST") or "localhost"
    port = database.get("PORT") or 5432
    url = f"postgresql://{user + '@' if user else ''}{host}:{port}/{quote(database['NAME'])}"
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return url, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return found


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[:500]}")


def database_backup(*, path: Path, alias: str = "default") -> Backup:
    """Write a checked backup to ``path`` (a partial file never takes its name)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    database = _database(alias)
    vendor = _vendor(alias)
    try:
        if vendor == "sqlite":
            source = sqlite3.connect(database["NAME"])
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
            _sqlite_check(partial)
        elif vendor == "postgresql":
            url, env = _libpq_url(database)
            _run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", url],
                env,
            )
            _run([_tool("pg_restore"), "--list", str(partial)], env)
        else:
            raise BackupError(f"Backups of {vendor} databases are not supported.")
        partial.chmod(0o600)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(path=path, engine=vendor, size=path.stat().st_size)


def database_restore(*, path: Path, alias: str = "default") -> None:
    """Replace the database's contents with the backup's. The backup is checked first; if it
    fails the check nothing is changed."""
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    database = _database(alias)
    vendor = _vendor(alias)
    connections[alias].close()
    if vendor == "sqlite":
        _sqlite_check(path)
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(database["NAME"], timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    elif vendor == "postgresql":
        url, env = _libpq_url(database)
        _run([_tool("pg_restore"), "--list", str(path)], env)
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={url}",
                str(path),
            ],
            env,
        )
    else:
        raise BackupError(f"Restoring {vendor} databases is not supported.")
