"""Plumbing for live features (chat, live staff alerts): events to websocket groups, sent only
once the change they describe has committed, and the check every websocket passes first.

    publish_on_commit("inbox-42", {"type": "inbox.changed", "op": "created", "id": "…"})

``type`` names the consumer method that handles the event (``inbox_changed``); ``op`` says
what happened (created, updated, deleted). Events carry ids, never content: a consumer
re-reads what the signed-in person may see.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.security.websocket import WebsocketDenier
from django.db import transaction

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Any
Send = Any


def publish_on_commit(group: str, event: dict[str, Any], *, using: str | None = None) -> None:
    """Send ``event`` to the channel-layer ``group`` after the current transaction commits.

    Nothing is sent if it rolls back, and no one is told of a change they could not yet read.
    Outside a transaction it is sent at once. A channel layer that is down is logged, not
    raised: the change itself has committed, and live pages catch up when they next load.
    """
    if "type" not in event or "op" not in event:
        raise ValueError('A live event needs a "type" (its handler) and an "op".')
    message = dict(event)  # as it is now: later changes to the caller's dict are not sent

    def send_after_commit() -> None:  # a named function: robust on_commit logs its name
        _send(group, message)

    transaction.on_commit(send_after_commit, using=using, robust=True)


def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:  # no CHANNEL_LAYERS configured: nobody can be listening
        return
    send = async_to_sync(layer.group_send)
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: a sync view, a worker, a command
        send(group, message)
        return
    # Called from a thread that runs an event loop (a sync ORM call made inside async code):
    # async_to_sync cannot run here, so the send runs in a thread of its own.
    sender = threading.Thread(target=send, args=(group, message), daemon=True)
    sender.start()
    sender.join(timeout=5)


class SignedInOnly:
    """ASGI middleware for websockets: refuses a connection without a signed-in person.

    Goes inside ``channels.auth.AuthMiddlewareStack``, which reads her session into
    ``scope["user"]``. A refused handshake is closed before it is accepted (HTTP 403).
    """

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> Any:
        user = scope.get("user")
        if scope["type"] == "websocket" and not getattr(user, "is_authenticated", False):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
