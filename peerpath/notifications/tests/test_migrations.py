"""Notifications written before they named their subject find it from their key."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.directory.models import SavedSearch
from peerpath.notifications.models import Notification

BEFORE = [("notifications", "0005_notification_subject")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_old_notifications_get_their_subject_from_the_key_the_sender_used(organisation):
    _migrate(BEFORE)  # the schema is as now; only the backfill is undone
    try:
        mum = make_person(organisation, Role.MEMBER)
        saved = SavedSearch.objects.create(user=mum, query="where=online", description="Online")
        now = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)

        def old(key: str) -> Notification:
            return Notification.objects.create(
                recipient=mum, purpose="new_group", due_at=now, idempotency_key=key
            )

        found = old(f"saved-search:{saved.public_id}:abc123")
        gone = old(f"booking:{uuid.uuid4()}:morning:20261127T1000")
        odd = old("booking:not-a-uuid:offer")
        other = old(f"{mum.pk}:account:{now.isoformat()}")

        _migrate()

        for notification in (found, gone, odd, other):
            notification.refresh_from_db()
        assert (found.subject_type, found.subject_id) == ("directory.savedsearch", str(saved.pk))
        assert [n.subject_type for n in (gone, odd, other)] == ["", "", ""]
    finally:
        _migrate()
