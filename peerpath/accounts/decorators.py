"""View guards other apps use: health-data consent before check-ins, plans and chat."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from peerpath.accounts.models import ConsentKind, User
from peerpath.accounts.services import has_consent

View = Callable[..., HttpResponse]


def health_data_consent_required(view: View) -> View:
    """Send a member who has not agreed to the use of health information to the consent page
    first, and bring her back afterwards. Use after ``login_required``."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and not has_consent(user, ConsentKind.HEALTH_DATA):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:account_consent')}?{query}")
        return view(request, *args, **kwargs)

    return guarded


def member_health_pages(view: View) -> View:
    """Signed in, a member somewhere (404 for anyone else), and agreed to the use of health
    information: the guard on a member's own check-ins, requests for support and plans."""
    from django.contrib.auth.decorators import login_required
    from django.http import Http404

    from peerpath.accounts.access import her_member_place

    consented = health_data_consent_required(view)

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not isinstance(request.user, User) or her_member_place(request.user) is None:
            raise Http404
        return consented(request, *args, **kwargs)

    return login_required(guarded)
