"""The facilitator's register: who came, first visits, walk-ins, and who may keep it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.audit.models import AuditEvent
from peerpath.bookings.models import Booking, BookingStatus
from peerpath.bookings.services import booking_create
from peerpath.core.actors import OPERATOR
from peerpath.directory.models import Location, Schedule, Service
from peerpath.directory.services import occurrences_expand

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # a Monday, GMT
LONDON = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _group(organisation, *, booking_required=True):
    location = Location.objects.create(
        organisation=organisation, name="Hall", address="1 High St", area="Exeter"
    )
    service = Service.objects.create(
        organisation=organisation,
        name="Bumps and Babies",
        kind="peer_group",
        summary="A group.",
        location=location,
        booking_required=booking_required,
        capacity=10 if booking_required else None,
        last_checked_on=dt.date(2026, 11, 1),
    )
    schedule = Schedule.objects.create(
        service=service,
        first_starts_at=dt.datetime(2026, 11, 16, 10, 0, tzinfo=LONDON),
        rrule="FREQ=WEEKLY;BYDAY=MO",
    )
    occurrences_expand(actor=OPERATOR, schedule=schedule)
    return service


def _ticked(html, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag is not None, name
    return "checked" in tag.group(0)


def _error_beside(html, name):
    """The error message shown with the field (``id_<name>-error``, the field's own group)."""
    found = re.search(
        rf'id="id_{name}-error"\s*>\s*<span class="nhsuk-u-visually-hidden">[^<]*</span>([^<]+)<',
        html,
    )
    return found.group(1).strip() if found else None


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _post(client, session, data):
    return client.post(
        reverse("bookings:session_register", kwargs={"public_id": session.public_id}), data
    )


def test_a_coordinator_marks_who_came_and_first_visits(organisation, coordinator):
    service = _group(organisation)
    first, second = service.occurrences.order_by("starts_at")[:2]
    regular = make_person(organisation, Role.MEMBER, display_name="Wren 1")
    newcomer = make_person(organisation, Role.MEMBER, display_name="Fern 2")
    no_show = make_person(organisation, Role.MEMBER, display_name="Ivy 3")
    came_before = booking_create(actor=regular, occurrence=first)
    Booking.objects.filter(pk=came_before.pk).update(attended=True)
    bookings = {
        person: booking_create(actor=person, occurrence=second)
        for person in (regular, newcomer, no_show)
    }
    Service.objects.filter(pk=service.pk).update(capacity=3)
    booking_create(
        actor=make_person(organisation, Role.MEMBER, display_name="Linnet 4"), occurrence=second
    )
    client = _signed_in(coordinator)

    page = client.get(reverse("bookings:session_register", kwargs={"public_id": second.public_id}))
    assert page.status_code == 200
    html = page.content.decode()
    waiting = html.split("Waiting for a place", 1)[1]
    assert "Linnet 4" in waiting
    assert "Fern 2" not in waiting
    # "First time" is ticked already for people who have not come to this group before.
    assert _ticked(html, f"first_{bookings[newcomer].public_id.hex}") is True
    assert _ticked(html, f"first_{bookings[regular].public_id.hex}") is False
    assert AuditEvent.objects.filter(action="read", detail="register").count() == 1

    response = _post(
        client,
        second,
        {
            f"came_{bookings[regular].public_id.hex}": "yes",
            f"came_{bookings[newcomer].public_id.hex}": "yes",
            f"first_{bookings[newcomer].public_id.hex}": "on",
            f"came_{bookings[no_show].public_id.hex}": "no",
            f"first_{bookings[no_show].public_id.hex}": "on",
            "walk_ins": "2",
            "walk_in_first_visits": "1",
        },
    )
    assert response.status_code == 302
    saved = {
        b.member: (b.attended, b.first_visit)
        for b in Booking.objects.filter(occurrence=second, status="booked")
    }
    assert saved == {
        regular: (True, False),
        newcomer: (True, True),
        no_show: (False, False),  # a first visit only counts if she came
    }
    second.refresh_from_db()
    assert (second.walk_ins, second.walk_in_first_visits) == (2, 1)
    assert (
        AuditEvent.objects.filter(action="update", fields=["attended", "first_visit"]).count() == 3
    )


def test_a_drop_in_register_is_a_count_and_bad_numbers_are_explained(organisation, coordinator):
    service = _group(organisation, booking_required=False)
    session = service.occurrences.earliest("starts_at")
    client = _signed_in(coordinator)
    page = client.get(reverse("bookings:session_register", kwargs={"public_id": session.public_id}))
    assert "just turn up" in page.content.decode()

    response = _post(client, session, {"walk_ins": "3", "walk_in_first_visits": "5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert _error_beside(html, "walk_in_first_visits") == (
        "This cannot be more than the number of people who came without booking."
    )
    assert re.search(r'name="walk_in_first_visits"[^>]*value="5"', html)  # what she typed is kept
    response = _post(client, session, {"walk_ins": "lots", "walk_in_first_visits": "0"})
    assert _error_beside(response.content.decode(), "walk_ins") == "Enter a whole number, like 3."
    session.refresh_from_db()
    assert session.walk_ins == 0

    assert _post(client, session, {"walk_ins": "7", "walk_in_first_visits": "2"}).status_code == 302
    session.refresh_from_db()
    assert (session.walk_ins, session.walk_in_first_visits) == (7, 2)


def test_only_its_facilitators_and_the_charitys_coordinators_keep_the_register(
    organisation, other_organisation, member, supporter_unmatched
):
    service = _group(organisation)
    session = service.occurrences.earliest("starts_at")
    booking_create(actor=member, occurrence=session)
    address = reverse("bookings:session_register", kwargs={"public_id": session.public_id})
    other_coordinator = make_person(other_organisation, Role.COORDINATOR)
    for person in (member, supporter_unmatched, other_coordinator):
        assert _signed_in(person).get(address).status_code == 404
    assert AuditEvent.objects.filter(detail="register").count() == 0

    service.facilitators.add(supporter_unmatched)
    client = _signed_in(supporter_unmatched)
    assert client.get(address).status_code == 200
    booking = Booking.objects.get(occurrence=session, status=BookingStatus.BOOKED)
    _post(
        client,
        session,
        {f"came_{booking.public_id.hex}": "yes", "walk_ins": "0", "walk_in_first_visits": "0"},
    )
    booking.refresh_from_db()
    assert booking.attended is True


def test_a_facilitator_finds_this_weeks_registers_on_her_staff_page(
    organisation, supporter_unmatched
):
    service = _group(organisation)
    client = _signed_in(supporter_unmatched)
    assert (
        "Registers for the groups you run"
        not in client.get(reverse("accounts:staff_home")).content.decode()
    )
    service.facilitators.add(supporter_unmatched)
    page = client.get(reverse("accounts:staff_home")).content.decode()
    this_week = service.occurrences.earliest("starts_at")
    register = reverse("bookings:session_register", kwargs={"public_id": this_week.public_id})
    assert f'<a href="{register}">' in page  # a link she can tap, not escaped text
    assert "&lt;h2" not in page
    later = service.occurrences.order_by("-starts_at").first()
    assert reverse("bookings:session_register", kwargs={"public_id": later.public_id}) not in page


def test_a_former_peer_supporter_no_longer_sees_the_registers(organisation, supporter_unmatched):
    from peerpath.accounts.access import forget_roles
    from peerpath.accounts.models import Membership
    from peerpath.accounts.subject_rights import member_data_export, user_erase
    from peerpath.bookings.access import facilitated_sessions

    service = _group(organisation)
    service.facilitators.add(supporter_unmatched)
    assert facilitated_sessions(supporter_unmatched)
    exported = member_data_export(actor=supporter_unmatched, user=supporter_unmatched)
    assert exported["groups_you_run"] == ["Bumps and Babies"]

    Membership.objects.filter(user=supporter_unmatched).update(ended_at=NOW)
    forget_roles(supporter_unmatched)
    assert facilitated_sessions(supporter_unmatched) == []

    user_erase(actor=supporter_unmatched, user=supporter_unmatched)
    assert not service.facilitators.exists()
