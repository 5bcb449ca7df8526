import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings

from peerpath.accounts.models import Organisation
from peerpath.core import clock
from peerpath.core.demo import seed_demo
from peerpath.safeguarding.models import CrisisContact, Urgency


@pytest.mark.django_db
def test_seed_demo_creates_an_invented_charity_with_unverified_crisis_contacts():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: PTH123, SIM115
    organisation = Organisation.objects.get(slug="harbour-parents")
    contacts = CrisisContact.objects.filter(organisation=organisation)
    assert contacts.filter(urgency=Urgency.EMERGENCY, phone="999").exists()
    assert {c.name for c in contacts} >= {"NHS 111", "Samaritans", "Shout"}
    assert all(contact.needs_verification for contact in contacts)


@pytest.mark.django_db
def test_seed_demo_if_empty_does_not_add_twice():
    out = open("/dev/null", "w")  # noqa: PTH123, SIM115
    call_command("seed_demo", "--if-empty", stdout=out)
    call_command("seed_demo", "--if-empty", stdout=out)
    assert Organisation.objects.count() == 2
    assert CrisisContact.objects.count() == 16


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


@pytest.mark.django_db
def test_every_printed_demo_account_exists_with_its_role_and_staff_have_two_step():
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import authenticate

    from peerpath.accounts import demo
    from peerpath.accounts.access import is_staff_person

    seed_demo()
    for account in demo.DEMO_ACCOUNTS:
        user = authenticate(email=account.email, password=account.password)
        assert user is not None, account.email
        assert is_staff_person(user) == account.two_step
        assert Authenticator.objects.filter(user=user).exists() == account.two_step


@pytest.mark.django_db
def test_demo_accounts_cannot_sign_in_where_demo_data_is_not_allowed(client):
    from django.urls import reverse

    from peerpath.accounts import demo

    seed_demo()
    with override_settings(PEERPATH_DEMO_DATA_ALLOWED=False):
        response = client.post(
            reverse("account_login"),
            {"login": demo.DEMO_ACCOUNTS[0].email, "password": demo.DEMO_PASSWORD},
        )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_make_run_prints_the_demo_accounts_and_the_two_step_key():
    import io

    from peerpath.accounts import demo

    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    for account in demo.DEMO_ACCOUNTS:
        assert account.email in text
    assert demo.DEMO_PASSWORD in text
    assert demo.DEMO_TOTP_SECRET in text
