"""Fixtures every test can use: organisations, people by role (personas), a clean cache, and
no network beyond this machine.

Every test runs on a controlled clock: it starts at the instant given by ``--start-at`` (or
``PEERPATH_TEST_START_AT``; an ISO date and time, Europe/London when it has no offset), or by
default at the moment the run began, and ticks from there. CI runs the suite again at awkward
instants (``scripts/awkward_instants.py``): a Monday just after midnight, a Sunday evening, and
the nights the clocks change.

Personas, all in "Harbour Parents" unless said otherwise; staff have two-step verification:
- ``member``: a mother who signed up; ``other_member``: another mother in the same charity;
- ``supporter_matched``: a peer supporter matched with ``member``; ``supporter_unmatched``;
- ``moderator``, ``coordinator``, ``org_admin``;
- ``outsider``: coordinator and org admin of another charity;
- anonymous: no fixture, just the test client.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from peerpath.accounts.choices import Role
from peerpath.accounts.models import Membership, Organisation, User
from peerpath.accounts.services import membership_grant
from peerpath.accounts.tests.factories import OrganisationFactory, UserFactory, give_mfa
from peerpath.core.actors import OPERATOR

_LOOPBACK = ("127.0.0.1", "::1", "localhost")
LONDON = ZoneInfo("Europe/London")
START_AT_ENV = "PEERPATH_TEST_START_AT"


def parse_start_at(value: str) -> dt.datetime:
    """An ISO date and time; without an offset it is Europe/London wall-clock time (the first
    of the two 1:30s on the night the clocks go back)."""
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(
            f"--start-at={value!r} is not a date and time such as 2027-03-28T00:30."
        ) from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=LONDON)
    return instant.astimezone(dt.UTC)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--start-at",
        default=os.environ.get(START_AT_ENV, ""),
        help="Run every test on a clock that starts at this instant (e.g. 2027-03-28T00:30, "
        "Europe/London when no offset is given). Default: the moment the run began.",
    )


def pytest_configure(config: pytest.Config) -> None:
    given = config.getoption("--start-at")
    config.peerpath_start_at = (  # type: ignore[attr-defined]
        parse_start_at(given) if given else dt.datetime.now(dt.UTC)
    )


def pytest_report_header(config: pytest.Config) -> str:
    start: dt.datetime = config.peerpath_start_at  # type: ignore[attr-defined]
    return f"controlled clock: each test starts at {start.astimezone(LONDON).isoformat()}"


@pytest.fixture(autouse=True)
def controlled_clock(request: pytest.FixtureRequest) -> Iterator[time_machine.Coordinates]:
    """Every test's "now": the run's start instant, ticking. Tests that need another moment
    travel again inside this one (``time_machine.travel``)."""
    start: dt.datetime = request.config.peerpath_start_at  # type: ignore[attr-defined]
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller


def clock_env() -> dict[str, str]:
    """Environment for a child process (a worker, a seed script) that must share this test's
    clock: run it as ``python -m tests.clocked ...`` with these variables."""
    from peerpath.core import clock

    offset = clock.now() - dt.datetime.fromtimestamp(_real_time(), dt.UTC)
    return {"PEERPATH_TEST_CLOCK_OFFSET": f"{offset.total_seconds():.6f}"}


def _real_time() -> float:
    import time

    if time_machine.escape_hatch.is_travelling():
        return float(time_machine.escape_hatch.time.time())
    return time.time()


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
        membership_grant(actor=OPERATOR, user=user, organisation=organisation, role=role)
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
    from peerpath.buddying.services import match_create

    supporter = make_person(organisation, Role.PEER_SUPPORTER, display_name="Hazel (supporter)")
    match_create(
        actor=OPERATOR,
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
