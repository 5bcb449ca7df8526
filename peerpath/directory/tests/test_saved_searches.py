""" "Tell me when something starts": keeping a search and being told about new groups."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.accounts.subject_rights import member_data_export, user_erase
from peerpath.audit.models import AuditEvent
from peerpath.core.actors import OPERATOR
from peerpath.directory import alerts
from peerpath.directory.choices import Family, Kind
from peerpath.directory.models import Location, SavedSearch, Schedule, Service
from peerpath.directory.services import occurrences_expand
from peerpath.jobs.models import Job
from peerpath.notifications.models import Notification

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # a Monday
LONDON = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _group(organisation, *, name, area="Exeter", for_whom=("pregnant",), day=25):
    location = Location.objects.create(
        organisation=organisation, name=f"{name} hall", address="1 High St", area=area
    )
    service = Service.objects.create(
        organisation=organisation,
        name=name,
        kind="peer_group",
        summary="A group.",
        location=location,
        for_whom=list(for_whom),
        last_checked_on=dt.date(2026, 11, 1),
    )
    schedule = Schedule.objects.create(
        service=service,
        first_starts_at=dt.datetime(2026, 11, day, 10, 0, tzinfo=LONDON),
        rrule="FREQ=WEEKLY",
    )
    occurrences_expand(actor=OPERATOR, schedule=schedule)
    return service


def _new_group_messages(user):
    return Notification.objects.filter(recipient=user, purpose="new_group")


def test_she_is_told_once_about_a_new_matching_group_and_not_about_others(organisation, member):
    existing = _group(organisation, name="Bumps Exeter")
    saved = alerts.saved_search_create(
        user=member, data=QueryDict("where=Exeter&stage=pregnant&when=this_week")
    )
    assert saved.query == "stage=pregnant&where=Exeter"  # "when" is not kept: four weeks ahead
    assert set(saved.told_about.all()) == {existing}  # already on: not news
    assert alerts.saved_searches_check() == 0
    assert not _new_group_messages(member).exists()

    _group(organisation, name="Dads Exeter", for_whom=("partners",))  # not for her stage
    _group(organisation, name="Bumps Crediton", area="Crediton")  # another town
    new = _group(organisation, name="Pregnancy Circle", day=30)
    assert alerts.saved_searches_check() == 1
    (message,) = _new_group_messages(member)
    assert message.context["names"] == ["Pregnancy Circle"]
    assert message.link == reverse("directory:saved_searches")  # the search itself is not in emails
    assert new in saved.told_about.all()

    assert alerts.saved_searches_check() == 0  # told once
    assert _new_group_messages(member).count() == 1


def test_listing_changes_queue_one_check_a_minute(db):
    alerts.listings_changed()
    alerts.listings_changed()
    jobs = Job.objects.filter(task=alerts.CHECK_TASK)
    assert jobs.count() == 1
    assert jobs.get().due_at == dt.datetime(2026, 11, 23, 9, 1, tzinfo=dt.UTC)


def test_saving_stopping_and_nobody_elses(organisation, member, other_member):
    address = reverse("directory:saved_search_create") + "?where=online&stage=baby_0_12"
    anonymous = Client().get(address)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))

    client = Client()
    client.force_login(member)
    page = client.get(address).content.decode()
    assert "Online only" in page
    assert 'name="stage" value="baby_0_12"' in page

    response = client.post(
        reverse("directory:saved_search_create"), {"where": "online", "stage": "baby_0_12"}
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=member)
    assert saved.query == "stage=baby_0_12&where=online"
    listing = client.get(reverse("directory:saved_searches")).content.decode()
    assert saved.description in listing

    stop = reverse("directory:saved_search_delete", kwargs={"public_id": saved.public_id})
    other = Client()
    other.force_login(other_member)
    assert other.post(stop).status_code == 404
    assert client.post(stop).status_code == 302
    assert not SavedSearch.objects.filter(user=member).exists()


def test_a_wrong_search_is_not_kept(member):
    client = Client()
    client.force_login(member)
    page = client.get(reverse("directory:saved_search_create") + "?postcode=hello")
    assert "Enter a postcode like EX4 3SR" in page.content.decode()
    assert "Yes, tell me" not in page.content.decode()
    client.post(reverse("directory:saved_search_create"), {"postcode": "hello"})
    assert not SavedSearch.objects.exists()


def test_there_is_a_limit_and_the_same_search_is_kept_once(member):
    for number in range(alerts.MAX_SAVED_SEARCHES):
        alerts.saved_search_create(
            user=member, data=QueryDict(f"days={number % 7}&times=morning&free={number}")
        )
    assert SavedSearch.objects.filter(user=member).count() == alerts.MAX_SAVED_SEARCHES
    again = alerts.saved_search_create(user=member, data=QueryDict("days=0&times=morning&free=0"))
    assert SavedSearch.objects.filter(user=member).count() == alerts.MAX_SAVED_SEARCHES
    assert again.query == "days=0&free=0&times=morning"
    with pytest.raises(alerts.SavedSearchError, match="up to 10"):
        alerts.saved_search_create(user=member, data=QueryDict("where=online"))


def test_her_export_shows_them_and_erasure_stops_them(organisation, member):
    alerts.saved_search_create(user=member, data=QueryDict("where=online"))
    exported = member_data_export(actor=member, user=member)
    assert exported["saved_searches"][0]["search"] == "Online only"
    user_erase(actor=member, user=member)
    assert not SavedSearch.objects.exists()
    _group(organisation, name="Online circle")
    assert alerts.saved_searches_check() == 0


def test_inactive_people_are_not_messaged(organisation):
    person = make_person(organisation, Role.MEMBER)
    _group(organisation, name="Old Exeter group")
    alerts.saved_search_create(user=person, data=QueryDict("where=Exeter"))
    person.is_active = False
    person.save()
    _group(organisation, name="New Exeter group")
    assert alerts.saved_searches_check() == 0
    assert not _new_group_messages(person).exists()


def test_near_her_location_she_is_asked_for_a_postcode_instead(client, organisation):
    _group(organisation, name="Bumps Exeter")
    near = client.get(reverse("directory:find_support") + "?lat=50.72&lng=-3.51").content.decode()
    assert "We do not keep your location." in near
    assert reverse("directory:saved_search_create") not in near
    town = client.get(reverse("directory:find_support") + "?where=Exeter").content.decode()
    assert f"{reverse('directory:saved_search_create')}?where=Exeter" in town


def test_a_search_whose_town_has_gone_is_not_run_as_anywhere(organisation, member):
    exeter = _group(organisation, name="Bumps Exeter")
    alerts.saved_search_create(user=member, data=QueryDict("where=Exeter"))
    Location.objects.filter(pk=exeter.location_id).update(area="Exeter City")
    _group(organisation, name="Bumps Plymouth", area="Plymouth")
    assert alerts.saved_searches_check() == 0
    assert not _new_group_messages(member).exists()


def test_one_broken_search_does_not_stop_the_others(
    organisation, member, other_member, monkeypatch
):
    _group(organisation, name="Old Exeter group")
    broken = alerts.saved_search_create(user=member, data=QueryDict("where=Exeter"))
    alerts.saved_search_create(user=other_member, data=QueryDict("where=Exeter&free=on"))
    _group(organisation, name="New Exeter group", day=30)
    real = alerts.saved_search_check

    def failing(*, saved):
        if saved.pk == broken.pk:
            raise RuntimeError("boom")
        return real(saved=saved)

    monkeypatch.setattr(alerts, "saved_search_check", failing)
    assert alerts.saved_searches_check() == 1
    assert _new_group_messages(other_member).count() == 1


def test_repeated_choices_are_kept_once_and_huge_searches_refused(member):
    saved = alerts.saved_search_create(user=member, data=QueryDict("kinds=gp&" * 200))
    assert saved.query == "kinds=gp"
    every_kind = "&".join(f"kinds={kind}" for kind, _ in Kind.choices)
    every_family = "&".join(f"family={value}" for value, _ in Family.choices)
    everything = f"{every_kind}&{every_family}&days=0&days=1&days=2&days=3&days=4&days=5&days=6"
    saved = alerts.saved_search_create(user=member, data=QueryDict(everything))
    assert len(saved.description) <= 300
    assert AuditEvent.objects.filter(action="create", object_id=str(saved.public_id)).exists()


def test_a_wrong_search_posted_is_explained_and_kept_on_the_page(member):
    client = Client()
    client.force_login(member)
    response = client.post(
        reverse("directory:saved_search_create"), {"postcode": "hello", "stage": "pregnant"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a postcode like EX4 3SR" in page
    assert "stage=pregnant" in page  # the way back keeps her choices
