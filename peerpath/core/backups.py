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
import re
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


REQUIRED_TABLES = ("django_migrations", "accounts_organisation", "accounts_user")


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _check_migrations(applied: set[tuple[str, str]], path: Path) -> None:
    """A PeerPath backup: PeerPath's first migrations applied, none this code does not know
    (a backup from a newer version needs that version)."""
    if ("accounts", "0001_initial") not in applied:
        raise BackupError(f"{path} is not a PeerPath backup (its accounts were never set up).")
    unknown = sorted(f"{app}.{name}" for app, name in applied - _known_migrations())
    if unknown:
        raise BackupError(
            f"{path} comes from a newer PeerPath (it has {', '.join(unknown[:3])}); restore it "
            "with that version."
        )


def _sqlite_check(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            applied = (
                {(str(a), str(n)) for a, n in db.execute("SELECT app, name FROM django_migrations")}
                if "django_migrations" in tables
                else set()
            )
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite database ({exc}).") from exc
    if result != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}.")
    missing = [table for table in REQUIRED_TABLES if table not in tables]
    if missing:
        raise BackupError(f"{path} is not a PeerPath database (it has no {missing[0]} table).")
    _check_migrations(applied, path)


def _postgres_check(path: Path, env: dict[str, str]) -> None:
    listing = _run([_tool("pg_restore"), "--list", str(path)], env)
    for table in REQUIRED_TABLES:
        if not re.search(rf"\bTABLE DATA \S+ {table}\b", listing):
            raise BackupError(f"{path} is not a PeerPath backup (it has no {table} table).")


def _owner_only_file(path: Path) -> None:
    """Create the file readable and writable by its owner only, before anything is in it."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


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


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[:500]}")
    return result.stdout


def database_backup(*, path: Path, alias: str = "default") -> Backup:
    """Write a checked backup to ``path`` (a partial file never takes its name)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    _owner_only_file(partial)
    database = _database(alias)
    vendor = _vendor(alias)
    try:
        if vendor == "sqlite":
            source = sqlite3.connect(database["NAME"])
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
                # One self-contained file: no -wal or -shm files beside it.
                target.execute("PRAGMA journal_mode=DELETE")
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
            _postgres_check(partial, env)
        else:
            raise BackupError(f"Backups of {vendor} databases are not supported.")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(path=path, engine=vendor, size=path.stat().st_size)


def _safety_copy(alias: str) -> Backup | None:
    """What the database holds now, before a restore replaces it; None when it holds no
    PeerPath data (a new, empty database), as there is nothing to lose."""
    suffix = default_path(alias=alias).suffix
    path = default_path(alias=alias).with_name(
        f"before-restore-{clock.now():%Y%m%dT%H%M%SZ}{suffix}"
    )
    try:
        return database_backup(path=path, alias=alias)
    except BackupError:
        from django.db import connections as known

        if "accounts_user" in known[alias].introspection.table_names():
            raise  # it holds PeerPath data that could not be copied: do not overwrite it
        return None


def database_restore(*, path: Path, alias: str = "default") -> Backup | None:
    """Replace the database's contents with the backup's. The backup is checked first; if it
    fails the check nothing is changed. What the database held just before is kept as a
    backup of its own, whose path is returned, so a mistaken restore can be undone."""
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    database = _database(alias)
    vendor = _vendor(alias)
    if vendor == "sqlite":
        _sqlite_check(path)
    elif vendor == "postgresql":
        _postgres_check(path, _libpq_url(database)[1])
    before = _safety_copy(alias)
    connections[alias].close()
    if vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(database["NAME"], timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    elif vendor == "postgresql":
        url, env = _libpq_url(database)
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
    return before
