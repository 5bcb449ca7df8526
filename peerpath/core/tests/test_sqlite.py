"""SQLite is configured for concurrency: WAL, IMMEDIATE transactions, a 5 s busy timeout."""

import copy

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from peerpath.core.checks import sqlite_is_safe_for_concurrency, sqlite_problems

pytestmark = pytest.mark.django_db


def _file_database(tmp_path, **option_changes):
    """A connection built from the project's SQLite settings, whatever the suite runs on."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    settings_dict.update(ENGINE="django.db.backends.sqlite3", NAME=str(tmp_path / "check.sqlite3"))
    settings_dict["OPTIONS"] = {**settings.SQLITE_OPTIONS, **option_changes}
    return DatabaseWrapper(settings_dict, alias="filecheck")


def test_a_new_connection_to_a_database_file_uses_wal_and_a_busy_timeout(tmp_path):
    wrapper = _file_database(tmp_path)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    finally:
        wrapper.close()


def test_the_start_up_check_passes_with_the_project_settings(tmp_path):
    wrapper = _file_database(tmp_path)
    try:
        assert sqlite_problems(wrapper) == []
    finally:
        wrapper.close()
    assert sqlite_is_safe_for_concurrency(databases=["default"]) == []


def test_the_start_up_check_fails_for_deferred_transactions_or_a_short_timeout(tmp_path):
    wrapper = _file_database(
        tmp_path,
        transaction_mode="DEFERRED",
        timeout=0.1,
        init_command="PRAGMA journal_mode=DELETE; PRAGMA busy_timeout=100;",
    )
    try:
        ids = {error.id for error in sqlite_problems(wrapper)}
    finally:
        wrapper.close()
    assert ids == {"peerpath.E001", "peerpath.E002", "peerpath.E003"}


READ_THEN_WRITE = """
import django, sys, time
django.setup()
from django.db import connection, transaction
connection.ensure_connection()
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # start together
failures = 0
for _ in range(int(sys.argv[1])):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            (value,) = cursor.fetchone()
            cursor.execute("UPDATE counter SET n = %s", [value + 1])
    except Exception:
        failures += 1
print(failures)
"""


@pytest.mark.processes
def test_concurrent_read_then_write_transactions_never_fail_with_database_is_locked(tmp_path):
    """Four processes with the project's own SQLite settings; deferred mode fails most of these."""
    import sqlite3
    import subprocess
    import sys
    import time

    database = tmp_path / "peerpath.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE counter (n INTEGER)")
        db.execute("INSERT INTO counter VALUES (0)")
    from conftest import clock_env

    env = {
        **__import__("os").environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "PEERPATH_VAR_DIR": str(tmp_path),
        **clock_env(),  # the children agree with this test about the time to start together
    }
    env.pop("DATABASE_URL", None)
    rounds = 200
    start_at = str(time.time() + 3)
    workers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tests.clocked", "-c", READ_THEN_WRITE, str(rounds), start_at],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            cwd=settings.BASE_DIR,
        )
        for _ in range(4)
    ]
    failures = [int(worker.communicate(timeout=120)[0].strip()) for worker in workers]
    assert failures == [0, 0, 0, 0]
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT n FROM counter").fetchone()[0] == 4 * rounds
