"""Session time limits by role, and two-step verification before any staff page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from peerpath.accounts.access import has_mfa, is_staff_person
from peerpath.core import clock

_STARTED = "pp_started"
_SEEN = "pp_seen"
_SEEN_WRITE_EVERY = 30  # seconds: avoid writing the session on every request


def session_has_expired(session: Any, user: Any) -> bool:
    """Past her idle limit (staff 15 minutes, members 30) or 12 hours since she signed in."""
    now = clock.now().timestamp()
    started = float(session.get(_STARTED, now))
    seen = float(session.get(_SEEN, now))
    kind = "staff" if is_staff_person(user) else "member"
    idle_limit = settings.PEERPATH_SESSION_IDLE_MINUTES[kind] * 60
    absolute_limit = settings.PEERPATH_SESSION_ABSOLUTE_HOURS * 3600
    return now - seen > idle_limit or now - started > absolute_limit


def may_use_live_features(session: Any, user: Any) -> bool:
    """A websocket is held to the same rules as a page: a current session, and two-step
    verification for staff."""
    if not getattr(user, "is_authenticated", False) or session is None:
        return False
    if session_has_expired(session, user):
        return False
    return not (is_staff_person(user) and not has_mfa(user))


class SessionPolicyMiddleware:
    """Staff: 15 minutes idle, 12 hours at most. Members: 30 minutes idle, 12 hours at most."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = clock.now().timestamp()
            session = request.session
            if session_has_expired(session, user):
                logout(request)
                messages.info(
                    request,
                    _("You were signed out to keep your account safe. Please sign in again."),
                )
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('account_login')}?{query}")
            if _STARTED not in session:
                session[_STARTED] = now
            if now - float(session.get(_SEEN, 0)) >= _SEEN_WRITE_EVERY:
                session[_SEEN] = now
        return self.get_response(request)


STAFF_ONLY_PREFIXES = ("/staff/", "/admin/", "/account/", "/inbox/")


class StaffMFAMiddleware:
    """A staff person without two-step verification is sent to set it up first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and request.path.startswith(STAFF_ONLY_PREFIXES)
            and is_staff_person(user)
            and not has_mfa(user)
        ):
            messages.info(
                request,
                _(
                    "Because your role lets you see other people's information, set up two-step "
                    "verification before you continue."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
