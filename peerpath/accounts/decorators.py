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
