"""The sign-up, sign-in, password, two-step verification and device pages (django-allauth).

Each page is PeerPath's own Jinja template: these tests prove each one renders for the right
visitor, keeps what people typed, explains errors beside the field, and gives nothing away.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
import time_machine
from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.test import Client
from django.urls import reverse

from peerpath.accounts.models import User
from peerpath.accounts.tests.factories import UserFactory

PASSWORD = "correct horse battery staple"  # the factory's password


# Helpers ---------------------------------------------------------------------------------------


def _verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def _sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _text(response: Any) -> str:
    """The page as one line of text with entities decoded, for simple 'is it shown' checks."""
    return " ".join(html.unescape(response.content.decode()).split())


def _h1(response: Any) -> str:
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), flags=re.S)
    assert len(headings) == 1, headings
    return " ".join(html.unescape(headings[0]).split())


def _form_group(response: Any, field_id: str) -> str:
    """The NHS.UK form group (label, hint, error and input) around one field."""
    page = response.content.decode()
    end = page.index(f'id="{field_id}"')
    start = page.rindex('<div class="nhsuk-form-group', 0, end)
    return " ".join(html.unescape(page[start : page.index("</div>", end)]).split())


def _confirm_it_is_me(client: Client) -> None:
    """Enter the password again, as sensitive changes ask for even just after signing in."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def _totp_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def _with_two_step(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


# Fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def verified_member(member: User) -> User:
    return _verified(member)


@pytest.fixture
def signed_in(client: Client, verified_member: User) -> Client:
    """A member who has signed in with her password and has just confirmed it again."""
    response = _sign_in(client, verified_member.email)
    assert response.status_code == 302, response.content.decode()
    _confirm_it_is_me(client)
    return client


@pytest.fixture
def two_step_member(client: Client, verified_member: User) -> tuple[Client, User, str]:
    """A member with two-step verification on, signed in with her password and a code."""
    secret = _with_two_step(verified_member)
    response = _sign_in(client, verified_member.email)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    _confirm_it_is_me(client)
    return client, verified_member, secret


