"""Fixtures every test can use: organisations, people by role (personas), a clean cache, and
no network beyond this machine.

Personas, all in "Harbour Parents" unless said otherwise; staff have two-step verification:
- ``member``: a mother who signed up; ``other_member``: another mother in the same charity;
- ``supporter_matched``: a peer supporter matched with ``member``; ``supporter_unmatched``;
- ``moderator``, ``coordinator``, ``org_admin``;
- ``outsider``: coordinator and org admin of another charity;
- anonymous: no fixture, just the test client.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership, Organisation, User
from peerpath.accounts.services import membership_grant
from peerpath.accounts.tests.factories import OrganisationFactory, UserFactory, give_mfa

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


def make_person(
    organisation: Organisation, *roles: Role, mfa: bool | None = None, **fields: Any
) -> User:
    user = UserFactory(**fields)
    for role in roles:
        membership_grant(actor=None, user=user, organisation=organisation, role=role)
    if mfa or (mfa is None and any(role != Role.MEMBER for role in roles)):
        give_mfa(user)
    return user


def membership_of(user: User, role: Role) -> Membership:
    return Membership.objects.get(user=user, role=role, ended_at__isnull=True)


def ensure_consent_texts() -> None:
    """Transactional tests flush every table, including the texts a data migration published."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("peerpath.accounts.migrations.0002_publish_first_consent_texts")
    migration.publish(apps, None)


@pytest.fixture
def organisation(db: None) -> Organisation:
    ensure_consent_texts()
    return OrganisationFactory(name="Harbour Parents Peer Support", slug="harbour-parents")


@pytest.fixture
def other_organisation(db: None) -> Organisation:
    return OrganisationFactory(name="Riverside Mums Network", slug="riverside-mums")


@pytest.fixture
def member(organisation: Organisation) -> User:
    return make_person(organisation, Role.MEMBER, display_name="Sunflower 101")


@pytest.fixture
def other_member(organisation: Organisation) -> User:
    return make_person(organisation, Role.MEMBER, display_name="Willow 202")


@pytest.fixture
def supporter_matched(organisation: Organisation, member: User) -> User:
    from peerpath.buddying.models import Match

    supporter = make_person(organisation, Role.PEER_SUPPORTER, display_name="Hazel (supporter)")
    Match.objects.create(
        organisation=organisation,
        member=membership_of(member, Role.MEMBER),
        supporter=membership_of(supporter, Role.PEER_SUPPORTER),
    )
    return supporter


@pytest.fixture
def supporter_unmatched(organisation: Organisation) -> User:
    return make_person(organisation, Role.PEER_SUPPORTER, display_name="Rowan (supporter)")


@pytest.fixture
def moderator(organisation: Organisation) -> User:
    return make_person(organisation, Role.MODERATOR, display_name="Maple (moderator)")


@pytest.fixture
def coordinator(organisation: Organisation) -> User:
    return make_person(organisation, Role.COORDINATOR, display_name="Clover (coordinator)")


@pytest.fixture
def org_admin(organisation: Organisation) -> User:
    return make_person(organisation, Role.ORG_ADMIN, display_name="Birch (admin)")


@pytest.fixture
def outsider(other_organisation: Organisation) -> User:
    return make_person(
        other_organisation, Role.COORDINATOR, Role.ORG_ADMIN, display_name="Outsider"
    )


PERSONAS = (
    "anonymous",
    "member",
    "other_member",
    "supporter_matched",
    "supporter_unmatched",
    "moderator",
    "coordinator",
    "org_admin",
    "outsider",
)


@pytest.fixture
def personas(request: pytest.FixtureRequest) -> dict[str, User | None]:
    """Every persona at once, for tests that walk the whole access matrix."""
    people: dict[str, User | None] = {"anonymous": None}
    for name in PERSONAS[1:]:
        people[name] = request.getfixturevalue(name)
    return people
