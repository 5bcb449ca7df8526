"""Live events reach a channel-layer group only once their change has committed."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from peerpath.core import live

GROUP = "test-live-inbox"


def _publish_then_roll_back(event: dict) -> None:
    with transaction.atomic():
        live.publish_on_commit(GROUP, event)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_an_event_is_sent_when_the_change_commits_not_before(
    monkeypatch, django_capture_on_commit_callbacks
):
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(live, "_send", lambda group, message: sent.append((group, message)))

    with django_capture_on_commit_callbacks(execute=True):
        event = {"type": "inbox.changed", "op": "created", "id": "abc"}
        live.publish_on_commit(GROUP, event)
        event["id"] = "changed afterwards"
        assert sent == []  # not before the commit
    assert sent == [(GROUP, {"type": "inbox.changed", "op": "created", "id": "abc"})]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_publishes_nothing(monkeypatch):
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(live, "_send", lambda group, message: sent.append((group, message)))
    _publish_then_roll_back({"type": "inbox.changed", "op": "created"})
    assert sent == []
    with transaction.atomic():
        live.publish_on_commit(GROUP, {"type": "inbox.changed", "op": "deleted"})
    assert sent == [(GROUP, {"type": "inbox.changed", "op": "deleted"})]


def test_an_event_says_what_handles_it_and_what_happened():
    with pytest.raises(ValueError, match="type"):
        live.publish_on_commit(GROUP, {"op": "created"})


@pytest.mark.django_db(transaction=True)
def test_the_configured_channel_layer_delivers_committed_events_to_the_group():
    """In memory without REDIS_URL; through Redis with it (as in production)."""
    # In a thread of its own: the browser tests' Playwright keeps an event loop running in
    # this one, and async_to_sync refuses to run beside it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(_publish_and_receive).result(timeout=60) == [
            {"type": "inbox.changed", "op": "created", "id": "2"}
        ]


def _publish_and_receive() -> list[dict]:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(GROUP, channel)
    try:
        _publish_then_roll_back({"type": "inbox.changed", "op": "created", "id": "1"})
        with transaction.atomic():
            live.publish_on_commit(GROUP, {"type": "inbox.changed", "op": "created", "id": "2"})

        async def receive_all() -> list[dict]:
            received = []
            while True:
                try:
                    received.append(await asyncio.wait_for(layer.receive(channel), 1))
                except TimeoutError:
                    return received

        return async_to_sync(receive_all)()
    finally:
        async_to_sync(layer.group_discard)(GROUP, channel)
