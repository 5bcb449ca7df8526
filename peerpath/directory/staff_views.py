"""Staff pages: a charity's coordinators and admins manage its listings, places, repeating
times and sessions, and see where and when there is nothing on.

Everything lives under ``/staff/<slug>/``; anyone else gets a 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peerpath.accounts.models import Organisation, User
from peerpath.core import clock
from peerpath.directory import access
from peerpath.directory.choices import ForWhom
from peerpath.directory.gaps import gaps_find
from peerpath.directory.models import Occurrence, Service
from peerpath.directory.services import (
    location_create,
    location_update,
    occurrence_cancel,
    occurrence_move,
    schedule_create,
    schedule_end,
    service_create,
    service_deactivate,
    service_reactivate,
    service_update,
)
from peerpath.directory.staff_forms import (
    GapsForm,
    ListingForm,
    LocationForm,
    ScheduleEndForm,
    ScheduleForm,
    SessionCancelForm,
    SessionMoveForm,
    describe_schedule,
)

SESSIONS_SHOWN = 60
RECENT_DAYS = 14


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


def _managed_listing(
    request: HttpRequest, slug: str, public_id: str
) -> tuple[User, Organisation, Service]:
    """She, her charity, and one of its listings (404 for anyone who may not manage it)."""
    user = _user(request)
    organisation = access.get_listings_organisation(user, slug)
    return user, organisation, access.get_managed_service(user, organisation, public_id)


def _listing_url(service: Service) -> str:
    return reverse(
        "directory:staff_listing",
        kwargs={"slug": service.organisation.slug, "public_id": service.public_id},
    )


# Listings -------------------------------------------------------------------------------------


@login_required
@require_safe
def listings(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = access.get_listings_organisation(user, slug)
    now = clock.now()
    services = list(
        access.managed_services(user, organisation)
        .annotate(
            next_session=Min(
                "occurrences__starts_at",
                filter=Q(occurrences__starts_at__gte=now, occurrences__cancelled=False),
            )
        )
        .order_by("-is_active", "name")
    )
    return render(
        request,
        "directory/staff/listings.jinja",
        {
            "organisation": organisation,
            "services": services,
            "needs_checking": [s for s in services if s.is_active and s.needs_checking],
            "places": list(access.managed_locations(user, organisation)),
        },
    )


def _listing_form(
    request: HttpRequest, user: User, organisation: object, service: Service | None
) -> ListingForm:
    locations = list(access.managed_locations(user, organisation))  # type: ignore[arg-type]
    supporters = list(access.peer_supporters_of(user, organisation))  # type: ignore[arg-type]
    initial = (
        ListingForm.initial_for(service)
        if service is not None
        else {"last_checked_on": clock.today(), "cost_kind": "free", "booking": "turn_up"}
    )
    return ListingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        locations=locations,
        supporters=supporters,
    )


@login_required
@require_http_methods(["GET", "POST"])
def listing_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = access.get_listings_organisation(user, slug)
    form = _listing_form(request, user, organisation, None)
    if request.method == "POST" and form.is_valid():
        service = service_create(actor=user, organisation=organisation, **form.values())
        messages.success(
            request,
            _("%(name)s is now on Find support. Add when it runs below.") % {"name": service.name},
        )
        return redirect(_listing_url(service))
    return render(
        request,
        "directory/staff/listing_form.jinja",
        {"organisation": organisation, "form": form, "service": None},
    )


@login_required
@require_safe
def listing(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user, organisation, service = _managed_listing(request, slug, public_id)
    today = clock.today()
    schedules = [
        {"schedule": schedule, "words": describe_schedule(schedule)}
        for schedule in service.schedules.all()
        if schedule.until is None or schedule.until >= today
    ]
    return render(
        request,
        "directory/staff/listing.jinja",
        {
            "organisation": organisation,
            "service": service,
            "schedules": schedules,
            "facilitators": access.listing_facilitators(user, service),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user, organisation, service = _managed_listing(request, slug, public_id)
    form = _listing_form(request, user, organisation, service)
    if request.method == "POST" and form.is_valid():
        service_update(actor=user, service=service, **form.values())
        messages.success(request, _("Your changes have been saved."))
        return redirect(_listing_url(service))
    return render(
        request,
        "directory/staff/listing_form.jinja",
        {"organisation": organisation, "form": form, "service": service},
    )


@login_required
@require_POST
def listing_checked(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user, _organisation, service = _managed_listing(request, slug, public_id)
    service_update(actor=user, service=service, last_checked_on=clock.today())
    messages.success(request, _("Thank you. The details are marked as checked today."))
    return redirect(_listing_url(service))


@login_required
@require_http_methods(["GET", "POST"])
def listing_active(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    """Put a listing back (POST active=yes), or take it down after a confirmation page that
    says how many people will be told (GET, then POST active=no)."""
    user, organisation, service = _managed_listing(request, slug, public_id)
    choice = request.POST.get("active")
    if request.method == "POST" and choice == "yes":
        service_reactivate(actor=user, service=service)
        messages.success(request, _("It is back on Find support. Add when it runs if needed."))
        return redirect(_listing_url(service))
    if request.method == "POST" and choice == "no" and service.is_active:
        service_deactivate(actor=user, service=service)
        messages.success(
            request,
            _("It has been taken down. Anyone booked on a future session has been told."),
        )
        return redirect(_listing_url(service))
    if not service.is_active:
        return redirect(_listing_url(service))
    return render(
        request,
        "directory/staff/listing_take_down.jinja",
        {
            "organisation": organisation,
            "service": service,
            "people": access.people_booked_ahead(user, service),
        },
        status=400 if request.method == "POST" else 200,
    )


# Places ---------------------------------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def location_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = access.get_listings_organisation(user, slug)
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        location = location_create(
            actor=user,
            organisation=organisation,
            name=data["name"],
            address=data["address"],
            area=data["area"],
            postcode=data["postcode"],
            directions=data["directions"],
        )
        messages.success(
            request, _("%(name)s has been added. You can now choose it.") % {"name": location.name}
        )
        return redirect(
            _safe_next(request) or reverse("directory:staff_listings", kwargs={"slug": slug})
        )
    return render(
        request,
        "directory/staff/location_form.jinja",
        {"organisation": organisation, "form": form, "location": None, "next": _safe_next(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user = _user(request)
    organisation = access.get_listings_organisation(user, slug)
    location = access.get_managed_location(user, organisation, public_id)
    initial = {
        "name": location.name,
        "address": location.address,
        "area": location.area,
        "postcode": location.postcode,
        "directions": location.directions,
    }
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        location_update(
            actor=user,
            location=location,
            name=data["name"],
            address=data["address"],
            area=data["area"],
            postcode=data["postcode"],
            directions=data["directions"],
        )
        messages.success(request, _("Your changes have been saved."))
        return redirect("directory:staff_listings", slug=slug)
    return render(
        request,
        "directory/staff/location_form.jinja",
        {"organisation": organisation, "form": form, "location": location, "next": ""},
    )


# Repeating times ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def schedule_create_view(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user, organisation, service = _managed_listing(request, slug, public_id)
    form = ScheduleForm(request.POST or None, initial={"repeats": "weekly"})
    if request.method == "POST" and form.is_valid():
        schedule = schedule_create(
            actor=user,
            service=service,
            first_starts_at=form.first_starts_at(),
            duration_minutes=form.cleaned_data["duration_minutes"],
            recurrence=form.recurrence(),
            until=form.cleaned_data["last_date"],
        )
        messages.success(
            request,
            _("Added: %(when)s. Its sessions are now on Find support.")
            % {"when": describe_schedule(schedule)},
        )
        return redirect(_listing_url(service))
    return render(
        request,
        "directory/staff/schedule_form.jinja",
        {"organisation": organisation, "service": service, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule_end_view(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user = _user(request)
    organisation = access.get_listings_organisation(user, slug)
    schedule = access.get_managed_schedule(user, organisation, public_id)
    form = ScheduleEndForm(request.POST or None, initial={"from_date": clock.today()})
    if request.method == "POST" and form.is_valid():
        removed, cancelled = schedule_end(
            actor=user, schedule=schedule, from_date=form.cleaned_data["from_date"]
        )
        text = _("Done. %(removed)s sessions removed.") % {"removed": removed}
        if cancelled:
            text += " " + _(
                "%(count)s sessions that people had booked are cancelled, and they have been told."
            ) % {"count": cancelled}
        messages.success(request, text)
        return redirect(_listing_url(schedule.service))
    return render(
        request,
        "directory/staff/schedule_end.jinja",
        {
            "organisation": organisation,
            "service": schedule.service,
            "schedule": schedule,
            "words": describe_schedule(schedule),
            "form": form,
        },
    )


# Sessions -------------------------------------------------------------------------------------


@login_required
@require_safe
def sessions(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user, organisation, service = _managed_listing(request, slug, public_id)
    now = clock.now()
    since = now - dt.timedelta(days=RECENT_DAYS)
    rows = access.managed_sessions(user, service, since=since, limit=SESSIONS_SHOWN)
    return render(
        request,
        "directory/staff/sessions.jinja",
        {
            "organisation": organisation,
            "service": service,
            "upcoming": [o for o in rows if o.ends_at >= now],
            "recent": [o for o in rows if o.ends_at < now][::-1],
            "now": now,
        },
    )


def _session_to_change(
    request: HttpRequest, slug: str, public_id: str
) -> tuple[User, Organisation, Occurrence, HttpResponse | None]:
    """The session a coordinator is cancelling or moving; a way back if it is too late."""
    user = _user(request)
    organisation = access.get_listings_organisation(user, slug)
    occurrence = access.get_managed_session(user, organisation, public_id)
    back = None
    if occurrence.cancelled or occurrence.starts_at <= clock.now():
        messages.info(request, _("That session has already been cancelled or has started."))
        back = _sessions_redirect(occurrence)
    return user, organisation, occurrence, back


def _sessions_redirect(occurrence: Occurrence) -> HttpResponse:
    return redirect(
        "directory:staff_sessions",
        slug=occurrence.service.organisation.slug,
        public_id=occurrence.service.public_id,
    )


def _done(request: HttpRequest, occurrence: Occurrence, text: str) -> HttpResponse:
    told = ""
    if getattr(occurrence, "booked", 0):
        told = (
            _("Everyone who booked has been told.")
            if occurrence.cancelled
            else _(
                "Everyone who booked will be told within 10 minutes: changes made together "
                "reach them as one message."
            )
        )
    messages.success(request, f"{text} {told}".strip())
    return _sessions_redirect(occurrence)


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user, organisation, occurrence, back = _session_to_change(request, slug, public_id)
    if back is not None:
        return back
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        occurrence_cancel(actor=user, occurrence=occurrence, note=form.cleaned_data["note"])
        return _done(request, occurrence, _("The session is cancelled."))
    return render(
        request,
        "directory/staff/session_cancel.jinja",
        {"organisation": organisation, "occurrence": occurrence, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_move(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user, organisation, occurrence, back = _session_to_change(request, slug, public_id)
    if back is not None:
        return back
    local = timezone.localtime(occurrence.starts_at)
    form = SessionMoveForm(
        request.POST or None,
        initial={"new_date": local.date(), "new_time": local.time(), "note": occurrence.note},
    )
    if request.method == "POST" and form.is_valid():
        occurrence_move(
            actor=user,
            occurrence=occurrence,
            starts_at=form.starts_at(),
            note=form.cleaned_data["note"],
        )
        return _done(request, occurrence, _("The session has been moved."))
    return render(
        request,
        "directory/staff/session_move.jinja",
        {"organisation": organisation, "occurrence": occurrence, "form": form},
    )


# Gaps -----------------------------------------------------------------------------------------


@login_required
@require_safe
def gaps(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = access.get_listings_organisation(user, slug)
    found = gaps_find()
    form = GapsForm(request.GET or None, areas=found.areas)
    stage, area = ForWhom.PREGNANT.value, ""
    if form.is_bound and form.is_valid():
        stage = form.cleaned_data["stage"] or stage
        area = form.cleaned_data["area"] or ""
    stage_label = dict(ForWhom.choices)[stage]
    return render(
        request,
        "directory/staff/gaps.jinja",
        {
            "organisation": organisation,
            "form": form,
            "stage": stage,
            "stage_label": stage_label,
            "grid": found.grid(stage, area),
            "area_summaries": [found.grid(stage, key) for key, _name in found.areas],
            "times": [_("Morning"), _("Afternoon"), _("Evening")],
        },
    )
