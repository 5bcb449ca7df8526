"""Her messages inbox, her notification choices, web push sign-up, and failures for admins."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peerpath.accounts import access as accounts_access
from peerpath.accounts.models import User
from peerpath.jobs.services import job_retry
from peerpath.notifications import access
from peerpath.notifications.forms import PhoneCodeForm, PreferencesForm, PushSubscriptionForm
from peerpath.notifications.services import (
    PhoneCheckError,
    PushEndpointError,
    delivery_retry,
    inbox_for,
    notification_preferences_update,
    notifications_mark_read,
    phone_check_confirm,
    phone_check_send,
    preference_for,
    push_subscription_delete,
    push_subscription_save,
)

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(inbox_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.jinja", {"page": page})


@login_required
@require_POST
def inbox_mark_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=_user(request))
    return redirect("notifications:inbox")


@login_required
@require_safe
def notification_open(request: HttpRequest, public_id: str) -> HttpResponse:
    """Mark one read and go where it points (the link in the message)."""
    user = _user(request)
    notification = access.get_own_notification(user, public_id)
    notifications_mark_read(user=user, ids=[notification.pk])
    return redirect(notification.link or "notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    preference = preference_for(user)
    form = PreferencesForm(request.POST or None, initial=PreferencesForm.initial_for(preference))
    if request.method == "POST" and form.is_valid():
        notification_preferences_update(
            actor=user,
            user=user,
            all_off=form.cleaned_data["all_off"],
            quiet_start=form.cleaned_time("quiet_start"),
            quiet_end=form.cleaned_time("quiet_end"),
            channels=form.cleaned_channels(),
        )
        messages.success(request, _("Your choices have been saved."))
        return redirect("notifications:notification_preferences")
    return render(
        request,
        "notifications/preferences.jinja",
        {
            "form": form,
            "has_phone": bool(user.phone),
            "phone_checked": access.phone_checked(user, access.own_phone_check(user)),
            "may_check_phone": accounts_access.is_staff_person(user),
            "vapid_public_key": settings.VAPID_PUBLIC_KEY,
            "push_count": access.own_push_subscriptions(user).count(),
        },
    )


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    form = PushSubscriptionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    try:
        push_subscription_save(user=_user(request), **form.cleaned_data)
    except PushEndpointError as error:
        return JsonResponse({"errors": {"endpoint": [str(error)]}}, status=400)
    return JsonResponse({"ok": True})


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> JsonResponse:
    endpoint = request.POST.get("endpoint", "")
    if endpoint:
        push_subscription_delete(user=_user(request), endpoint=endpoint)
    else:
        for subscription in access.own_push_subscriptions(_user(request)):
            push_subscription_delete(user=_user(request), endpoint=subscription.endpoint)
    return JsonResponse({"ok": True})


@cache_control(max_age=0, no_cache=True)
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site root so it may handle pushes for every page."""
    from django.contrib.staticfiles import finders

    path = finders.find("peerpath/service-worker.js")
    with open(str(path), encoding="utf-8") as source:  # noqa: PTH123
        response = HttpResponse(source.read(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@login_required
@require_safe
def failures(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = accounts_access.get_staff_organisation(user, slug)
    deliveries = list(access.failed_deliveries(user, organisation)[:100])
    jobs = list(access.dead_jobs(user, organisation)[:100])
    return render(
        request,
        "notifications/failures.jinja",
        {"organisation": organisation, "deliveries": deliveries, "jobs": jobs},
    )


@login_required
@require_POST
def failure_retry(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user = _user(request)
    organisation = accounts_access.get_staff_organisation(user, slug)
    if request.POST.get("kind") == "job":
        job_retry(actor=user, job=access.get_dead_job(user, organisation, public_id))
    else:
        delivery_retry(
            actor=user, delivery=access.get_failed_delivery(user, organisation, public_id)
        )
    messages.success(request, _("It will be tried again in the next minute."))
    return redirect("notifications:notification_failures", slug=organisation.slug)


def _mobile_page(request: HttpRequest, user: User, form: PhoneCodeForm) -> HttpResponse:
    check = access.own_phone_check(user)
    return render(
        request,
        "notifications/mobile.jinja",
        {
            "form": form,
            "phone": user.phone,
            "checked": access.phone_checked(user, check),
            "code_waiting": bool(check and check.code_digest),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mobile_check(request: HttpRequest) -> HttpResponse:
    """Check her mobile number: send a code (the button), then type it back (the form). For
    staff, who may be paged by text when on duty; members' numbers are not checked."""
    user = _user(request)
    if not accounts_access.is_staff_person(user):
        raise Http404
    form = PhoneCodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST" and "send" in request.POST:
        try:
            phone_check_send(user=user)
        except PhoneCheckError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("We have texted you a code. It works for 10 minutes."))
        return redirect("notifications:mobile_check")
    if form.is_bound and form.is_valid():
        try:
            phone_check_confirm(user=user, code=form.cleaned_data["code"])
        except PhoneCheckError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Thank you. Your mobile number is checked."))
            return redirect("notifications:mobile_check")
    return _mobile_page(request, user, form)
