"""The coordinators' overview of peer supporters, one supporter's record with its forms, and a
peer supporter's own page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from peerpath.accounts.models import Membership, Organisation, User
from peerpath.core import clock
from peerpath.supervision import access
from peerpath.supervision.forms import (
    BackgroundCheckForm,
    CaseloadForm,
    SupervisionSessionForm,
    TrainingCompletionForm,
    WellbeingForm,
)
from peerpath.supervision.readiness import caseload_limits, standing_of, supervision_interval
from peerpath.supervision.services import (
    SupervisionError,
    background_check_record,
    supervision_session_record,
    supporter_caseload_set,
    training_completion_record,
    wellbeing_checkin_follow_up,
    wellbeing_checkin_submit,
)


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


# Coordinators and safeguarding leads ---------------------------------------------------------


@login_required
@require_safe
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Every peer supporter: ready or not (and why), her caseload limit, supervision due,
    training expiring soon, debriefs due and wellbeing flags. The same few queries however
    many supporters."""
    user = _user(request)
    organisation = access.supervision_organisation(user, slug)
    supporters = access.peer_supporters_of(user, organisation)
    today = clock.today()
    standings = standing_of(supporters, today=today)
    limits = caseload_limits(supporters)
    extra = access.overview_of(user, supporters)
    rows = [
        {
            "supporter": supporter,
            "standing": standings[supporter.pk],
            "limit": limits.get(supporter.pk, organisation.default_caseload),
            "debriefs": extra["debriefs"].get(supporter.pk, 0),
            "wellbeing": extra["wellbeing"].get(supporter.pk),
        }
        for supporter in supporters
    ]
    return render(
        request,
        "supervision/overview.jinja",
        {
            "organisation": organisation,
            "rows": rows,
            "today": today,
            "ready_count": sum(1 for row in rows if row["standing"].readiness.ready),
            "interval": supervision_interval(organisation.pk),
        },
    )


def _forms_for(
    request: HttpRequest | None,
    *,
    user: User,
    organisation: Organisation,
    supporter: Membership,
    default_limit: int,
    current_limit: int | None,
) -> dict[str, forms.Form]:
    data = request.POST if request is not None else None
    return {
        "training": TrainingCompletionForm(
            data, modules=access.modules_to_record(user, organisation)
        ),
        "check": BackgroundCheckForm(data),
        "session": SupervisionSessionForm(
            data,
            people=access.supervisors_of(user, organisation),
            supporter=supporter,
            initial={"supervisor": str(user.public_id), "held_on": clock.today()},
        ),
        "caseload": CaseloadForm(data, default=default_limit, initial={"limit": current_limit}),
    }


