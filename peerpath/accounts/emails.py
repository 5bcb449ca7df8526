"""Emails the accounts pages send. Plain, and never with anything sensitive in them."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from peerpath.accounts.models import Invitation, Organisation, User


def _send(*, to: str, subject: str, template: str, context: dict[str, object]) -> None:
    body = render_to_string(template, context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def send_invitation(*, request: HttpRequest, invitation: Invitation, token: str) -> None:
    link = request.build_absolute_uri(
        reverse("accounts:invitation_accept", kwargs={"token": token})
    )
    _send(
        to=invitation.email,
        subject=f"You are invited to join {invitation.organisation.name} on PeerPath",
        template="accounts/email/invitation.txt",
        context={"invitation": invitation, "link": link},
    )


def send_account_exists(*, request: HttpRequest, email: str, organisation: Organisation) -> None:
    _send(
        to=email,
        subject=f"Your {organisation.name} account",
        template="accounts/email/account_exists.txt",
        context={
            "organisation": organisation,
            "sign_in": request.build_absolute_uri(reverse("account_login")),
            "reset": request.build_absolute_uri(reverse("account_reset_password")),
        },
    )


def send_set_password(*, request: HttpRequest, user: User, organisation: Organisation) -> None:
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    _send(
        to=user.email,
        subject=f"Your {organisation.name} account",
        template="accounts/email/set_password.txt",
        context={"organisation": organisation, "link": request.build_absolute_uri(path)},
    )
