"""The dashboard's live connection: who may open it, what it says, what it ignores, and when
it stops."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.db.models import F
from django.utils import timezone

from config.routing import websocket_application, websocket_urlpatterns
from peerpath.core.actors import OPERATOR
from peerpath.safeguarding.consumers import WATCH_SECONDS
from peerpath.safeguarding.models import Alert, AlertSource, SafeguardingLead
from peerpath.safeguarding.services import (
    alert_raise,
    safeguarding_setting_delete,
    safeguarding_setting_save,
)
from peerpath.safeguarding.tests.conftest import IN_HOURS
from tests.test_asgi import SAME_SITE, _session_cookie, _websocket_communicator

pytestmark = pytest.mark.django_db(transaction=True)
MINUTE = dt.timedelta(minutes=1)
APPLICATION = websocket_application(websocket_urlpatterns)


def _run(coroutine_function: Any) -> Any:
    # In a thread of its own, as in tests/test_asgi.py: a browser test's event loop may run here.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(async_to_sync(coroutine_function)).result(timeout=30)


def _path(organisation) -> str:
    return f"/ws/staff/{organisation.slug}/alerts/"


def test_the_person_on_duty_hears_of_a_new_alert_without_reloading(duty):
    cookie = (b"cookie", _session_cookie(duty.primary))

    def raise_one() -> str:
        alert = alert_raise(
            actor=duty.member,
            organisation=duty.organisation,
            source=AlertSource.MEMBER_REQUEST,
            tier=1,
            member=duty.member,
            context="I need to talk to someone.",
        )
        return str(alert.public_id)

    async def session() -> tuple[list[Any], str]:
        communicator = _websocket_communicator()(
            APPLICATION, _path(duty.organisation), headers=[SAME_SITE, cookie]
        )
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        heard = [await communicator.receive_json_from(timeout=5)]
        await communicator.send_to(text_data="not json at all")  # ignored, not fatal
        await communicator.send_to(bytes_data=b"\x00\x01")
        await communicator.send_json_to({"type": "ping"})
        heard.append(await communicator.receive_json_from(timeout=5))
        public_id = await database_sync_to_async(raise_one)()
        heard.append(await communicator.receive_json_from(timeout=5))
        await communicator.disconnect()
        return heard, public_id

    heard, public_id = _run(session)
    assert heard[0] == {"type": "hello"}
    assert heard[1] == {"type": "pong"}
    # Only the id and what happened: the page fetches what she may see.
    assert heard[2] == {"type": "changed", "op": "created", "id": public_id}


@pytest.mark.parametrize("who", ["supporter", "outsider", "member"])
def test_nobody_else_can_listen_to_an_organisations_alerts(duty, outsider, who):
    person = outsider if who == "outsider" else getattr(duty, who)
    cookie = (b"cookie", _session_cookie(person))

    async def attempt() -> bool:
        communicator = _websocket_communicator()(
            APPLICATION, _path(duty.organisation), headers=[SAME_SITE, cookie]
        )
        connected, _ = await communicator.connect(timeout=5)
        await communicator.disconnect()
        return bool(connected)

    assert _run(attempt) is False


def _raise_one(duty) -> None:
    alert_raise(
        actor=duty.member,
        organisation=duty.organisation,
        source=AlertSource.MEMBER_REQUEST,
        tier=1,
        member=duty.member,
    )


def _what_she_hears_after(duty, person, change, *, then: str) -> dict[str, Any]:
    """Connect as ``person``; ``change`` something; then an alert is raised ("event") or the
    page pings ("ping"): the next thing the connection sends."""
    with time_machine.travel(IN_HOURS, tick=False):
        cookie = (b"cookie", _session_cookie(person))

        async def session() -> dict[str, Any]:
            communicator = _websocket_communicator()(
                APPLICATION, _path(duty.organisation), headers=[SAME_SITE, cookie]
            )
            connected, _ = await communicator.connect(timeout=5)
            assert connected
            assert await communicator.receive_json_from(timeout=5) == {"type": "hello"}
            await database_sync_to_async(change)()
            if then == "event":
                await database_sync_to_async(_raise_one)(duty)
            else:
                await communicator.send_json_to({"type": "ping"})
            heard: dict[str, Any] = await communicator.receive_output(timeout=5)
            await communicator.disconnect()
            return heard

        return _run(session)


CLOSED = {"type": "websocket.close", "code": 4403}


def _nothing() -> None:
    pass


def _sign_out_everywhere(person):
    from peerpath.accounts.models import User

    def change() -> None:
        User.objects.filter(pk=person.pk).update(session_epoch=person.session_epoch + 1)

    return change


def _deactivate(person):
    from peerpath.accounts.models import User

    def change() -> None:
        User.objects.filter(pk=person.pk).update(is_active=False)

    return change


def _delete_her_sessions() -> None:
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()


@pytest.mark.parametrize("then", ["event", "ping"])
def test_she_keeps_listening_while_nothing_about_her_has_changed(duty, then):
    heard = _what_she_hears_after(duty, duty.primary, _nothing, then=then)
    assert heard["type"] == "websocket.send"
    assert ('"changed"' if then == "event" else '"pong"') in heard["text"]


@pytest.mark.parametrize("then", ["event", "ping"])
@pytest.mark.parametrize("what", ["deactivated", "signed out everywhere", "session deleted"])
def test_a_connection_is_closed_once_her_account_or_session_has_ended(duty, what, then):
    change = {
        "deactivated": _deactivate(duty.primary),
        "signed out everywhere": _sign_out_everywhere(duty.primary),
        "session deleted": _delete_her_sessions,
    }[what]
    assert _what_she_hears_after(duty, duty.primary, change, then=then) == CLOSED


@pytest.mark.parametrize("then", ["event", "ping"])
def test_a_connection_is_closed_once_she_is_no_longer_a_safeguarding_lead(duty, then):
    with time_machine.travel(IN_HOURS, tick=False):
        safeguarding_setting_save(
            actor=OPERATOR,
            obj=SafeguardingLead(organisation=duty.organisation, person=duty.supporter),
            changed=["person"],
        )

    def no_longer_a_lead() -> None:
        safeguarding_setting_delete(actor=OPERATOR, obj=SafeguardingLead.objects.get())

    # She is still a peer supporter: only her place among the leads let her listen.
    assert _what_she_hears_after(duty, duty.supporter, no_longer_a_lead, then=then) == CLOSED


def test_with_the_in_memory_layer_a_change_made_elsewhere_still_reaches_her(duty, settings):
    """The embedded default has no shared channel layer: a change the worker makes (here, an
    escalation written straight to the row, with no event) reaches her page by looking."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    alert = alert_raise(
        actor=duty.member,
        organisation=duty.organisation,
        source=AlertSource.MEMBER_REQUEST,
        tier=1,
        member=duty.member,
    )
    cookie = (b"cookie", _session_cookie(duty.primary))

    def escalate_elsewhere() -> None:
        Alert.objects.filter(pk=alert.pk).update(
            escalation_step=F("escalation_step") + 1, updated_at=timezone.now() + MINUTE
        )

    async def session() -> list[Any]:
        communicator = _websocket_communicator()(
            APPLICATION, _path(duty.organisation), headers=[SAME_SITE, cookie]
        )
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        heard = [await communicator.receive_json_from(timeout=5)]
        assert await communicator.receive_nothing(timeout=WATCH_SECONDS + 1)  # nothing changed
        await database_sync_to_async(escalate_elsewhere)()
        heard.append(await communicator.receive_json_from(timeout=WATCH_SECONDS * 3))
        await communicator.disconnect()
        return heard

    heard = _run(session)
    assert heard == [{"type": "hello"}, {"type": "changed", "op": "updated", "id": ""}]
