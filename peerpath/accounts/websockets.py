"""Websockets follow the same session rules as pages (``peerpath.accounts.middleware``)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import constant_time_compare

from peerpath.accounts.middleware import may_use_live_features
from peerpath.accounts.models import User


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


def current_live_user(session: Any, user: Any) -> User | None:
    """The person behind an open connection as she is now, read again from the database; None
    once she may no longer be connected: her account was closed or deactivated, her session
    was deleted or has expired, she was signed out everywhere (her password or two-step
    verification changed), or she no longer meets the rules a page holds her to."""
    key = getattr(session, "session_key", None)
    if not getattr(user, "is_authenticated", False) or not key:
        return None
    fresh = User.objects.filter(pk=user.pk, is_active=True).first()
    if fresh is None:
        return None
    engine = import_module(settings.SESSION_ENGINE)
    stored = engine.SessionStore(session_key=key).load()  # {} once deleted or expired
    if str(stored.get(SESSION_KEY, "")) != str(fresh.pk):
        return None
    if not constant_time_compare(
        str(stored.get(HASH_SESSION_KEY, "")), fresh.get_session_auth_hash()
    ):
        return None
    return fresh if may_use_live_features(stored, fresh) else None
