"""notify, preferences, quiet hours and the channels, with a controlled clock and local fakes."""

from __future__ import annotations

import base64
import datetime as dt
import os
import re

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.bookings.purposes import SESSION_REMINDER, WAITING_LIST_OFFER
from peerpath.directory.purposes import NEW_GROUP
from peerpath.jobs.outbox import OutboxStatus
from peerpath.notifications import purposes
from peerpath.notifications.channels.sms import MemorySmsBackend
from peerpath.notifications.dispatch import deliveries_dispatch
from peerpath.notifications.models import Delivery, Notification
from peerpath.notifications.purposes import ACCOUNT, LOCK_SCREEN_TEXT, Channel, Purpose
from peerpath.notifications.services import (
    notification_preferences_update,
    notify,
    push_subscription_save,
    unread_count,
)
from tests.fakes.providers import FakeProviders, FakeState

pytestmark = pytest.mark.django_db
# A Wednesday in November: London is on GMT, so local time equals UTC.
NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 11, 25, 22, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    MemorySmsBackend.outbox.clear()


@pytest.fixture(autouse=True)
def _at_noon():
    """Default quiet hours are 21:00 to 08:00; tests start at noon unless they travel."""
    with time_machine.travel(NOON, tick=False):
        yield


def _dispatch(limit=500):
    return deliveries_dispatch(worker_id="test-worker", limit=limit, lease_seconds=60)


def _statuses(notification):
    return dict(notification.deliveries.values_list("channel", "status"))


@pytest.fixture
def alert(monkeypatch):
    """A purpose like a safeguarding alert, registered for one test only."""
    purpose = Purpose(
        key="test_alert",
        label="Alerts (a test)",
        default_channels=(Channel.IN_APP, Channel.EMAIL, Channel.SMS, Channel.PUSH),
        ignores_quiet_hours=True,
        can_be_switched_off=False,
    )
    monkeypatch.setitem(purposes._PURPOSES, purpose.key, purpose)
    return purpose.key


@pytest.fixture
def plain(monkeypatch):
    """A purpose that only goes to her inbox unless she chooses more (one test only)."""
    purpose = Purpose(key="test_plain", label="Plain (a test)", default_channels=(Channel.IN_APP,))
    monkeypatch.setitem(purposes._PURPOSES, purpose.key, purpose)
    return purpose.key


@pytest.fixture
def mum(organisation):
    return make_person(organisation, Role.MEMBER, phone="07700 900123", display_name="Wren 500")


def test_notify_twice_with_the_same_key_tells_her_once(mum):
    first = notify(recipient=mum, purpose=SESSION_REMINDER, idempotency_key="booking:7:day")
    again = notify(recipient=mum, purpose=SESSION_REMINDER, idempotency_key="booking:7:day")
    assert first.pk == again.pk
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 2  # in-app and email, the defaults


def test_a_reminder_goes_to_the_inbox_and_by_email_with_text_and_html_parts(mum, organisation):
    with time_machine.travel(NOON, tick=False):
        notification = notify(
            recipient=mum,
            purpose=SESSION_REMINDER,
            link="/inbox/",
            organisation=organisation,
        )
        assert unread_count(mum) == 0  # not delivered yet
        assert _dispatch() == 2
    assert _statuses(notification) == {"in_app": "sent", "email": "sent"}
    assert unread_count(mum) == 1
    (message,) = mail.outbox
    assert message.to == [mum.email]
    assert "Harbour Parents Peer Support" in message.subject
    assert "http://testserver/inbox/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert 'href="http://testserver/inbox/"' in html


def test_a_reminder_due_later_waits_until_it_is_due(mum):
    with time_machine.travel(NOON, tick=False) as clock:
        notify(recipient=mum, purpose=SESSION_REMINDER, due_at=NOON + dt.timedelta(hours=1))
        assert _dispatch() == 0
        clock.shift(dt.timedelta(hours=1))
        assert _dispatch() == 2


def test_quiet_hours_hold_texts_until_morning_but_the_inbox_gets_it_at_once(mum):
    notification_preferences_update(
        actor=mum,
        user=mum,
        all_off=False,
        quiet_start=dt.time(21),
        quiet_end=dt.time(8),
        channels={WAITING_LIST_OFFER: [Channel.SMS]},
    )
    with time_machine.travel(LATE, tick=False) as clock:
        notification = notify(recipient=mum, purpose=WAITING_LIST_OFFER)
        _dispatch()
        assert _statuses(notification) == {"in_app": "sent", "sms": "pending"}
        held = notification.deliveries.get(channel="sms")
        assert held.due_at == dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
        assert held.attempts == 0  # waiting is not a failed attempt
        assert MemorySmsBackend.outbox == []
        clock.move_to(held.due_at)
        _dispatch()
    assert _statuses(notification)["sms"] == "sent"
    (text,) = MemorySmsBackend.outbox
    assert text.to == "07700 900123"


