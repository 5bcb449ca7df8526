"""Sign-in successes and failures, recorded through Django's authentication signals.

These are the framework's only hooks for authentication events, so the audit app listens to
them; nothing else in PeerPath uses signals.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.core.actors import VISITOR


@receiver(user_logged_in, dispatch_uid="audit-login")
def record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=Action.LOGIN, obj=user)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def record_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=Action.LOGOUT, obj=user)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def record_login_failure(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The email typed is never stored; the account, if one matches, is.
    email = str(credentials.get("email") or credentials.get("username") or "").lower()
    user = get_user_model().objects.filter(email=email).first() if email else None
    audit_record(
        actor=VISITOR,
        action=Action.LOGIN_FAILED,
        obj=user,
        detail="" if user else "no such account",
    )
