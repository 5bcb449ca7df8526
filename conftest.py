"""Fixtures every test can use: the organisation, people by role, a clean cache, blocked network.

Personas (member, other member, peer supporter, coordinator, moderator, org admin, outsider
from another organisation, anonymous) are added here as roles arrive.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from peerpath.accounts.models import Organisation
from peerpath.accounts.tests.factories import OrganisationFactory, UserFactory

_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may only talk to this machine (the database, Redis, a live server, fakes)."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in _LOOPBACK and not host.startswith(("127.", "/")):
            raise RuntimeError(f"Tests may not reach the network ({host}).")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory(name="Harbour Parents Peer Support", slug="harbour-parents")


@pytest.fixture
def other_organisation(db: None) -> Organisation:
    return OrganisationFactory(name="Riverside Mums Network", slug="riverside-mums")


@pytest.fixture
def member(db: None) -> Any:
    return UserFactory(display_name="Sunflower")