def test_urgent_purposes_ignore_quiet_hours_and_cannot_be_switched_off(organisation, alert):
    lead = make_person(organisation, Role.COORDINATOR, phone="07700 900999")
    notification_preferences_update(
        actor=lead,
        user=lead,
        all_off=True,
        quiet_start=dt.time(21),
        quiet_end=dt.time(8),
        channels={},
    )
    with time_machine.travel(LATE, tick=False):
        notification = notify(recipient=lead, purpose=alert)
        _dispatch()
    statuses = _statuses(notification)
    assert statuses["sms"] == "sent"
    assert statuses["email"] == "sent"
    assert statuses["push"] == "skipped"  # no phone signed up for push


def test_switching_everything_off_leaves_only_the_inbox(mum):
    notification_preferences_update(
        actor=mum, user=mum, all_off=True, quiet_start=None, quiet_end=None, channels={}
    )
    notification = notify(recipient=mum, purpose=WAITING_LIST_OFFER)
    _dispatch()
    assert _statuses(notification) == {"in_app": "sent"}
    assert mail.outbox == []
    assert MemorySmsBackend.outbox == []


def test_a_channel_switched_off_after_queueing_is_not_used(mum):
    notification = notify(recipient=mum, purpose=SESSION_REMINDER)
    notification_preferences_update(
        actor=mum,
        user=mum,
        all_off=False,
        quiet_start=None,
        quiet_end=None,
        channels={SESSION_REMINDER: []},
    )
    _dispatch()
    assert _statuses(notification) == {"in_app": "sent", "email": "skipped"}


def test_texts_and_pushes_never_say_what_the_message_is_about(mum, plain):
    notification_preferences_update(
        actor=mum,
        user=mum,
        all_off=False,
        quiet_start=None,
        quiet_end=None,
        channels={plain: [Channel.SMS]},
    )
    notify(
        recipient=mum,
        purpose=plain,
        context={"goal": "Call the perinatal mental health team"},
    )
    _dispatch()
    (text,) = MemorySmsBackend.outbox
    assert text.body == str(LOCK_SCREEN_TEXT)
    assert "perinatal" not in text.body


def test_a_member_without_a_phone_number_is_not_texted_and_that_is_recorded(organisation):
    member = make_person(organisation, Role.MEMBER)
    notification = notify(recipient=member, purpose=WAITING_LIST_OFFER)
    _dispatch()
    delivery = notification.deliveries.get(channel="sms")
    assert (delivery.status, delivery.last_error) == ("skipped", "No mobile number")


def test_the_twilio_adapter_honours_429_stores_the_id_and_refuses_bad_numbers(
    mum, organisation, settings
):
    # All through the ``settings`` fixture: mixed with ``override_settings``, its undo left
    # the Twilio adapter in place for the tests after this one.
    settings.SMS_BACKEND = "peerpath.notifications.channels.sms.TwilioSmsBackend"
    settings.TWILIO_ACCOUNT_SID = "AC123"
    settings.TWILIO_AUTH_TOKEN = "secret"
    settings.TWILIO_FROM = "+441632960000"
    with FakeProviders(FakeState(throttle_first=1)) as fake:
        settings.TWILIO_API_BASE = fake.url
        with time_machine.travel(NOON, tick=False) as clock:
            notification = notify(recipient=mum, purpose=WAITING_LIST_OFFER)
            _dispatch()
            sms = notification.deliveries.get(channel="sms")
            assert sms.status == "pending"  # 429: wait as asked, no attempt used
            assert sms.due_at == NOON + dt.timedelta(seconds=1)
            assert sms.attempts == 0
            clock.shift(2)
            _dispatch()
        sms.refresh_from_db()
        assert sms.status == "sent"
        (message,) = fake.state.accepted.values()
        assert sms.provider_id == message["sid"]
        assert message["to"] == "07700 900123"

        nobody = make_person(organisation, Role.MEMBER, phone="not a number")
        bad = notify(recipient=nobody, purpose=WAITING_LIST_OFFER)
        Delivery.objects.filter(notification=bad).update(due_at=NOON)
        _dispatch()
        rejected = bad.deliveries.get(channel="sms")
        assert rejected.status == "failed"
        assert "HTTP 400" in rejected.last_error


def _browser_keys():
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    encode = lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("=")  # noqa: E731
    return encode(public), encode(os.urandom(16))


def _vapid_private_key():
    key = ec.generate_private_key(ec.SECP256R1())
    number = key.private_numbers().private_value.to_bytes(32, "big")
    return base64.urlsafe_b64encode(number).decode().rstrip("=")