def _record_page(
    request: HttpRequest,
    user: User,
    organisation: Organisation,
    supporter: Membership,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    standing = standing_of([supporter], today=today)[supporter.pk]
    profile = getattr(supporter, "supporter_profile", None)
    current_limit = profile.capacity if profile is not None else None
    default_limit = organisation.default_caseload
    page_forms = _forms_for(
        None,
        user=user,
        organisation=organisation,
        supporter=supporter,
        default_limit=default_limit,
        current_limit=current_limit,
    )
    page_forms.update(bound or {})
    return render(
        request,
        "supervision/supporter.jinja",
        {
            "organisation": organisation,
            "supporter": supporter,
            "standing": standing,
            "today": today,
            "limit": caseload_limits([supporter]).get(supporter.pk, default_limit),
            "own_limit": current_limit,
            "default_limit": default_limit,
            "completions": access.completions_of(user, supporter),
            "checks": access.checks_of(user, supporter),
            "sessions": access.sessions_of(user, supporter),
            "debriefs": access.debriefs_of(user, supporter),
            "wellbeing": access.wellbeing_of(user, supporter),
            "errors_in": next(iter(bound), "") if bound else "",
            **{f"{name}_form": form for name, form in page_forms.items()},
        },
        status=status,
    )


@login_required
@require_safe
def supporter(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user = _user(request)
    organisation = access.supervision_organisation(user, slug)
    found = access.get_supporter_for_user(user, organisation, public_id)
    return _record_page(request, user, organisation, found)


Act = Callable[[User, Membership, dict[str, Any]], str]


def _post_form(
    request: HttpRequest,
    slug: str,
    public_id: str,
    name: str,
    act: Act,
) -> HttpResponse:
    """Run ``act`` for a valid form and say what it did; otherwise show her record again with
    the form's errors beside its fields and what was typed kept."""
    user = _user(request)
    organisation = access.supervision_organisation(user, slug)
    found = access.get_supporter_for_user(user, organisation, public_id)
    profile = getattr(found, "supporter_profile", None)
    form = _forms_for(
        request,
        user=user,
        organisation=organisation,
        supporter=found,
        default_limit=organisation.default_caseload,
        current_limit=profile.capacity if profile is not None else None,
    )[name]
    if form.is_valid():
        try:
            with transaction.atomic():
                message = act(user, found, form.cleaned_data)
        except SupervisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            record = reverse(
                "supervision:supporter", kwargs={"slug": slug, "public_id": found.public_id}
            )
            return redirect(f"{record}#maincontent")
    return _record_page(request, user, organisation, found, bound={name: form}, status=400)


@login_required
@require_POST
def training_record(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    def act(user: User, found: Membership, data: dict[str, Any]) -> str:
        training_completion_record(
            actor=user, supporter=found, module=data["module"], completed_on=data["completed_on"]
        )
        return _("Training recorded.")

    return _post_form(request, slug, public_id, "training", act)


@login_required
@require_POST
def check_record(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    def act(user: User, found: Membership, data: dict[str, Any]) -> str:
        background_check_record(
            actor=user,
            supporter=found,
            kind=data["kind"],
            checked_on=data["checked_on"],
            outcome=data["outcome"],
            renew_by=data["renew_by"],
            reference=data["reference"],
        )
        return _("Background check recorded.")

    return _post_form(request, slug, public_id, "check", act)


@login_required
@require_POST
def session_record(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    def act(user: User, found: Membership, data: dict[str, Any]) -> str:
        supervision_session_record(
            actor=user,
            supporter=found,
            supervisor=data["supervisor"],
            held_on=data["held_on"],
            notes=data["notes"],
            agreed_actions=data["agreed_actions"],
            is_debrief=data["is_debrief"],
        )
        return _("Supervision session recorded.")

    return _post_form(request, slug, public_id, "session", act)


@login_required
@require_POST
def caseload_set(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    def act(user: User, found: Membership, data: dict[str, Any]) -> str:
        supporter_caseload_set(actor=user, supporter=found, limit=data["limit"])
        if data["limit"] is None:
            return _("She now has your organisation's limit.")
        return _("Her limit is now %(limit)s active matches.") % {"limit": data["limit"]}

    return _post_form(request, slug, public_id, "caseload", act)


@login_required
@require_POST
def wellbeing_followed_up(
    request: HttpRequest, slug: str, public_id: str, checkin_id: str
) -> HttpResponse:
    user = _user(request)
    organisation = access.supervision_organisation(user, slug)
    found = access.get_supporter_for_user(user, organisation, public_id)
    checkin = access.get_wellbeing_for_user(user, organisation, found, checkin_id)
    wellbeing_checkin_follow_up(actor=user, checkin=checkin)
    messages.success(request, _("Marked as followed up."))
    return redirect("supervision:supporter", slug=slug, public_id=found.public_id)


# The peer supporter herself -----------------------------------------------------------------


def _mine(
    request: HttpRequest, user: User, *, form: WellbeingForm | None = None, status: int = 200
) -> HttpResponse:
    places = access.own_supporter_places(user)
    if not places:
        raise Http404
    today = clock.today()
    standings = standing_of(places, today=today)
    limits = caseload_limits(places)
    sections = [
        {
            "place": place,
            "standing": standings[place.pk],
            "limit": limits.get(place.pk),
            "sessions": access.own_sessions(user, place),
            "debriefs": access.own_debriefs(user, place),
            "latest": access.own_wellbeing(user, place).first(),
        }
        for place in places
    ]
    return render(
        request,
        "supervision/mine.jinja",
        {
            "sections": sections,
            "today": today,
            "form": form or WellbeingForm(places=places),
        },
        status=status,
    )


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """Her readiness in plain words, training and expiry dates, next supervision, debriefs
    due, what was agreed in her sessions, and her wellbeing check-in."""
    return _mine(request, _user(request))


@login_required
@require_POST
def wellbeing(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    places = access.own_supporter_places(user)
    if not places:
        raise Http404
    form = WellbeingForm(_posted(request), places=places)
    if form.is_valid():
        place = form.chosen_place()
        checkin = wellbeing_checkin_submit(
            actor=user,
            supporter=place,
            feeling=form.cleaned_data["feeling"],
            note=form.cleaned_data["note"],
            wants_to_talk=form.cleaned_data["wants_to_talk"],
        )
        messages.success(
            request,
            _("Thank you. Your coordinators have been told you would like a word.")
            if checkin.needs_a_word
            else _("Thank you for letting us know."),
        )
        return redirect("supervision:mine")
    return _mine(request, user, form=form, status=400)
