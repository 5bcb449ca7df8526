"""Her account pages and the staff tools, as people use them through the browser's forms."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import membership_of
from peerpath.accounts import access
from peerpath.accounts.choices import Role
from peerpath.accounts.models import ConsentKind, User
from peerpath.accounts.services import consent_give, has_consent
from peerpath.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _details(**extra):
    data = {"details-display_name": "Sunflower 101", "details-phone": ""}
    data.update(extra)
    return data


def test_health_questions_appear_only_after_she_agrees(member):
    client = _client(member)
    page = client.get(reverse("accounts:account_profile")).content.decode()
    assert "Where are you at the moment?" not in page
    assert "we ask for your permission" in page
    response = client.post(reverse("accounts:account_consent"), {"decision": "give"})
    assert response["Location"] == reverse("accounts:account_profile")
    assert has_consent(member, ConsentKind.HEALTH_DATA)
    assert (
        "Where are you at the moment?"
        in client.get(reverse("accounts:account_profile")).content.decode()
    )


def test_a_mistake_is_explained_beside_the_field_and_nothing_typed_is_lost(member):
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    client = _client(member)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            reverse("accounts:account_profile"),
            _details(
                **{
                    "health-stage": "pregnant",
                    "health-due_date": "",
                    "prefs-area": "Heavitree",
                    "prefs-contact_notes": "Mornings are best",
                    "prefs-languages": ["en", "pl"],
                }
            ),
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "nhsuk-error-message" in html
    # Once in the summary at the top, once beside the field after its label.
    assert html.count("Enter your due date") == 2
    assert html.rindex("Enter your due date") > html.index('for="id_health-due_date"')
    assert 'value="Heavitree"' in html
    assert "Mornings are best" in html
    assert re.search(r'value="pl"\s+checked', html)
    profile = membership_of(member, Role.MEMBER).member_profile
    profile.refresh_from_db()
    assert profile.area == ""  # nothing saved until it is all right


def test_saving_her_details_stores_them_and_says_so(member):
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    client = _client(member)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            reverse("accounts:account_profile"),
            _details(
                **{
                    "details-display_name": "Poppy",
                    "details-phone": "07700 900123",
                    "health-stage": "baby_born",
                    "health-baby_birth_date": "2026-10-02",
                    "health-experiences": ["nicu", "feeding"],
                    "prefs-contact_methods": ["text"],
                }
            ),
        )
        # Still on the same day: the session's idle limit counts from the last request.
        follow = client.get(reverse("accounts:account_home")).content.decode()
    assert response.status_code == 302
    member.refresh_from_db()
    profile = membership_of(member, Role.MEMBER).member_profile
    assert (member.display_name, member.phone) == ("Poppy", "07700 900123")
    assert profile.baby_birth_date == dt.date(2026, 10, 2)
    assert sorted(profile.experiences) == ["feeding", "nicu"]
    assert "Your details have been saved" in follow


def test_a_birth_date_in_the_future_is_refused(member):
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    with time_machine.travel(TODAY, tick=False):
        response = _client(member).post(
            reverse("accounts:account_profile"),
            _details(**{"health-stage": "baby_born", "health-baby_birth_date": "2027-01-01"}),
        )
    assert "must be in the past" in response.content.decode()


def test_she_can_download_everything_as_json_and_read_it_as_a_page(member):
    client = _client(member)
    response = client.get(reverse("accounts:account_data_json"))
    assert response["Content-Disposition"] == 'attachment; filename="my-peerpath-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    page = client.get(reverse("accounts:account_data_page")).content.decode()
    assert member.email in page
    assert "Harbour Parents Peer Support" in page


def test_deleting_her_account_needs_her_password_and_then_signs_her_out(member):
    client = _client(member)
    wrong = client.post(reverse("accounts:account_delete"), {"confirm": "on", "password": "nope"})
    assert "That password is not right" in wrong.content.decode()
    assert User.objects.get(pk=member.pk).is_active
    right = client.post(
        reverse("accounts:account_delete"),
        {"confirm": "on", "password": "correct horse battery staple"},
    )
    assert right["Location"] == reverse("core:home")
    assert not User.objects.get(pk=member.pk).is_active
    assert client.get(reverse("accounts:account_home")).status_code == 302


def test_a_coordinator_makes_an_account_and_she_gets_a_set_password_link(organisation, coordinator):
    client = _client(coordinator)
    url = reverse("accounts:staff_member_create", kwargs={"slug": organisation.slug})
    refused = client.post(url, {"email": "leah@example.org", "consent_method": "phone"})
    assert "You can only create an account if she has agreed" in refused.content.decode()
    response = client.post(
        url,
        {"email": "leah@example.org", "consent_method": "phone", "consent_confirmed": "on"},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["leah@example.org"]
    link = re.search(r"http://testserver(/auth/password/reset/key/\S+)", message.body).group(1)
    anonymous = Client()
    page = anonymous.get(link, follow=True)
    assert page.status_code == 200
    assert "password" in page.content.decode().lower()
    assert "leah@example.org" not in message.subject


def test_an_org_admin_invites_a_volunteer_who_joins_and_is_sent_to_two_step_setup(
    organisation, org_admin
):
    client = _client(org_admin)
    url = reverse("accounts:staff_invitations", kwargs={"slug": organisation.slug})
    client.post(url, {"email": "Jo.Volunteer@example.org", "role": "peer_supporter"})
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/invitations/\S+)", message.body).group(1)
    newcomer = Client()
    page = newcomer.get(link).content.decode()
    assert "peer supporter" in page
    mismatch = newcomer.post(
        link, {"display_name": "Jo", "password1": "sea glass lantern 7", "password2": "different"}
    )
    assert "The two passwords are different" in mismatch.content.decode()
    joined = newcomer.post(
        link,
        {
            "display_name": "Jo",
            "password1": "sea glass lantern 7",
            "password2": "sea glass lantern 7",
        },
    )
    assert joined["Location"] == reverse("mfa_activate_totp")
    volunteer = User.objects.get(email="jo.volunteer@example.org")
    assert access.roles_in(volunteer, organisation) == {Role.PEER_SUPPORTER}
    assert newcomer.get(reverse("accounts:staff_home"))["Location"] == reverse("mfa_activate_totp")
    assert newcomer.get(link).status_code == 404  # used


def test_viewing_a_member_is_logged_as_a_read(member, coordinator):
    membership = membership_of(member, Role.MEMBER)
    response = _client(coordinator).get(
        reverse("accounts:staff_member_detail", kwargs={"public_id": membership.public_id})
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action=Action.READ, actor=coordinator, object_id=str(membership.public_id)
    ).exists()


def test_the_members_list_costs_the_same_queries_for_3_or_30_members(
    organisation, coordinator, django_assert_max_num_queries
):
    from conftest import make_person

    client = _client(coordinator)
    url = reverse("accounts:staff_members", kwargs={"slug": organisation.slug})
    for _ in range(3):
        make_person(organisation, Role.MEMBER)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(27):
        make_person(organisation, Role.MEMBER)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_peer_supporter_says_what_she_offers_and_mistakes_keep_her_answers(
    supporter_unmatched,
):
    client = _client(supporter_unmatched)
    url = reverse("accounts:account_supporter_profile")
    bad = client.post(
        url,
        {
            "lived_experiences": ["birth_trauma"],
            "areas": "Exeter, Topsham",
            "capacity": "lots",
            "day_mon": ["morning"],
        },
    )
    html = bad.content.decode()
    assert "Enter a whole number, for example 2." in html
    assert 'value="Exeter, Topsham"' in html
    assert re.search(r'value="birth_trauma"\s+checked', html)
    good = client.post(
        url,
        {
            "lived_experiences": ["birth_trauma"],
            "areas": "Exeter, Topsham",
            "capacity": "2",
            "day_mon": ["morning"],
            "day_thu": ["evening", "afternoon"],
        },
    )
    assert good["Location"] == reverse("accounts:account_home")
    profile = membership_of(supporter_unmatched, Role.PEER_SUPPORTER).supporter_profile
    profile.refresh_from_db()
    assert profile.areas == ["Exeter", "Topsham"]
    assert profile.availability == {"mon": ["morning"], "thu": ["evening", "afternoon"]}
    assert profile.capacity == 2


def test_sign_up_sends_a_plain_confirmation_email_from_the_charity(organisation):
    client = Client()
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "harbour lights 19",
            "password2": "harbour lights 19",
        },
    )
    (message,) = mail.outbox
    assert message.subject == "Confirm your email address for Harbour Parents Peer Support"
    assert "/auth/confirm-email/" in message.body
    assert "&#x27;" not in message.body
    assert "example.com" not in message.body
    page = client.get(reverse("account_email_verification_sent")).content.decode()
    assert "new@example.org" in page or "email" in page


def test_staff_see_her_details_in_plain_words_not_codes(member, coordinator):
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    profile = membership_of(member, Role.MEMBER).member_profile
    from peerpath.accounts.services import member_profile_update

    member_profile_update(
        actor=member,
        profile=profile,
        stage="pregnant",
        due_date=dt.date(2027, 2, 1),
        experiences=["hyperemesis"],
        languages=["pl"],
    )
    html = (
        _client(coordinator)
        .get(
            reverse(
                "accounts:staff_member_detail", kwargs={"public_id": profile.membership.public_id}
            )
        )
        .content.decode()
    )
    assert "Pregnant" in html
    assert "I am pregnant" not in html
    assert "Severe sickness in pregnancy (hyperemesis)" in html
    assert "Polish" in html
