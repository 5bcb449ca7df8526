"""Booking a place, her bookings, cancelling, and taking up an offered place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peerpath.accounts.models import User
from peerpath.bookings import access, querysets
from peerpath.bookings.calendar import bookings_calendar
from peerpath.bookings.forms import RegisterForm
from peerpath.bookings.models import OPEN_STATUSES, BookingStatus
from peerpath.bookings.services import (
    BookingError,
    booking_accept_offer,
    booking_cancel,
    booking_create,
    calendar_feed_create,
    calendar_feed_reset,
    register_record,
)


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


@login_required
@require_POST
def book(request: HttpRequest, public_id: str) -> HttpResponse:
    occurrence = access.get_bookable_occurrence(public_id)
    try:
        booking = booking_create(actor=_user(request), occurrence=occurrence)
    except BookingError as error:
        messages.info(request, str(error))
    else:
        if booking.status == BookingStatus.BOOKED:
            messages.success(request, _("You have a place. We will remind you the day before."))
        else:
            messages.info(
                request,
                _(
                    "It is full, so you are on the waiting list. "
                    "We will tell you if a place comes up."
                ),
            )
    return redirect("bookings:my_bookings")


@login_required
@require_safe
def my_bookings(request: HttpRequest) -> HttpResponse:
    bookings = list(
        access.own_bookings(_user(request))
        .filter(status__in=OPEN_STATUSES, occurrence__starts_at__gte=timezone.now())
        .order_by("occurrence__starts_at")
    )
    feed = access.get_own_calendar_feed(_user(request))
    feed_url = (
        request.build_absolute_uri(reverse("bookings:calendar_feed", kwargs={"token": feed.token}))
        if feed is not None
        else ""
    )
    return render(
        request,
        "bookings/my_bookings.jinja",
        {
            "bookings": bookings,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else "",
        },
    )


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Her private calendar feed, for her phone's calendar app. The token is the secret:
    no sign-in, and an unknown or replaced address answers 404."""
    feed = access.get_calendar_feed_for_token(token)
    body = bookings_calendar(
        querysets.calendar_feed_bookings(feed),
        listing_url=lambda service: request.build_absolute_uri(
            reverse("directory:service_detail", kwargs={"public_id": service.public_id})
        ),
        bookings_url=request.build_absolute_uri(reverse("bookings:my_bookings")),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="peerpath-bookings.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True)
    return response


@login_required
@require_POST
def calendar_create(request: HttpRequest) -> HttpResponse:
    calendar_feed_create(actor=_user(request))
    messages.success(request, _("Your calendar address is ready."))
    return redirect(reverse("bookings:my_bookings") + "#calendar")


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    calendar_feed_reset(actor=_user(request))
    messages.success(
        request,
        _("Here is your new calendar address. The old one no longer works."),
    )
    return redirect(reverse("bookings:my_bookings") + "#calendar")


@login_required
@require_POST
def cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    booking = access.get_own_booking(_user(request), public_id)
    booking_cancel(actor=_user(request), booking=booking)
    messages.success(request, _("Cancelled. Thank you for letting us know."))
    return redirect("bookings:my_bookings")


@login_required
@require_POST
def accept(request: HttpRequest, public_id: str) -> HttpResponse:
    booking = access.get_own_booking(_user(request), public_id)
    try:
        booking_accept_offer(actor=_user(request), booking=booking)
    except BookingError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("The place is yours. We will remind you the day before."))
    return redirect("bookings:my_bookings")


@login_required
@require_http_methods(["GET", "POST"])
def session_register(request: HttpRequest, public_id: str) -> HttpResponse:
    """The facilitator's register: attendance and first visits, on a phone at the door."""
    user = _user(request)
    occurrence = access.get_register_occurrence(user, public_id)
    bookings = access.register_bookings(user, occurrence)
    form = RegisterForm(
        request.POST or None,
        bookings=bookings,
        returning=querysets.returning_member_ids(occurrence, bookings),
        initial={
            "walk_ins": occurrence.walk_ins,
            "walk_in_first_visits": occurrence.walk_in_first_visits,
        },
    )
    if request.method == "POST" and form.is_valid():
        register_record(
            actor=user,
            occurrence=occurrence,
            marks=form.marks(),
            walk_ins=form.cleaned_data["walk_ins"],
            walk_in_first_visits=form.cleaned_data["walk_in_first_visits"],
        )
        messages.success(request, _("Register saved."))
        return redirect("bookings:session_register", public_id=occurrence.public_id)
    return render(
        request,
        "bookings/register.jinja",
        {
            "occurrence": occurrence,
            "service": occurrence.service,
            "form": form,
            "waiting": access.register_waiting(user, occurrence),
        },
    )
