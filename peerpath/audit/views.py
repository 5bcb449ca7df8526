"""The audit search, for an organisation's administrators."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from peerpath.accounts.access import get_staff_organisation
from peerpath.audit.access import can_view_audit
from peerpath.audit.forms import AuditSearchForm, object_type_labels
from peerpath.audit.models import AuditEvent
from peerpath.audit.querysets import events_for_organisation

EVENTS_PER_PAGE = 50


@login_required
@require_safe
def audit_search(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_staff_organisation(request.user, slug)
    if not can_view_audit(request.user, organisation):
        raise Http404
    form = AuditSearchForm(request.GET)
    page = None
    if form.is_valid():
        events = form.filter(events_for_organisation(organisation))
        page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/search.jinja",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "rows": _rows(page) if page is not None else [],
            "pagination": _pagination(request, page) if page is not None else None,
        },
    )


def _rows(page: Page[AuditEvent]) -> list[list[dict[str, str]]]:
    """Table cells for one page of events: names of fields only, never their values."""
    labels = object_type_labels()
    rows = []
    for event in page.object_list:
        record = labels.get(event.object_type, event.object_type)
        rows.append(
            [
                {"text": date_format(timezone.localtime(event.at), "j M Y, H:i:s")},
                {"text": event.actor_label or _("Unknown")},
                {"text": str(event.get_action_display())},
                {"text": f"{record} {event.object_id}".strip()},
                {"text": ", ".join(event.fields) if event.fields else _("None")},
            ]
        )
    return rows


def _pagination(request: HttpRequest, page: Page[AuditEvent]) -> dict[str, Any] | None:
    """Parameters for the NHS.UK pagination macro, keeping the search in every link."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def href(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return f"?{query.urlencode()}"

    items: list[dict[str, Any]] = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if not isinstance(number, int):
            items.append({"ellipsis": True})
        else:
            items.append(
                {
                    "number": number,
                    "href": href(number),
                    "current": number == page.number,
                    "ariaLabel": _("Page %(number)s") % {"number": number},
                }
            )
    return {
        "items": items,
        "previous": (
            {"href": href(page.previous_page_number()), "text": _("Previous")}
            if page.has_previous()
            else {}
        ),
        "next": {"href": href(page.next_page_number()), "text": _("Next")}
        if page.has_next()
        else {},
        "ariaLabel": _("Pages of results"),
    }
