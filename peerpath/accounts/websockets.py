"""Websockets follow the same session rules as pages (``peerpath.accounts.middleware``)."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier

from peerpath.accounts.middleware import may_use_live_features


class CurrentSessionOnly:
    """ASGI middleware inside ``AuthMiddlewareStack``: refuses a websocket whose session has
    passed its idle or absolute limit, or a staff person without two-step verification."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: Any, receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket":
            allowed = await database_sync_to_async(may_use_live_features)(
                scope.get("session"), scope.get("user")
            )
            if not allowed:
                return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