# Pages anyone can see --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_signup", "Create an account"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
        ("account_reset_password_from_key_done", "Your password has been changed"),
        ("account_email_verification_sent", "Check your email"),
        ("account_inactive", "You cannot sign in to this account"),
    ],
)
def test_each_page_for_signed_out_visitors_shows_one_plain_heading(client, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert _h1(response) == heading
    assert 'href="/help-now/"' in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


# Creating an account ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_an_account_sends_her_to_check_her_email(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.parent@example.org",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.parent@example.org"]
    page = client.get(response["Location"])
    assert _h1(page) == "Check your email"


@pytest.mark.django_db
def test_a_sign_up_mistake_keeps_the_typed_email_and_explains_the_error_beside_the_field(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.parent@example.org",
            "password1": "a long and unusual passphrase",
            "password2": "a different passphrase",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="new.parent@example.org").exists()
    assert 'value="new.parent@example.org"' in response.content.decode()
    group = _form_group(response, "id_password2")
    assert "nhsuk-form-group--error" in group
    assert "You must type the same password each time." in group
    assert "There is a problem" in _text(response)  # the summary at the top links to it
    assert 'href="#id_password2"' in response.content.decode()
    # Passwords are never sent back to the browser.
    assert "a long and unusual passphrase" not in response.content.decode()


@pytest.mark.django_db
def test_an_email_address_that_is_not_valid_is_kept_and_explained_beside_the_email_field(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.parent.example.org", "password1": "x", "password2": "x"},
    )
    assert response.status_code == 200
    group = _form_group(response, "id_email")
    assert "nhsuk-form-group--error" in group
    assert "Enter a valid email address." in group
    assert 'value="new.parent.example.org"' in group


# Confirming an email address -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_email_confirmation_link_shows_a_button_and_confirms_only_when_pressed(client, member):
    address = EmailAddress.objects.create(user=member, email=member.email, primary=True)
    key = EmailConfirmationHMAC(address).key
    response = client.get(reverse("account_confirm_email", kwargs={"key": key}))
    assert response.status_code == 200
    assert _h1(response) == "Confirm your email address"
    assert member.email in _text(response)
    assert "Confirm my email address" in _text(response)
    address.refresh_from_db()
    assert not address.verified

    client.post(reverse("account_confirm_email", kwargs={"key": key}))
    address.refresh_from_db()
    assert address.verified


@pytest.mark.django_db
def test_an_old_or_broken_email_confirmation_link_says_so_kindly(client):
    response = client.get(reverse("account_confirm_email", kwargs={"key": "not-a-real-key"}))
    assert response.status_code == 200
    assert _h1(response) == "This link has expired or has already been used"
    assert f'href="{reverse("account_login")}"' in response.content.decode()


# Signing in: too many wrong passwords ----------------------------------------------------------


@pytest.mark.django_db
def test_the_sixth_failed_sign_in_within_30_minutes_is_refused_and_works_again_later(
    client, verified_member
):
    refused = str(get_adapter().error_messages["too_many_login_attempts"])
    with time_machine.travel(dt.datetime(2025, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _attempt in range(5):
            response = _sign_in(client, verified_member.email, "not my password")
            assert response.status_code == 200
            assert refused not in _text(response)
            clock.shift(dt.timedelta(minutes=5))

        # 25 minutes after the first try: the sixth is refused, even with the right password.
        response = _sign_in(client, verified_member.email)
        assert response.status_code == 200
        assert refused in _text(response)
        assert "_auth_user_id" not in client.session

        # Another account on the same phone is not affected.
        other = _verified(UserFactory())
        assert _sign_in(Client(), other.email).status_code == 302

        clock.shift(dt.timedelta(minutes=31))
        response = _sign_in(client, verified_member.email)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(verified_member.pk)


# Resetting a forgotten password ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_password_reset_page_does_not_reveal_whether_an_account_exists(client, verified_member):
    known = client.post(reverse("account_reset_password"), {"email": verified_member.email})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")

    known_page = client.get(known["Location"])
    unknown_page = Client().get(unknown["Location"])
    assert _h1(known_page) == _h1(unknown_page) == "Check your email"
    assert "If there is an account with that email address" in _text(known_page)
    body = re.compile(r"<main.*</main>", flags=re.S)
    strip_tokens = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip_tokens.sub("", body.search(known_page.content.decode())[0]) == strip_tokens.sub(
        "", body.search(unknown_page.content.decode())[0]
    )
    assert verified_member.email not in known_page.content.decode()


@pytest.mark.django_db
def test_the_password_reset_link_lets_her_choose_a_new_password(client, verified_member):
    uidb36 = user_pk_to_url_str(verified_member)
    key = default_token_generator.make_token(verified_member)
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": uidb36, "key": key}),
        follow=True,
    )
    assert response.status_code == 200
    assert _h1(response) == "Choose a new password"
    assert key not in response.content.decode()  # the key is moved out of the address

    action = re.search(r'<form method="post" action="([^"]+)"', response.content.decode())[1]
    response = client.post(
        action, {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    )
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    verified_member.refresh_from_db()
    assert verified_member.check_password("a brand new passphrase")


@pytest.mark.django_db
def test_a_used_or_broken_password_reset_link_offers_a_new_one(client, verified_member):
    uidb36 = user_pk_to_url_str(verified_member)
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": uidb36, "key": "nope-nope"})
    response = client.get(url)
    assert response.status_code == 200
    assert _h1(response) == "This link has expired or has already been used"
    assert f'href="{reverse("account_reset_password")}"' in response.content.decode()


# Pages for a signed-in member ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_logout", "Sign out"),
        ("account_change_password", "Change your password"),
        ("account_email", "Your email address"),
        ("mfa_index", "Two-step verification"),
        ("mfa_activate_totp", "Set up two-step verification"),
        ("usersessions_list", "Where you are signed in"),
    ],
)
def test_each_account_page_renders_for_a_signed_in_member(signed_in, name, heading):
    response = signed_in.get(reverse(name))
    assert response.status_code == 200
    assert _h1(response) == heading


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["account_change_password", "account_email", "mfa_index", "usersessions_list"],
)
def test_account_pages_ask_a_signed_out_visitor_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_sign_out_page_sends_a_signed_out_visitor_home(client):
    response = client.get(reverse("account_logout"))
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_someone_without_a_password_yet_is_asked_to_create_one(client):
    user = _verified(UserFactory())
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    response = client.get(reverse("account_set_password"))
    assert response.status_code == 200
    assert _h1(response) == "Create a password"


@pytest.mark.django_db
def test_a_sensitive_change_asks_for_the_password_again_first(client, verified_member):
    assert _sign_in(client, verified_member.email).status_code == 302
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert _h1(response) == "Confirm it is you"
    assert 'autocomplete="current-password"' in response.content.decode()


