"""Every list page costs the same number of database statements for 2 rows as for 10, and no
more than its stated budget: a list never makes one query per row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.accounts.services import invitation_create
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.bookings.models import BookingStatus
from peerpath.bookings.tests.factories import BookableServiceFactory, BookingFactory
from peerpath.core.actors import OPERATOR
from peerpath.directory.alerts import saved_search_create
from peerpath.directory.tests.factories import OccurrenceFactory, ServiceFactory
from peerpath.jobs.outbox import OutboxStatus
from peerpath.notifications.models import Delivery
from peerpath.notifications.services import notify

IGNORED = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def statements(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith(IGNORED))


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _assert_flat(client: Client, url: str, add: Callable[[int, int], None], *, budget: int) -> None:
    add(0, 2)
    client.get(url)  # the first request also loads her session and the site's name
    few = statements(client, url)
    add(2, 10)
    many = statements(client, url)
    assert few == many, f"{url}: {few} statements for 2 rows, {many} for 10"
    assert many <= budget, f"{url}: {many} statements, budget {budget}"


@pytest.mark.django_db
def test_her_inbox(organisation, member):
    def add(start: int, end: int) -> None:
        for n in range(start, end):
            notify(recipient=member, purpose="account", idempotency_key=f"inbox-{n}")

    _assert_flat(signed_in(member), reverse("notifications:inbox"), add, budget=12)


@pytest.mark.django_db
def test_her_kept_searches(organisation, member):
    times = ("morning", "afternoon")

    def add(start: int, end: int) -> None:
        for n in range(start, end):
            query = f"days={n % 7}&times={times[n // 7]}"
            saved_search_create(user=member, data=QueryDict(query))

    _assert_flat(signed_in(member), reverse("directory:saved_searches"), add, budget=14)


@pytest.mark.django_db
def test_her_bookings(organisation, member):
    def add(start: int, end: int) -> None:
        for n in range(start, end):
            BookingFactory(
                member=member,
                occurrence__days_ahead=n + 1,
                occurrence__service__organisation=organisation,
            )

    _assert_flat(signed_in(member), reverse("bookings:my_bookings"), add, budget=14)


@pytest.mark.django_db
def test_staff_invitations(organisation, org_admin):
    def add(start: int, end: int) -> None:
        for n in range(start, end):
            invitation_create(
                actor=org_admin,
                organisation=organisation,
                email=f"volunteer{n}@example.org",
                role=Role.PEER_SUPPORTER,
            )

    url = reverse("accounts:staff_invitations", kwargs={"slug": organisation.slug})
    _assert_flat(signed_in(org_admin), url, add, budget=14)


@pytest.mark.django_db
def test_staff_members(organisation, coordinator):
    def add(start: int, end: int) -> None:
        for n in range(start, end):
            make_person(organisation, Role.MEMBER, display_name=f"Member {n}")

    url = reverse("accounts:staff_members", kwargs={"slug": organisation.slug})
    _assert_flat(signed_in(coordinator), url, add, budget=12)


@pytest.mark.django_db
def test_a_sessions_register(organisation, coordinator):
    session = OccurrenceFactory(
        service=BookableServiceFactory(organisation=organisation), days_ahead=0
    )

    def add(start: int, end: int) -> None:
        for n in range(start, end):
            BookingFactory(
                occurrence=session,
                member=make_person(organisation, Role.MEMBER, display_name=f"Booked {n}"),
                status=BookingStatus.BOOKED if n % 3 else BookingStatus.WAITING,
            )

    url = reverse("bookings:session_register", kwargs={"public_id": session.public_id})
    _assert_flat(signed_in(coordinator), url, add, budget=16)


@pytest.mark.django_db
def test_a_listings_sessions(organisation, coordinator):
    service = BookableServiceFactory(organisation=organisation)

    def add(start: int, end: int) -> None:
        for n in range(start, end):
            session = OccurrenceFactory(service=service, days_ahead=n + 1)
            BookingFactory(occurrence=session)

    url = reverse(
        "directory:staff_sessions",
        kwargs={"slug": organisation.slug, "public_id": service.public_id},
    )
    _assert_flat(signed_in(coordinator), url, add, budget=16)


@pytest.mark.django_db
def test_the_charitys_listings(organisation, coordinator):
    def add(start: int, end: int) -> None:
        for _ in range(start, end):
            ServiceFactory(organisation=organisation)

    url = reverse("directory:staff_listings", kwargs={"slug": organisation.slug})
    _assert_flat(signed_in(coordinator), url, add, budget=14)


@pytest.mark.django_db
def test_failed_messages_for_admins(organisation, org_admin, member):
    def add(start: int, end: int) -> None:
        for n in range(start, end):
            notification = notify(
                recipient=member,
                purpose="account",
                organisation=organisation,
                idempotency_key=f"failed-{n}",
            )
            Delivery.objects.filter(notification=notification).update(
                status=OutboxStatus.FAILED, last_error="HTTP 400", attempts=1
            )

    url = reverse("notifications:notification_failures", kwargs={"slug": organisation.slug})
    _assert_flat(signed_in(org_admin), url, add, budget=14)


@pytest.mark.django_db
def test_the_audit_log(organisation, org_admin, member):
    def add(start: int, end: int) -> None:
        for _ in range(start, end):
            audit_record(
                actor=OPERATOR, action=Action.UPDATE, obj=member, organisation=organisation
            )

    url = reverse("audit:audit_search", kwargs={"slug": organisation.slug})
    _assert_flat(signed_in(org_admin), url, add, budget=14)
