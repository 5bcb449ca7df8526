"""Websocket routes. Consumers arrive with chat and live staff alerts."""

from typing import Any

websocket_urlpatterns: list[Any] = []
