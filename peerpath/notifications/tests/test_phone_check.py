"""Checking her mobile number: a texted code, typed back; only digests are kept."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.audit.models import AuditEvent
from peerpath.notifications.access import own_phone_check, phone_checked
from peerpath.notifications.channels.sms import MemorySmsBackend
from peerpath.notifications.models import PhoneCheck

MOMENT = dt.datetime(2027, 3, 2, 10, 0, tzinfo=dt.UTC)
URL = reverse("notifications:mobile_check")


@pytest.fixture(autouse=True)
def _texts(settings):
    settings.SMS_BACKEND = "peerpath.notifications.channels.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def coordinator(organisation):
    return make_person(organisation, Role.COORDINATOR, phone="+447700900123")


def _words(response):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def _code() -> str:
    return re.search(r"\b(\d{6})\b", MemorySmsBackend.outbox[-1].body).group(1)


def test_she_texts_herself_a_code_types_it_back_and_her_number_is_checked(coordinator):
    with time_machine.travel(MOMENT, tick=False):
        client = Client()
        client.force_login(coordinator)
        assert "Text me a code" in _words(client.get(URL))
        client.post(URL, {"send": "1"})
        [text] = MemorySmsBackend.outbox
        assert text.to == "+447700900123"
        assert text.body.startswith("Your PeerPath code is ")
        code = _code()
        wrong = "000000" if code != "000000" else "111111"
        refused = _words(client.post(URL, {"code": wrong}))
        assert "That code is not right. Check the text and try again." in refused
        assert f'value="{wrong}"' in client.post(URL, {"code": wrong}).content.decode()
        assert "Enter the 6 numbers from the text." in _words(client.post(URL, {"code": "12"}))
        done = client.post(URL, {"code": code}, follow=True)
        assert "Your mobile number is checked." in _words(done)
    check = PhoneCheck.objects.get(user=coordinator)
    assert phone_checked(coordinator, check)
    # Only digests: neither the number nor the code is stored.
    stored = " ".join(
        str(v) for v in PhoneCheck.objects.filter(pk=check.pk).values().get().values()
    )
    assert "900123" not in stored
    assert code not in stored
    assert AuditEvent.objects.filter(object_id=str(check.public_id)).count() == 2
    # A changed number is unchecked again.
    coordinator.phone = "+447700900456"
    coordinator.save()
    assert not phone_checked(coordinator, own_phone_check(coordinator))


def test_a_code_runs_out_stops_after_five_tries_and_only_three_are_sent_an_hour(coordinator):
    with time_machine.travel(MOMENT, tick=False) as clock:
        client = Client()
        client.force_login(coordinator)
        client.post(URL, {"send": "1"})
        clock.move_to(MOMENT + dt.timedelta(minutes=11))
        late = _words(client.post(URL, {"code": _code()}))
        assert "That code has run out. Send a new one." in late

        client.post(URL, {"send": "1"})
        code = _code()
        wrong = str((int(code) + 1) % 1_000_000).zfill(6)
        for _try in range(4):
            client.post(URL, {"code": wrong})
        last = _words(client.post(URL, {"code": wrong}))
        assert "it has now stopped working" in last
        after = _words(client.post(URL, {"code": code}))
        assert "That code has been tried too many times. Send a new one." in after

        client.post(URL, {"send": "1"})
        assert len(MemorySmsBackend.outbox) == 3
        limited = _words(client.post(URL, {"send": "1"}, follow=True))
        assert "We have sent 3 codes in the last hour" in limited
        assert len(MemorySmsBackend.outbox) == 3
        clock.move_to(MOMENT + dt.timedelta(minutes=72))
        client = Client()  # a staff session ends after an idle hour: she signs in again
        client.force_login(coordinator)
        client.post(URL, {"send": "1"})
        assert len(MemorySmsBackend.outbox) == 4
    assert not phone_checked(coordinator, own_phone_check(coordinator))


def test_a_code_sent_to_an_old_number_does_not_check_a_new_one(coordinator):
    with time_machine.travel(MOMENT, tick=False):
        client = Client()
        client.force_login(coordinator)
        client.post(URL, {"send": "1"})
        coordinator.phone = "+447700900456"
        coordinator.save()
        page = _words(client.post(URL, {"code": _code()}))
    assert "Your number has changed since that code. Send a new one." in page
    assert not phone_checked(coordinator, own_phone_check(coordinator))


def test_without_a_number_she_is_asked_to_add_one(organisation):
    coordinator = make_person(organisation, Role.COORDINATOR, phone="")
    with time_machine.travel(MOMENT, tick=False):
        client = Client()
        client.force_login(coordinator)
        assert "Add your mobile number" in _words(client.get(URL))
        sent = _words(client.post(URL, {"send": "1"}, follow=True))
    assert "Add your mobile number first." in sent
    assert MemorySmsBackend.outbox == []


def test_members_numbers_are_not_checked(organisation):
    """Only staff may be paged by text; nobody can use the check to text any number."""
    member = make_person(organisation, Role.MEMBER, phone="+447700900123")
    with time_machine.travel(MOMENT, tick=False):
        client = Client()
        client.force_login(member)
        assert client.post(URL, {"send": "1"}).status_code == 404
        choices = _words(client.get(reverse("notifications:notification_preferences")))
    assert "Check your mobile number" not in choices
    assert MemorySmsBackend.outbox == []


class BrokenSms:
    def send(self, *, to: str, body: str, idempotency_key: str) -> str:
        raise ConnectionError("the provider is down")


def test_a_code_that_could_not_be_sent_does_not_count_against_her(coordinator, settings):
    settings.SMS_BACKEND = f"{__name__}.BrokenSms"
    with time_machine.travel(MOMENT, tick=False):
        client = Client()
        client.force_login(coordinator)
        for _try in range(4):
            failed = _words(client.post(URL, {"send": "1"}, follow=True))
            assert "We could not send a text just now." in failed
    assert PhoneCheck.objects.get(user=coordinator).codes_sent == 0
