"""How django-allauth fits PeerPath: where people land, who joins what, MFA secrets encrypted."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.access import has_mfa, is_staff_person
from peerpath.accounts.models import Organisation, User
from peerpath.accounts.pseudonyms import pseudonym
from peerpath.accounts.site import site_identity
from peerpath.core import crypto


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many sign-in attempts for this account. For your security, wait 30 minutes "
            "and try again, or reset your password."
        ),
        "email_password_mismatch": _("The email address or password is not right. Try again."),
    }

    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        from peerpath.accounts.services import member_register

        if not user.display_name:
            user.display_name = pseudonym()
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            organisation_id = site_identity().organisation_id
            organisation = (
                Organisation.objects.filter(pk=organisation_id).first()
                if organisation_id is not None
                else None
            )
            with transaction.atomic():
                member_register(user=user, organisation=organisation)
        return user

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """Demo accounts never sign in outside development, even if their rows were copied."""
        from django.conf import settings

        from peerpath.accounts.demo import is_demo_email

        email = str(credentials.get("email") or credentials.get("username") or "")
        if not settings.PEERPATH_DEMO_DATA_ALLOWED and is_demo_email(email):
            return None
        return super().authenticate(request, **credentials)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if is_staff_person(user):
            if not has_mfa(user):
                _count_fresh_password_as_confirmation(request)
                return reverse("mfa_activate_totp")
            return reverse("accounts:staff_home")
        return str(super().get_login_redirect_url(request))


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """TOTP secrets and recovery seeds are stored encrypted with the field-encryption keys."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def get_totp_issuer(self) -> str:
        return site_identity().name


FRESH_SECONDS = 60


def _count_fresh_password_as_confirmation(request: HttpRequest) -> None:
    """Staff who have just typed their password are not asked for it again to set up MFA.

    allauth asks for the password again before two-step verification can be turned on, even
    seconds after signing in. When the last sign-in was with a password in the past minute,
    that sign-in is recorded as the confirmation allauth wants.
    """
    import time

    from allauth.account.internal.flows.login import (
        get_authentication_records,
        record_authentication,
    )

    records = get_authentication_records(request, request.user)
    last = records[-1] if records else {}
    if last.get("method") == "password" and time.time() - float(last["at"]) < FRESH_SECONDS:
        record_authentication(request, request.user, "password", reauthenticated=True)
