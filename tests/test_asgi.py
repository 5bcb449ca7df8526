"""The ASGI entry point: production settings by default, and websockets only for this site's
pages and signed-in people."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.test import Client
from django.urls import path

from config.routing import websocket_application

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "import config.asgi; from django.conf import settings; "
    "print(settings.SETTINGS_MODULE, settings.DEBUG)"
)


def _asgi(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY"))}
    clean.pop("ALLOWED_HOSTS", None)
    clean.pop("FIELD_ENCRYPTION_KEYS", None)
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_server_started_without_settings_gets_production_and_refuses_to_run_without_keys(
    tmp_path,
):
    refused = _asgi({"PEERPATH_VAR_DIR": str(tmp_path)})
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "without SECRET_KEY" in refused.stderr

    production = _asgi(
        {
            "PEERPATH_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "k" * 60,
            "ALLOWED_HOSTS": "peerpath.example",
            "FIELD_ENCRYPTION_KEYS": "ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LXNlY3JldCE=",
        }
    )
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == ["config.settings.production", "False"]


def test_make_run_still_starts_the_development_settings(tmp_path):
    # The Makefile exports DJANGO_SETTINGS_MODULE=config.settings.local for Procfile.dev.
    local = _asgi(
        {"PEERPATH_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    )
    assert local.returncode == 0, local.stderr
    # Local settings, with PeerPath's own error pages unless DEBUG=true is asked for.
    assert local.stdout.split() == ["config.settings.local", "False"]
    assert "DJANGO_SETTINGS_MODULE ?= config.settings.local" in (ROOT / "Makefile").read_text()
    assert "config.asgi:application" in (ROOT / "Procfile.dev").read_text()


def _websocket_communicator() -> type:
    """channels.testing's package imports daphne for its live-server test case only; PeerPath
    is served by uvicorn, so stand in for daphne when it is not installed."""
    try:
        import daphne.testing  # noqa: F401
    except ModuleNotFoundError:
        stub = types.ModuleType("daphne.testing")
        stub.DaphneProcess = object  # type: ignore[attr-defined]
        sys.modules.setdefault("daphne", types.ModuleType("daphne"))
        sys.modules.setdefault("daphne.testing", stub)
    from channels.testing import WebsocketCommunicator

    return WebsocketCommunicator


class Hello(AsyncWebsocketConsumer):
    """A test-only consumer: says who she is once connected."""

    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data=str(self.scope["user"].public_id))


APPLICATION = websocket_application([path("ws/hello/", Hello.as_asgi())])


def _connect(headers: list[tuple[bytes, bytes]]) -> tuple[bool, object, str | None]:
    communicator_class = _websocket_communicator()

    async def attempt() -> tuple[bool, object, str | None]:
        communicator = communicator_class(APPLICATION, "/ws/hello/", headers=headers)
        connected, detail = await communicator.connect(timeout=5)
        said = await communicator.receive_from(timeout=5) if connected else None
        await communicator.disconnect()
        return connected, detail, said

    # In a thread of its own: the browser tests' Playwright keeps an event loop running in
    # this one, and async_to_sync refuses to run beside it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(async_to_sync(attempt)).result(timeout=30)


def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


SAME_SITE = (b"origin", b"http://testserver")


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_person_on_this_site_connects(member):
    connected, _, said = _connect([SAME_SITE, (b"cookie", _session_cookie(member))])
    assert connected
    assert said == str(member.public_id)


@pytest.mark.django_db(transaction=True)
def test_a_connection_without_a_session_is_refused():
    connected, code, _ = _connect([SAME_SITE])
    assert not connected
    assert code == 1000  # closed before the handshake was accepted: HTTP 403


@pytest.mark.django_db(transaction=True)
def test_a_connection_from_another_site_is_refused_even_with_her_session(member):
    cookie = (b"cookie", _session_cookie(member))
    connected, _, _ = _connect([(b"origin", b"https://evil.example"), cookie])
    assert not connected
    connected, _, _ = _connect([cookie])  # no Origin at all
    assert not connected


def _aged_session_cookie(user, *, idle_minutes: float) -> bytes:
    """Her session cookie, last used ``idle_minutes`` ago."""
    from importlib import import_module

    from peerpath.core import clock

    cookie = _session_cookie(user)
    key = cookie.split(b"=", 1)[1].decode()
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    now = clock.now().timestamp()
    store["pp_started"] = now - idle_minutes * 60
    store["pp_seen"] = now - idle_minutes * 60
    store.save()
    return cookie


@pytest.mark.django_db(transaction=True)
def test_a_session_past_its_idle_limit_cannot_open_a_socket(member):
    fresh = _aged_session_cookie(member, idle_minutes=29)
    assert _connect([SAME_SITE, (b"cookie", fresh)])[0]
    stale = _aged_session_cookie(member, idle_minutes=31)  # members: 30 minutes
    assert not _connect([SAME_SITE, (b"cookie", stale)])[0]


@pytest.mark.django_db(transaction=True)
def test_staff_need_two_step_verification_for_a_socket_as_for_a_page(organisation, coordinator):
    from conftest import make_person
    from peerpath.accounts.choices import Role

    assert _connect([SAME_SITE, (b"cookie", _session_cookie(coordinator))])[0]
    without = make_person(organisation, Role.COORDINATOR, mfa=False)
    assert not _connect([SAME_SITE, (b"cookie", _session_cookie(without))])[0]
