"""System checks: the runtime facts PeerPath depends on, verified at start-up.

`make run` calls `manage.py check --database default`, which runs the database-tagged checks.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper


@register(Tags.database)
def sqlite_is_safe_for_concurrency(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    """SQLite must run in WAL with IMMEDIATE transactions and a busy timeout of 5 s or more."""
    errors: list[CheckMessage] = []
    for alias in databases or []:
        if connections[alias].vendor == "sqlite":
            errors.extend(sqlite_problems(connections[alias]))
    return errors


def sqlite_problems(connection: BaseDatabaseWrapper) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    options = connection.settings_dict.get("OPTIONS", {})
    if options.get("transaction_mode") != "IMMEDIATE":
        errors.append(
            Error(
                "SQLite transactions must be IMMEDIATE, or concurrent writers fail with "
                "'database is locked'.",
                hint="Set OPTIONS['transaction_mode'] = 'IMMEDIATE'.",
                id="peerpath.E001",
            )
        )
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = str(cursor.fetchone()[0]).lower()
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = int(cursor.fetchone()[0])
    # An in-memory database (the test suite's) has no journal file to put in WAL mode.
    if journal_mode not in {"wal", "memory"}:
        errors.append(
            Error(
                f"SQLite journal_mode is {journal_mode!r}, not 'wal'.",
                hint="Add PRAGMA journal_mode=WAL to OPTIONS['init_command'].",
                id="peerpath.E002",
            )
        )
    if busy_timeout < settings.SQLITE_BUSY_TIMEOUT_MS:
        errors.append(
            Error(
                f"SQLite busy_timeout is {busy_timeout} ms; PeerPath needs at least "
                f"{settings.SQLITE_BUSY_TIMEOUT_MS} ms.",
                id="peerpath.E003",
            )
        )
    return errors


@register(Tags.security, deploy=False)
def encryption_keys_are_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        return [
            Error(
                "FIELD_ENCRYPTION_KEYS is empty: personal data could not be stored encrypted.",
                hint="Run `manage.py generate_encryption_key` and set FIELD_ENCRYPTION_KEYS.",
                id="peerpath.E010",
            )
        ]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, TypeError):
            return [
                Error(
                    f"FIELD_ENCRYPTION_KEYS entry {position} is not a valid Fernet key.",
                    id="peerpath.E011",
                )
            ]
    return []


LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "0.0.0.0")  # noqa: S104 - names to refuse


def _points_here(value: str) -> bool:
    lowered = value.lower()
    return any(host in lowered for host in LOCAL_HOSTS)


@register(Tags.security, deploy=True)
def links_and_sender_are_public(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Emails must link to the site people use and come from a real address."""
    errors: list[CheckMessage] = []
    if _points_here(settings.PEERPATH_BASE_URL):
        errors.append(
            Error(
                f"PEERPATH_BASE_URL is {settings.PEERPATH_BASE_URL!r}: links in emails and "
                "texts would point at this machine, not at the site.",
                hint="Set PEERPATH_BASE_URL to the public address, e.g. https://support.example.org.",
                id="peerpath.E020",
            )
        )
    if _points_here(settings.DEFAULT_FROM_EMAIL):
        errors.append(
            Error(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: replies and bounces "
                "would go nowhere, and many providers refuse such mail.",
                hint="Set DEFAULT_FROM_EMAIL to the charity's address.",
                id="peerpath.E021",
            )
        )
    return errors


PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, deploy=True)
def cache_is_shared_by_every_process(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Sign-in lockouts and two-step limits only hold if every process sees the same counts."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"The cache ({backend}) is private to each process: with several web "
                "processes the sign-in lockout and the two-step attempt limit would not hold.",
                hint="Leave CACHES to PeerPath's settings (the database cache), or set REDIS_URL.",
                id="peerpath.E022",
            )
        ]
    return []