@pytest.mark.django_db
def test_the_email_page_lists_her_address_and_keeps_a_mistyped_new_one(signed_in, verified_member):
    response = signed_in.post(reverse("account_email"), {"action_add": "", "email": "oops@"})
    assert response.status_code == 200
    assert verified_member.email in _text(response)
    group = _form_group(response, "id_email")
    assert "nhsuk-form-group--error" in group
    assert 'value="oops@"' in group


# Two-step verification -------------------------------------------------------------------------


@pytest.mark.django_db
def test_setting_up_two_step_verification_shows_a_qr_image_and_the_key_as_text(signed_in):
    response = signed_in.get(reverse("mfa_activate_totp"))
    page = response.content.decode()
    assert '<img src="data:image/svg+xml;base64,' in page
    main = page[page.index("<main") : page.index("</main>")]
    assert "<svg" not in main  # never inline: the CSP forbids the QR code's style attributes
    secret = signed_in.session["mfa.totp.secret"]
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert grouped in page
    assert "enter this key in your authenticator app" in _text(response)

    response = signed_in.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "nhsuk-form-group--error" in _form_group(response, "id_code")

    response = signed_in.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    response = signed_in.get(response["Location"])
    assert _h1(response) == "Your backup codes"
    codes = Authenticator.objects.get(type=Authenticator.Type.RECOVERY_CODES).wrap()
    for code in codes.get_unused_codes():
        assert f"<li>{code}</li>" in response.content.decode()


@pytest.mark.django_db
def test_signing_in_with_two_step_verification_asks_for_the_code(client, verified_member):
    _with_two_step(verified_member)
    response = _sign_in(client, verified_member.email)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 200
    assert _h1(response) == "Enter your security code"
    assert 'autocomplete="one-time-code"' in response.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "nhsuk-form-group--error" in _form_group(response, "id_code")


@pytest.mark.django_db
def test_a_code_from_the_step_just_gone_works_once_and_an_older_one_never(client, verified_member):
    """A code typed as the authenticator turns over still signs her in; a code two steps old,
    or one already used, is refused beside the field."""
    secret = _with_two_step(verified_member)
    moment = dt.datetime(2027, 3, 2, 10, 0, 10, tzinfo=dt.UTC)
    counter = int(moment.timestamp()) // 30
    with time_machine.travel(moment, tick=False):
        _sign_in(client, verified_member.email)
        too_old = format_hotp_value(hotp_value(secret, counter - 2))
        response = client.post(reverse("mfa_authenticate"), {"code": too_old})
        assert response.status_code == 200
        assert "nhsuk-form-group--error" in _form_group(response, "id_code")

        just_gone = format_hotp_value(hotp_value(secret, counter - 1))
        response = client.post(reverse("mfa_authenticate"), {"code": just_gone})
        assert response.status_code == 302
        assert response["Location"] != reverse("mfa_authenticate")

        client.logout()
        _sign_in(client, verified_member.email)
        response = client.post(reverse("mfa_authenticate"), {"code": just_gone})
        assert response.status_code == 200
        assert "nhsuk-form-group--error" in _form_group(response, "id_code")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("mfa_index", "Two-step verification"),
        ("mfa_deactivate_totp", "Turn off two-step verification"),
        ("mfa_view_recovery_codes", "Your backup codes"),
        ("mfa_generate_recovery_codes", "Make new backup codes"),
        ("mfa_reauthenticate", "Confirm it is you"),
    ],
)
def test_each_two_step_page_renders_for_someone_using_it(two_step_member, name, heading):
    client, _user, _secret = two_step_member
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert _h1(response) == heading


@pytest.mark.django_db
def test_the_two_step_page_explains_why_staff_must_use_it(signed_in):
    text = _text(signed_in.get(reverse("mfa_index")))
    assert "because your role lets you see other people's information" in text
    assert "MFA" not in text
    assert "TOTP" not in text


# Devices ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_she_can_sign_out_of_every_other_device(signed_in, verified_member):
    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari")
    assert _sign_in(phone, verified_member.email).status_code == 302
    phone.get(reverse("accounts:account_home"))

    response = signed_in.get(reverse("usersessions_list"))
    text = _text(response)
    assert "Safari on an iPhone" in text
    assert "This device" in text
    assert "Sign out of all other devices" in text

    signed_in.post(reverse("usersessions_list"))
    assert phone.get(reverse("accounts:account_home")).status_code == 302  # signed out there
    response = signed_in.get(reverse("usersessions_list"))
    assert response.status_code == 200
    assert "You are not signed in anywhere else." in _text(response)
