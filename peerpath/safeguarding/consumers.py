"""The alerts dashboard's live connection.

Events carry an alert's id and what happened, never its content: the page fetches its list
again (``safeguarding:alerts_list``), which checks access like any page. The page pings every
20 seconds and reconnects when a pong does not come back; after every (re)connection it
fetches the list, so an event lost while it was away is never a missed alert.

Every event and every ping checks her again, as she is now in the database: an account
deactivated, a session ended (signed out everywhere, expired), a role or a place among the
leads removed, closes the connection with 4403 and the page stops listening.

With a channel layer only this process can hear (the in-memory one of the embedded default),
an event published in another process (the worker's escalation steps, a job that raises an
alert) never arrives, so the connection also looks every ``WATCH_SECONDS`` at the newest change
to the organisation's alerts and says "changed" when there is one. With Redis every process's
events arrive and nothing is polled.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import InMemoryChannelLayer
from django.http import Http404

from peerpath.accounts.models import Organisation
from peerpath.accounts.websockets import current_live_user
from peerpath.safeguarding.access import (
    alerts_last_changed,
    can_handle_alerts,
    forget_alert_access,
)
from peerpath.safeguarding.services import alerts_group

FORBIDDEN = 4403
MAX_MESSAGE_CHARACTERS = 200  # the page only ever sends {"type": "ping"}
WATCH_SECONDS = 2.0


class AlertsConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    organisation_id: int | None = None
    watcher: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        self.organisation_id = await database_sync_to_async(self._allowed_organisation)(slug)
        if self.organisation_id is None:
            await self.close(code=FORBIDDEN)
            return
        self.group = alerts_group(self.organisation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello"})
        if isinstance(self.channel_layer, InMemoryChannelLayer):
            self.watcher = asyncio.create_task(self._watch())

    def _allowed_organisation(self, slug: str) -> int | None:
        user = self.scope.get("user")
        organisation = Organisation.objects.filter(slug=slug).only("pk").first()
        if organisation is None or user is None:
            return None
        forget_alert_access(user)  # a role ended since the page loaded counts now
        return organisation.pk if can_handle_alerts(user, organisation) else None

    async def disconnect(self, code: int) -> None:
        if self.watcher is not None:
            self.watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.watcher
        if self.organisation_id is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _watch(self) -> None:
        """Say "changed" when the organisation's alerts changed: what another process did
        reaches her within ``WATCH_SECONDS`` (a change this process announced may be said
        twice; the page then fetches its list once more)."""
        seen = await database_sync_to_async(self._newest_change)()
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            newest = await database_sync_to_async(self._newest_change)()
            if newest != seen:
                seen = newest
                await self.alerts_changed({"op": "updated", "id": ""})

    def _newest_change(self) -> tuple[Any, int]:
        if self.organisation_id is None:
            return None, 0
        user = self.scope.get("user")
        if user is None:
            return None, 0
        try:
            return alerts_last_changed(user, self.organisation_id)
        except Http404:  # her access ended: the next event or ping closes the connection
            return None, 0

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is not None:  # binary frames are ignored
            await super().receive(text_data=text_data, **kwargs)

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        """Anything but a short JSON message is ignored, not an error that drops the page."""
        if len(text_data) > MAX_MESSAGE_CHARACTERS:
            return None
        try:
            return json.loads(text_data)
        except ValueError:
            return None

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            if not await database_sync_to_async(self._still_allowed)():
                await self.close(code=FORBIDDEN)
                return
            await self.send_json({"type": "pong"})

    async def alerts_changed(self, event: dict[str, Any]) -> None:
        still = await database_sync_to_async(self._still_allowed)()
        if not still:
            await self.close(code=FORBIDDEN)
            return
        await self.send_json({"type": "changed", "op": event.get("op"), "id": event.get("id")})

    def _still_allowed(self) -> bool:
        """She may still listen: reloaded (active, session current) and still handling the
        organisation's alerts, with nothing remembered from earlier checks."""
        if self.organisation_id is None:
            return False
        user = self.scope.get("user")
        if user is not None:
            forget_alert_access(user)
        person = current_live_user(self.scope.get("session"), user)
        return person is not None and can_handle_alerts(person, self.organisation_id)
