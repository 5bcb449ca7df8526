"""Get help now, asking for contact, and the staff pages that handle alerts."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peerpath.accounts.access import (
    get_member_for_user,
    her_member_place,
    is_staff_person,
    roles_in,
)
from peerpath.accounts.choices import STAFF_ROLES
from peerpath.accounts.models import Organisation, User
from peerpath.accounts.site import site_identity
from peerpath.core import clock
from peerpath.safeguarding import access
from peerpath.safeguarding.calendar import duty_calendar
from peerpath.safeguarding.coverage import coverage_for
from peerpath.safeguarding.crisis import crisis_contacts_context, staffed_context
from peerpath.safeguarding.forms import (
    AskForContactForm,
    CloseForm,
    FollowUpForm,
    HandOverForm,
    NumbersPeriodForm,
    RecordForm,
    StaffRaiseForm,
)
from peerpath.safeguarding.models import (
    CONTACT_WAYS,
    ActionKind,
    Alert,
    AlertStatus,
    ReferralDecision,
)
from peerpath.safeguarding.numbers import alert_numbers
from peerpath.safeguarding.rota import (
    is_staffed,
    staffed_hours_for,
)
from peerpath.safeguarding.services import (
    AlertError,
    alert_acknowledge,
    alert_close,
    alert_hand_over,
    alert_raise,
    alert_record_action,
    alert_tier_for,
    duty_feed_reset,
    follow_up_add,
    follow_up_done,
    member_request_raise,
)

logger = logging.getLogger(__name__)
EARLIER = "earlier"  # the sent page's query: her request was added to one the team has
HARM = "harm"  # the sent page's query: she said she has thoughts of harming herself or her baby


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


@require_safe
def help_now(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "safeguarding/help_now.jinja",
        crisis_contacts_context(site_identity().organisation_id),
    )


# Asking for contact ---------------------------------------------------------------------------


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form's data: bound on any POST (an empty one too, so its errors show), else None."""
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
def ask_for_contact(request: HttpRequest) -> HttpResponse:
    """'I'm struggling and want to talk to someone': a tier-1 alert, crisis routes first. Asking
    again while the team has her request adds to it and pages nobody again. Signed out, she
    sees the routes that answer now and how to sign in to ask, never a bare sign-in page."""
    if not request.user.is_authenticated:
        organisation_id = site_identity().organisation_id
        return render(
            request,
            "safeguarding/ask_for_contact_signed_out.jinja",
            {
                "sign_in": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
                **(staffed_context(organisation_id) if organisation_id else {}),
                **crisis_contacts_context(organisation_id),
            },
        )
    user = _user(request)
    membership = her_member_place(user)
    if membership is None:
        raise Http404
    organisation = membership.organisation
    form = AskForContactForm(_posted(request), has_phone=bool(user.phone.strip()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_phone = data["how"] in {"phone", "text"}
        preference = {
            "how": data["how"],
            "when": data["when"],
            "voicemail": data["voicemail"] if by_phone else "",
            "number": data.get("number", "").strip() if by_phone else "",
            "harm_thoughts": data["harm_thoughts"],
        }
        sent = member_request_raise(
            actor=user,
            organisation=organisation,
            message=data["message"],
            contact_preference={key: value for key, value in preference.items() if value},
            harm_thoughts=data["harm_thoughts"] == "yes",
        )
        done = reverse("safeguarding:ask_for_contact_sent")
        query = {EARLIER: "1"} if sent.added_to_earlier else {}
        if data["harm_thoughts"] == "yes":
            query[HARM] = "1"
        return redirect(f"{done}?{urlencode(query)}" if query else done)
    return render(
        request,
        "safeguarding/ask_for_contact.jinja",
        {
            "form": form,
            "organisation": organisation,
            **staffed_context(organisation.pk),
            **crisis_contacts_context(organisation.pk),
        },
    )


@login_required
@require_safe
def ask_for_contact_sent(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    membership = her_member_place(user)
    if membership is None:
        raise Http404
    return render(
        request,
        "safeguarding/ask_for_contact_sent.jinja",
        {
            "organisation": membership.organisation,
            "added_to_earlier": request.GET.get(EARLIER) == "1",
            "harm_thoughts": request.GET.get(HARM) == "1",
            **staffed_context(membership.organisation_id),
            **crisis_contacts_context(membership.organisation_id),
        },
    )


# Staff: the alerts dashboard ---------------------------------------------------------------


def _dashboard_context(user: User, organisation: Organisation) -> dict[str, Any]:
    # The list shows no context: its encrypted fields are not read (nor decrypted) for it.
    alerts = access.alerts_for(user, organisation).defer("context", "contact_preference")
    now = clock.now()
    current = list(
        alerts.filter(status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED])
        .annotate(times_paged=Count("actions", filter=Q(actions__kind=ActionKind.PAGED)))
        .order_by("-tier", "created_at")
    )
    closed = list(
        alerts.filter(status=AlertStatus.CLOSED, closed_at__gte=now - dt.timedelta(days=7))
        .order_by("-closed_at")
        .select_related(None)
        .select_related("owner")[:20]
    )
    return {
        "organisation": organisation,
        "open": [a for a in current if a.status == AlertStatus.OPEN],
        "acknowledged": [a for a in current if a.status == AlertStatus.ACKNOWLEDGED],
        "closed": closed,
        "now": now,
        "rendered_at": now.isoformat(),
        **staffed_context(organisation.pk),
    }


@login_required
@require_safe
def alerts_home(request: HttpRequest) -> HttpResponse:
    """The staff header's "Alerts" link: her organisation's dashboard (the first, if several)."""
    slugs = access.alert_organisation_slugs(_user(request))
    if not slugs:
        raise Http404
    return redirect("safeguarding:alerts_dashboard", slug=slugs[0])


@login_required
@require_safe
def alerts_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = access.staff_organisation_for_alerts(user, slug)
    return render(request, "safeguarding/alerts.jinja", _dashboard_context(user, organisation))


@login_required
@require_safe
def alerts_numbers(request: HttpRequest, slug: str) -> HttpResponse:
    """Counts for the evaluation: by tier and source, time to acknowledge, escalations and the
    share outside staffed hours. No member and no context is shown."""
    user = _user(request)
    organisation = access.staff_organisation_for_alerts(user, slug)
    form = NumbersPeriodForm(request.GET if "days" in request.GET else None)
    days = form.cleaned_data["days"] if form.is_bound and form.is_valid() else 90
    end = clock.now()
    return render(
        request,
        "safeguarding/alerts_numbers.jinja",
        {
            "organisation": organisation,
            "form": form,
            "numbers": alert_numbers(organisation.pk, start=end - dt.timedelta(days=days), end=end),
        },
    )


@login_required
@require_safe
def alerts_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The dashboard's list alone: what the live page fetches after an event or a reconnect."""
    user = _user(request)
    organisation = access.staff_organisation_for_alerts(user, slug)
    response = render(
        request, "safeguarding/_alerts_list.jinja", _dashboard_context(user, organisation)
    )
    patch_cache_control(response, no_store=True)
    return response


# Staff: one alert -----------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    alert: Alert,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The alert's page (its read already audited), with any form sent back with errors."""
    user = _user(request)
    people = access.alert_colleagues(user, alert.organisation)
    member_membership = access.alert_member_place(user, alert)
    actions, follow_ups = access.alert_log(user, alert)
    profile = getattr(member_membership, "member_profile", None) if member_membership else None
    now = timezone.localtime(clock.now())
    due = (now + dt.timedelta(hours=2)).replace(second=0, microsecond=0, tzinfo=None)
    forms = forms or {}
    context = {
        "alert": alert,
        "tier": alert_tier_for(alert.organisation, alert.tier),
        "actions": actions,
        "follow_ups": follow_ups,
        "member_membership": member_membership,
        "profile": profile,
        "contact_ways": dict(CONTACT_WAYS),
        "recipients_words": _recipients_words(user, alert, actions),
        "decision_words": {
            **dict(ReferralDecision.choices),
            **{f"tier {n}": _("tier %(tier)s") % {"tier": n} for n in range(4)},
        },
        "record_form": forms.get("record") or RecordForm(),
        "follow_up_form": forms.get("follow_up")
        or FollowUpForm(people=people, initial={"owner": str(user.public_id), "due_at": due}),
        "hand_over_form": forms.get("hand_over")
        or HandOverForm(people=_hand_over_people(user, alert, people)),
        "close_form": forms.get("close") or CloseForm(),
        "errors_in": next(iter(forms), ""),
        **crisis_contacts_context(alert.organisation_id),
    }
    return render(request, "safeguarding/alert_detail.jinja", context, status=status)


def _recipients_words(user: User, alert: Alert, actions: list[Any]) -> dict[int, str]:
    """Who each page went to, by name (the log keeps their ids)."""
    names = access.alert_log_names(user, alert, actions)
    return {
        action.pk: ", ".join(names.get(key, _("someone who has left")) for key in action.recipients)
        for action in actions
        if action.recipients
    }


def _hand_over_people(user: User, alert: Alert, people: list[User] | None = None) -> list[User]:
    """Colleagues it can go to: not the person who has it now."""
    people = access.alert_colleagues(user, alert.organisation) if people is None else people
    return [person for person in people if person.pk != alert.owner_id]


@login_required
@require_safe
def alert_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail(request, access.get_alert(_user(request), public_id))


@login_required
@require_http_methods(["GET", "POST"])
def acknowledge(request: HttpRequest, public_id: str) -> HttpResponse:
    """Where a page's link lands: one button, after sign-in and two-step verification."""
    user = _user(request)
    alert = access.get_alert(user, public_id, purpose="acknowledge")
    if request.method == "POST":
        try:
            alert = alert_acknowledge(actor=user, alert=alert)
        except AlertError as error:
            messages.error(request, str(error))
        else:
            if alert.owner_id == user.pk:
                messages.success(request, _("It is yours. Nobody else will be paged for it."))
            else:
                messages.info(
                    request, _("%(name)s is already handling it.") % {"name": alert.owner}
                )
        return redirect("safeguarding:alert_detail", public_id=alert.public_id)
    if alert.status != AlertStatus.OPEN:
        return redirect("safeguarding:alert_detail", public_id=alert.public_id)
    return render(
        request,
        "safeguarding/alert_acknowledge.jinja",
        {"alert": alert, "tier": alert_tier_for(alert.organisation, alert.tier)},
    )


FormMaker = Callable[[User, Alert], forms.Form]
Act = Callable[[User, Alert, dict[str, Any]], str]


def _post_form(
    request: HttpRequest, public_id: str, name: str, make_form: FormMaker, act: Act
) -> HttpResponse:
    """Run ``act`` for a valid form and say what it did; otherwise show the alert's page again
    with the form's errors beside its fields and what was typed kept."""
    user = _user(request)
    alert = access.get_alert(user, public_id, purpose=name)
    form = make_form(user, alert)
    if form.is_valid():
        try:
            with transaction.atomic():
                message = act(user, alert, form.cleaned_data)
        except AlertError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            # To the top, where the message is: a form's own anchor would hide it on a phone.
            detail = reverse("safeguarding:alert_detail", kwargs={"public_id": alert.public_id})
            return redirect(f"{detail}#maincontent")
    return _detail(request, alert, forms={name: form}, status=400)


@login_required
@require_POST
def alert_record(request: HttpRequest, public_id: str) -> HttpResponse:
    def act(user: User, alert: Alert, data: dict[str, Any]) -> str:
        was_open = alert.status == AlertStatus.OPEN
        alert_record_action(actor=user, alert=alert, kind=data["kind"], text=data["text"])
        alert.refresh_from_db(fields=["status", "owner"])
        if was_open and alert.owner_id == user.pk:
            return _("Recorded. It is yours now: nobody else will be paged for it.")
        return _("Recorded.")

    return _post_form(request, public_id, "record", lambda u, a: RecordForm(request.POST), act)


@login_required
@require_POST
def alert_follow_up(request: HttpRequest, public_id: str) -> HttpResponse:
    def act(user: User, alert: Alert, data: dict[str, Any]) -> str:
        owner = data["owner"]
        follow_up_add(
            actor=user,
            alert=alert,
            owner=owner,
            description=data["description"],
            due_at=data["due_at"],
        )
        return _("Follow-up set. %(name)s will be reminded when it is due.") % {"name": owner}

    def make(user: User, alert: Alert) -> forms.Form:
        return FollowUpForm(request.POST, people=access.alert_colleagues(user, alert.organisation))

    return _post_form(request, public_id, "follow_up", make, act)


@login_required
@require_POST
def alert_follow_up_done(request: HttpRequest, public_id: str, follow_up_id: str) -> HttpResponse:
    user = _user(request)
    alert = access.get_alert(user, public_id, purpose="follow_up")
    follow_up = access.get_alert_follow_up(user, alert, follow_up_id)
    try:
        follow_up_done(actor=user, follow_up=follow_up)
    except AlertError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as done."))
    return redirect("safeguarding:alert_detail", public_id=alert.public_id)


@login_required
@require_POST
def alert_hand_over_view(request: HttpRequest, public_id: str) -> HttpResponse:
    def act(user: User, alert: Alert, data: dict[str, Any]) -> str:
        alert_hand_over(actor=user, alert=alert, to=data["to"], note=data["note"])
        return _("Handed over to %(name)s. They have been told.") % {"name": data["to"]}

    def make(user: User, alert: Alert) -> forms.Form:
        return HandOverForm(request.POST, people=_hand_over_people(user, alert))

    return _post_form(request, public_id, "hand_over", make, act)


@login_required
@require_POST
def alert_close_view(request: HttpRequest, public_id: str) -> HttpResponse:
    def act(user: User, alert: Alert, data: dict[str, Any]) -> str:
        alert_close(
            actor=user,
            alert=alert,
            outcome=data["outcome"],
            referral_decision=data["referral_decision"],
            reasons=data["reasons"],
        )
        return _("Closed. The decision and reasons are in its record.")

    return _post_form(request, public_id, "close", lambda u, a: CloseForm(request.POST), act)


# Staff: raising an alert about a member --------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def alert_raise_for_member(request: HttpRequest, public_id: str) -> HttpResponse:
    """Staff who may see a member (her coordinators, her matched peer supporter) raise an
    alert about her."""
    user = _user(request)
    member = get_member_for_user(user, public_id)
    organisation = member.organisation
    if not roles_in(user, organisation) & STAFF_ROLES:
        raise Http404
    tiers = [
        (number, f"{_('Tier')} {number}: {alert_tier_for(organisation, number).name}")
        for number in (1, 2, 3)
    ]
    form = StaffRaiseForm(_posted(request), tiers=tiers)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                alert_raise(
                    actor=user,
                    organisation=organisation,
                    source=form.cleaned_data["source"],
                    tier=form.cleaned_data["tier"],
                    member=member.user,
                    context=form.cleaned_data["context"],
                )
        except AlertError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The alert is raised and the person on duty has been paged.")
                if is_staffed(staffed_hours_for(organisation), clock.now())
                else _(
                    "The alert is raised. It is outside staffed hours: it will page the first "
                    "person on duty, and the safeguarding leads have been told."
                ),
            )
            if access.can_handle_alerts(user, organisation):
                return redirect("safeguarding:alerts_dashboard", slug=organisation.slug)
            return redirect("safeguarding:alerts_raised")
    return render(
        request,
        "safeguarding/alert_raise.jinja",
        {
            "form": form,
            "member": member,
            "organisation": organisation,
            "tier_rows": [alert_tier_for(organisation, n) for n in (1, 2, 3)],
            **staffed_context(organisation.pk),
        },
    )


@login_required
@require_safe
def alerts_raised(request: HttpRequest) -> HttpResponse:
    """The alerts she raised: their state and who has them (a peer supporter's view)."""
    user = _user(request)
    if not is_staff_person(user):
        raise Http404
    return render(
        request,
        "safeguarding/alerts_raised.jinja",
        {"alerts": list(access.alerts_raised_by(user)[:50])},
    )


# Staff: the rota -------------------------------------------------------------------------------


def _rota_page(
    request: HttpRequest, user: User, organisation: Organisation, *, new_feed_url: str = ""
) -> HttpResponse:
    feed = access.get_own_duty_feed(user)
    return render(
        request,
        "safeguarding/rota.jinja",
        {
            "organisation": organisation,
            "coverage": coverage_for(organisation, start=clock.now(), days=28),
            "has_feed": feed is not None,
            "new_feed_url": new_feed_url,
            "can_manage": access.can_manage_rota(user, organisation),
            **staffed_context(organisation.pk),
        },
    )


@login_required
@require_safe
def rota(request: HttpRequest, slug: str) -> HttpResponse:
    """The next four weeks: shifts, uncovered staffed hours, uneven shares, unreachable people."""
    user = _user(request)
    return _rota_page(request, user, access.rota_organisation(user, slug))


@login_required
@require_POST
def duty_feed_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new shifts calendar address, shown once in this answer and kept nowhere: only its
    hash is stored, and the page is not cached."""
    user = _user(request)
    organisation = access.rota_organisation(user, slug)
    token = duty_feed_reset(actor=user)
    address = request.build_absolute_uri(reverse("safeguarding:duty_feed", kwargs={"token": token}))
    messages.success(request, _("Here is your shifts calendar address. Any older one has stopped."))
    response = _rota_page(request, user, organisation, new_feed_url=address)
    patch_cache_control(response, no_store=True, private=True)
    return response


@require_safe
def duty_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Her own shifts as a calendar feed: the token is the secret; no sign-in."""
    feed = access.get_duty_feed_for_token(token)
    body = duty_calendar(
        feed.user,
        rota_url=lambda organisation: request.build_absolute_uri(
            reverse("safeguarding:rota", kwargs={"slug": organisation.slug})
        ),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="peerpath-duty.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True)
    return response
