"""Erasure, probing, logging and bad-input cases found in review."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import make_person, membership_of
from peerpath.accounts import access
from peerpath.accounts.choices import Role
from peerpath.accounts.models import Invitation, User
from peerpath.accounts.services import invitation_accept, invitation_create
from peerpath.accounts.subject_rights import member_data_export, user_erase
from peerpath.buddying.models import Match, MatchStatus
from peerpath.notifications.models import NotificationPreference, PushSubscription
from peerpath.notifications.services import notification_preferences_update, push_subscription_save

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_erasure_ends_her_matches_so_her_supporter_no_longer_sees_her(member, supporter_matched):
    membership = membership_of(member, Role.MEMBER)
    assert access.can_view_member(supporter_matched, membership)
    user_erase(actor=member, user=member)
    membership.refresh_from_db()
    assert not access.can_view_member(supporter_matched, membership)
    assert Match.objects.get(member=membership).status == MatchStatus.ENDED


def test_erasure_removes_her_email_from_invitations_admin_history_and_push(organisation, org_admin):
    invitation, _token = invitation_create(
        actor=org_admin,
        organisation=organisation,
        email="volunteer@example.org",
        role=Role.PEER_SUPPORTER,
    )
    volunteer = make_person(organisation, email="volunteer@example.org")
    invitation_accept(invitation=invitation, user=volunteer)
    push_subscription_save(
        user=volunteer, endpoint="https://fcm.googleapis.com/fcm/send/abc", p256dh="k", auth="a"
    )
    notification_preferences_update(
        actor=volunteer,
        user=volunteer,
        all_off=True,
        quiet_start=None,
        quiet_end=None,
        channels={},
    )
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        user=org_admin,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(volunteer.pk),
        object_repr=volunteer.display_name,
        action_flag=CHANGE,
    )
    user_erase(actor=volunteer, user=volunteer)
    invitation.refresh_from_db()
    assert invitation.email.endswith("@erased.invalid")
    assert not LogEntry.objects.filter(object_repr=volunteer.display_name).exists()
    assert not PushSubscription.objects.filter(user=volunteer).exists()
    assert not NotificationPreference.objects.filter(user=volunteer).exists()


def test_a_coordinator_cannot_learn_who_has_an_account_with_another_charity(
    other_organisation, coordinator, organisation
):
    make_person(other_organisation, Role.MEMBER, email="private@example.org")
    client = _client(coordinator)
    url = reverse("accounts:staff_member_create", kwargs={"slug": organisation.slug})
    form = {"consent_method": "phone", "consent_confirmed": "on"}
    known = client.post(url, {**form, "email": "private@example.org"}, follow=True)
    unknown = client.post(url, {**form, "email": "nobody.yet@example.org"}, follow=True)
    said = re.compile(r"Done\. We have emailed \S+ with what to do next\.")
    assert said.search(known.content.decode())
    assert said.search(unknown.content.decode())
    assert User.objects.filter(email="private@example.org").count() == 1
    assert [m.to for m in mail.outbox] == [["private@example.org"], ["nobody.yet@example.org"]]
    assert "already has one" in mail.outbox[0].body


def test_an_address_confirmed_as_someone_s_extra_email_is_not_given_to_a_new_account(
    organisation, coordinator, member
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email="second@example.org", verified=True)
    response = _client(coordinator).post(
        reverse("accounts:staff_member_create", kwargs={"slug": organisation.slug}),
        {"email": "second@example.org", "consent_method": "phone", "consent_confirmed": "on"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(email="second@example.org").exists()


def test_guessing_the_password_on_the_delete_page_is_limited(member):
    client = _client(member)
    for _ in range(10):
        client.post(reverse("accounts:account_delete"), {"confirm": "on", "password": "guess"})
    response = client.post(
        reverse("accounts:account_delete"),
        {"confirm": "on", "password": "correct horse battery staple"},
    )
    assert "Too many tries" in response.content.decode()
    assert User.objects.get(pk=member.pk).is_active


def test_her_export_includes_her_matches_and_extra_email_addresses(member, supporter_matched):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email="second@example.org", verified=True)
    data = member_data_export(actor=member, user=member)
    assert data["matches"][0]["with"] == supporter_matched.display_name
    assert {a["email"] for a in data["other_email_addresses"]} == {"second@example.org"}


def test_an_impossible_date_in_the_audit_search_is_a_message_not_a_crash(organisation, org_admin):
    response = _client(org_admin).get(
        reverse("audit:audit_search", kwargs={"slug": organisation.slug}), {"date_to": "31/12/9999"}
    )
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2100" in response.content.decode()


def test_exception_text_and_secret_paths_are_scrubbed_from_logs():
    buffer = io.StringIO()
    config = json.loads(json.dumps(settings.LOGGING))
    config["handlers"]["console"]["formatter"] = "json"
    config["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(config)

    def database_refuses():
        raise ValueError("Key (email)=(second@example.org) already exists.")

    try:
        try:
            database_refuses()
        except ValueError:
            logging.getLogger("django.request").exception("Forbidden: /invitations/s3cr3t-t0ken/")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    output = buffer.getvalue()
    assert "second@example.org" not in output
    assert "s3cr3t-t0ken" not in output
    assert "/invitations/[token]" in output
    assert "ValueError" in output


def test_an_email_longer_than_the_database_allows_is_refused_beside_the_field(
    organisation, org_admin
):
    long_email = "a" * 250 + "@example.org"
    response = _client(org_admin).post(
        reverse("accounts:staff_invitations", kwargs={"slug": organisation.slug}),
        {"email": long_email, "role": "peer_supporter"},
    )
    assert response.status_code == 200
    assert "nhsuk-error-message" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_the_only_admin_of_a_charity_is_asked_to_hand_over_before_deleting(organisation):
    from peerpath.accounts.subject_rights import ErasureBlockedError

    only = make_person(organisation, Role.ORG_ADMIN, password="correct horse battery staple")
    client = Client()
    client.force_login(only)

    page = client.get(reverse("accounts:account_delete")).content.decode()
    refused = client.post(
        reverse("accounts:account_delete"),
        {"confirm": "on", "password": "correct horse battery staple"},
    )

    assert "You are the only admin of Harbour Parents Peer Support" in page
    assert "Delete my account</button>" not in page
    assert refused.status_code == 200
    only.refresh_from_db()
    assert only.is_active
    with pytest.raises(ErasureBlockedError):
        user_erase(actor=only, user=only)

    make_person(organisation, Role.ORG_ADMIN)  # someone takes over
    assert (
        "Delete my account</button>"
        in client.get(reverse("accounts:account_delete")).content.decode()
    )
