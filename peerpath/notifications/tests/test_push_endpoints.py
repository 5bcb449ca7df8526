"""Phone notifications go only to browsers' push services, and only to the person who set
them up: a subscription is never a way to make the worker call any address, nor to take
someone else's notifications."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.notifications.models import PushSubscription
from peerpath.notifications.services import (
    PushEndpointError,
    push_endpoint_allowed,
    push_subscription_save,
)

KEYS = {"p256dh": base64.urlsafe_b64encode(b"k" * 65).decode(), "auth": "c2VjcmV0c2VjcmV0"}
GOOD = "https://fcm.googleapis.com/fcm/send/abc123"


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://wns2-par02p.notify.windows.com/w/?token=abc",
        "https://web.push.apple.com/QGx",
    ],
)
def test_the_push_services_of_the_main_browsers_are_accepted(endpoint):
    assert push_endpoint_allowed(endpoint)


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:6379/",
        "https://127.0.0.1/",
        "http://fcm.googleapis.com/fcm/send/abc",  # not https
        "https://fcm.googleapis.com:6379/fcm/send/abc",  # another port
        "https://fcm.googleapis.com.evil.example/x",
        "https://evilpush.apple.com.example/x",
        "https://notpush.services.mozilla.com.example/x",
        "https://localhost/push",
        "javascript:alert(1)",
        "",
    ],
)
def test_any_other_address_is_refused(endpoint):
    assert not push_endpoint_allowed(endpoint)


def _subscribe(client: Client, endpoint: str) -> tuple[int, dict[str, object]]:
    response = client.post(reverse("notifications:push_subscribe"), {"endpoint": endpoint, **KEYS})
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_a_subscription_to_this_machine_is_refused_beside_the_field_and_not_kept(organisation):
    mum = make_person(organisation, Role.MEMBER)
    client = Client()
    client.force_login(mum)

    status, body = _subscribe(client, "http://127.0.0.1:6379/")

    assert status == 400
    assert "endpoint" in body["errors"]
    assert not PushSubscription.objects.exists()


@pytest.mark.django_db
def test_another_persons_browser_address_stays_hers(organisation):
    first = make_person(organisation, Role.MEMBER)
    second = make_person(organisation, Role.MEMBER)
    push_subscription_save(user=first, endpoint=GOOD, **KEYS)
    client = Client()
    client.force_login(second)

    status, body = _subscribe(client, GOOD)

    assert status == 400
    assert "another account" in str(body["errors"])
    assert PushSubscription.objects.get(endpoint=GOOD).user == first
    with pytest.raises(PushEndpointError):
        push_subscription_save(user=second, endpoint=GOOD, **KEYS)


@pytest.mark.django_db
def test_her_own_browser_can_sign_up_again_with_new_keys(organisation):
    mum = make_person(organisation, Role.MEMBER)
    push_subscription_save(user=mum, endpoint=GOOD, **KEYS)
    push_subscription_save(user=mum, endpoint=GOOD, p256dh=KEYS["p256dh"], auth="bmV3a2V5bmV3a2V5")

    assert PushSubscription.objects.get(endpoint=GOOD).auth == "bmV3a2V5bmV3a2V5"


@pytest.mark.django_db
def test_a_stored_address_that_is_not_a_push_service_is_never_called_and_is_forgotten(
    organisation,
):
    from peerpath.notifications.channels import ChannelRejectedError
    from peerpath.notifications.channels.push import push_send

    mum = make_person(organisation, Role.MEMBER)
    stored = PushSubscription.objects.create(user=mum, endpoint="http://127.0.0.1:6379/", **KEYS)

    with pytest.raises(ChannelRejectedError):
        push_send(subscription=stored, title="PeerPath", body="x", url="/inbox/")

    assert not PushSubscription.objects.filter(pk=stored.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "variant",
    [
        "https://FCM.googleapis.com/fcm/send/abc123",
        "https://fcm.googleapis.com:443/fcm/send/abc123",
        "HTTPS://fcm.googleapis.com/fcm/send/abc123",
    ],
)
def test_another_spelling_of_her_browsers_address_is_still_hers(organisation, variant):
    first = make_person(organisation, Role.MEMBER)
    second = make_person(organisation, Role.MEMBER)
    push_subscription_save(user=first, endpoint=GOOD, **KEYS)

    with pytest.raises(PushEndpointError, match="another account"):
        push_subscription_save(user=second, endpoint=variant, **KEYS)

    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [GOOD]


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc123#x",
        "https://fcm.googleapis.com/fcm/send/abc123?",
        "https://fcm.googleapis.com/fcm/send/../send/abc123",
        "https://someone@fcm.googleapis.com/fcm/send/abc123",
    ],
)
def test_addresses_with_fragments_steps_or_user_names_are_refused(endpoint):
    assert not push_endpoint_allowed(endpoint)
