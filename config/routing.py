"""Websocket routes: the live alerts dashboard now; chat to come.

Every route is behind the same checks: the page opening the socket must be on one of this
site's hosts (``ALLOWED_HOSTS``), the person must be signed in (her session cookie), her session
must be within its idle and absolute limits, and staff must have two-step verification.
"""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator

from peerpath.accounts.websockets import CurrentSessionOnly
from peerpath.core.live import SignedInOnly
from peerpath.safeguarding.routing import websocket_urlpatterns as safeguarding_routes

websocket_urlpatterns: list[Any] = [*safeguarding_routes]


def websocket_application(routes: list[Any]) -> Any:
    """``routes`` behind the origin check, her session, the signed-in check and the same
    session limits and two-step rule as pages."""
    return AllowedHostsOriginValidator(
        AuthMiddlewareStack(SignedInOnly(CurrentSessionOnly(URLRouter(routes))))
    )
