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
