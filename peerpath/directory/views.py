"""Find support: search what is on, read a listing, add it to a calendar. No sign-in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from peerpath.core import clock
from peerpath.directory import querysets
from peerpath.directory.access import get_public_service
from peerpath.directory.calendar import service_calendar
from peerpath.directory.forms import SearchForm


@require_safe
def find_support(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, areas=querysets.areas())
    # Filters that are wrong (an old shared link) are explained; the others still apply.
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data
    results, anytime = querysets.search(filters)
    suggestion = None if results else querysets.nearest_online(filters)
    return render(
        request,
        "directory/find_support.jinja",
        {
            "form": form,
            "results": results,
            "anytime": anytime,
            "suggestion": suggestion,
            "results_shown": querysets.RESULTS_SHOWN,
            "share_url": request.build_absolute_uri(
                f"{reverse('directory:find_support')}?{urlencode(request.GET, doseq=True)}"
            ),
        },
    )


@require_safe
def service_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    service = get_public_service(public_id)
    return render(
        request,
        "directory/service_detail.jinja",
        {
            "service": service,
            "next_dates": querysets.next_dates(service),
            "share_url": request.build_absolute_uri(request.path),
            "today": clock.today(),
        },
    )


@require_safe
def service_ics(request: HttpRequest, public_id: str) -> HttpResponse:
    service = get_public_service(public_id)
    url = request.build_absolute_uri(
        reverse("directory:service_detail", kwargs={"public_id": public_id})
    )
    body = service_calendar(service, querysets.next_dates(service, count=60), url=url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="peerpath-sessions.ics"'
    return response
