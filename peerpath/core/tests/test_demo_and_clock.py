import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings

from peerpath.accounts.models import Organisation
from peerpath.core import clock
from peerpath.safeguarding.models import CrisisContact, Urgency


@pytest.mark.django_db
def test_seed_demo_creates_an_invented_charity_with_unverified_crisis_contacts():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: PTH123, SIM115
    organisation = Organisation.objects.get()
    assert organisation.slug == "harbour-parents"
    contacts = CrisisContact.objects.filter(organisation=organisation)
    assert contacts.filter(urgency=Urgency.EMERGENCY, phone="999").exists()
    assert {c.name for c in contacts} >= {"NHS 111", "Samaritans", "Shout"}
    assert all(contact.needs_verification for contact in contacts)


@pytest.mark.django_db
def test_seed_demo_if_empty_does_not_add_twice():
    out = open("/dev/null", "w")  # noqa: PTH123, SIM115
    call_command("seed_demo", "--if-empty", stdout=out)
    call_command("seed_demo", "--if-empty", stdout=out)
    assert Organisation.objects.count() == 1
    assert CrisisContact.objects.count() == 8


@pytest.mark.django_db
@override_settings(PEERPATH_DEMO_DATA_ALLOWED=False)
def test_seed_demo_refuses_where_demo_data_is_not_allowed():
    with pytest.raises(CommandError, match="never loaded"):
        call_command("seed_demo")
    assert not Organisation.objects.exists()


def test_today_is_the_charity_s_date_not_utc():
    # 23:30 UTC on a summer evening is already the next day in London.
    with time_machine.travel(dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC), tick=False):
        assert clock.now().date() == dt.date(2026, 7, 1)
        assert clock.today() == dt.date(2026, 7, 2)