def test_web_push_sends_an_encrypted_signed_message_and_forgets_gone_browsers(mum, settings, plain):
    settings.VAPID_PRIVATE_KEY = _vapid_private_key()
    notification_preferences_update(
        actor=mum,
        user=mum,
        all_off=False,
        quiet_start=None,
        quiet_end=None,
        channels={plain: [Channel.PUSH]},
    )
    with FakeProviders() as fake:
        settings.PUSH_TEST_ORIGINS = (fake.url,)
        p256dh, auth = _browser_keys()
        push_subscription_save(
            user=mum, endpoint=f"{fake.url}/push/phone", p256dh=p256dh, auth=auth
        )
        push_subscription_save(user=mum, endpoint=f"{fake.url}/push/old", p256dh=p256dh, auth=auth)
        fake.state.push_gone.add("/push/old")
        notification = notify(recipient=mum, purpose=plain)
        _dispatch()
        (push,) = fake.state.pushes
    assert push["encoding"] == "aes128gcm"
    assert push["authorization"].startswith("vapid ")
    assert _statuses(notification)["push"] == "sent"
    assert list(mum.push_subscriptions.values_list("endpoint", flat=True)) == [
        f"{fake.url}/push/phone"
    ]


def test_preferences_page_explains_mistakes_beside_the_field_and_keeps_choices(mum):
    client = Client()
    client.force_login(mum)
    response = client.post(
        reverse("notifications:notification_preferences"),
        {"quiet_start": "22:00", "quiet_end": "", "channels_session_reminder": ["sms"]},
    )
    html = response.content.decode()
    assert "Choose both times" in html
    assert re.search(r'<option value="22:00"\s+selected', html)
    ok = client.post(
        reverse("notifications:notification_preferences"),
        {"quiet_start": "22:00", "quiet_end": "07:00", "channels_session_reminder": ["sms"]},
    )
    assert ok.status_code == 302
    preference = mum.notification_preference
    assert (preference.quiet_start, preference.quiet_end) == (dt.time(22), dt.time(7))
    assert preference.channels["session_reminder"] == ["sms"]


def test_the_header_shows_how_many_new_messages_she_has_and_opening_one_reads_it(mum):
    notification = notify(recipient=mum, purpose=SESSION_REMINDER, link="/account/")
    _dispatch()
    client = Client()
    client.force_login(mum)
    assert "Messages (1 new)" in client.get(reverse("core:home")).content.decode()
    opened = client.get(
        reverse("notifications:notification_open", kwargs={"public_id": notification.public_id})
    )
    assert opened["Location"] == "/account/"
    assert "Messages (1 new)" not in client.get(reverse("core:home")).content.decode()


def test_an_admin_sees_failures_for_her_organisation_and_can_send_again(
    mum, organisation, org_admin
):
    notification = notify(recipient=mum, purpose=SESSION_REMINDER, organisation=organisation)
    Delivery.objects.filter(notification=notification, channel="email").update(
        status=OutboxStatus.FAILED, last_error="SMTPServerDisconnected", attempts=8
    )
    client = Client()
    client.force_login(org_admin)
    page = client.get(
        reverse("notifications:notification_failures", kwargs={"slug": organisation.slug})
    )
    assert "SMTPServerDisconnected" in page.content.decode()
    failed = notification.deliveries.get(channel="email")
    client.post(
        reverse(
            "notifications:notification_failure_retry",
            kwargs={"slug": organisation.slug, "public_id": failed.public_id},
        ),
        {"kind": "delivery"},
    )
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)
    _dispatch()
    failed.refresh_from_db()
    assert failed.status == "sent"


def test_a_purpose_can_have_its_own_email_wording(mum):
    notify(recipient=mum, purpose=SESSION_REMINDER, link="/inbox/")
    notify(recipient=mum, purpose=NEW_GROUP, link="/inbox/")
    notify(recipient=mum, purpose=ACCOUNT, link="/inbox/")
    _dispatch()
    subjects = {message.subject: message for message in mail.outbox}
    reminder = subjects["A reminder from Harbour Parents Peer Support"]
    assert "a group or session you booked" in reminder.body
    new_group = subjects["Something new from Harbour Parents Peer Support"]
    assert "matches a search you asked" in new_group.body
    general = subjects["A message from Harbour Parents Peer Support"]  # no wording of its own
    assert "You have something new from Harbour Parents Peer Support: your account." in general.body


def test_a_browser_signs_up_for_phone_notifications_and_can_stop(mum):
    client = Client()
    client.force_login(mum)
    bad = client.post(reverse("notifications:push_subscribe"), {"endpoint": "not a url"})
    assert bad.status_code == 400
    assert "endpoint" in bad.json()["errors"]
    ok = client.post(
        reverse("notifications:push_subscribe"),
        {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "p256dh": "BPk", "auth": "x1"},
    )
    assert ok.json() == {"ok": True}
    assert mum.push_subscriptions.count() == 1
    client.post(
        reverse("notifications:push_unsubscribe"),
        {"endpoint": "https://fcm.googleapis.com/fcm/send/abc"},
    )
    assert mum.push_subscriptions.count() == 0


def test_the_service_worker_is_served_from_the_root_for_every_page(client):
    response = client.get("/service-worker.js")
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert b"showNotification" in response.content
