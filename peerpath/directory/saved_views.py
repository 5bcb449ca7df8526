""" "Tell me when something starts": keep a search, see the searches she keeps, stop one."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peerpath.accounts.models import User
from peerpath.directory import access, alerts, querysets
from peerpath.directory.forms import SearchForm


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """Check what she is asking for, then keep it (GET shows it, POST keeps it)."""
    data = request.POST if request.method == "POST" else request.GET
    form = SearchForm(data, areas=querysets.areas())
    query = alerts.clean_query(data)
    problem = ""
    if request.method == "POST":
        try:
            alerts.saved_search_create(user=_user(request), data=data)
        except alerts.SavedSearchError as error:
            problem = str(error)
        else:
            messages.success(
                request,
                _("Done. We will tell you when something new starts that matches this search."),
            )
            return redirect("directory:saved_searches")
    valid = form.is_valid()
    if valid and not problem and form.near_location:
        problem = _("We do not keep your location. Type your postcode or choose a town instead.")
    return render(
        request,
        "directory/saved_search_create.jinja",
        {
            "form": form,
            "valid": valid and not problem,
            "problem": problem,
            "description": alerts.describe(form) if valid else "",
            "fields": parse_qsl(query),
            "back": f"{reverse('directory:find_support')}?{data.urlencode()}",
        },
        status=400 if problem or (request.method == "POST" and not valid) else 200,
    )


@login_required
@require_safe
def saved_searches(request: HttpRequest) -> HttpResponse:
    kept = list(access.own_saved_searches(_user(request)))
    return render(
        request,
        "directory/saved_searches.jinja",
        {
            "saved_searches": kept,
            "search_links": {
                saved.pk: f"{reverse('directory:find_support')}?{saved.query}" for saved in kept
            },
            "limit": alerts.MAX_SAVED_SEARCHES,
        },
    )


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    saved = access.get_own_saved_search(_user(request), public_id)
    alerts.saved_search_delete(actor=_user(request), saved=saved)
    messages.success(request, _("Stopped. We will not send messages about that search."))
    return redirect("directory:saved_searches")
