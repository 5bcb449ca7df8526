"""One-to-one support: she asks and sees what happens next; coordinators see the queue and the
suggestions with their reasons, and propose; the supporter answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peerpath.accounts.access import her_member_place
from peerpath.accounts.choices import Experience, Language
from peerpath.accounts.decorators import member_health_pages
from peerpath.accounts.models import Membership, User
from peerpath.buddying import access
from peerpath.buddying.choices import Mode, RequestStatus
from peerpath.buddying.forms import (
    REMINDER_TIMES,
    AgreementForm,
    AskForm,
    ContactForm,
    DeclineForm,
    EndForm,
    FeedbackForm,
    GoalForm,
    ReminderFields,
    ReviewForm,
    StepForm,
)
from peerpath.buddying.matching import Suggestion, slots, times_words
from peerpath.buddying.models import Match, SupportRequest
from peerpath.buddying.service_levels import expected_by, levels_of, queue
from peerpath.buddying.services import (
    RHYTHM_DAYS,
    MatchingError,
    contact_log,
    feedback_give,
    goal_add,
    goal_done,
    match_agreement_update,
    match_end_planned,
    match_pause,
    match_someone_else,
    proposal_accept,
    proposal_create,
    proposal_decline,
    review_record,
    reviews_due,
    step_add,
    step_done,
    step_remind,
    support_request_create,
    support_request_withdraw,
    supporter_interest_take,
)
from peerpath.buddying.suggestions import (
    candidates,
    still_suitable,
    suggestion_for,
    suggestions_for,
    supporter_places,
)
from peerpath.core import clock


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


def _her_place(request: HttpRequest) -> Membership:
    membership = her_member_place(_user(request))
    if membership is None:
        raise Http404
    return membership


def wish_rows(
    support_request: SupportRequest, *, for_coordinator: bool = True
) -> list[tuple[str, str]]:
    """What she asked for, in words. What has been happening is for the coordinators alone
    (the form tells her so); the supporter asked sees the rest."""
    modes = dict(Mode.choices)
    languages = dict(Language.choices)
    experiences = dict(Experience.choices)
    return [
        (_("Keeping in touch"), ", ".join(str(modes.get(m, m)) for m in support_request.modes)),
        (_("How often"), support_request.get_rhythm_display()),
        (_("Town or area"), support_request.area),
        (_("Free"), times_words(slots(support_request.availability))),
        (
            _("Languages"),
            ", ".join(str(languages.get(key, key)) for key in support_request.languages),
        ),
        (
            _("Would like her to have been through"),
            "; ".join(str(experiences.get(key, key)) for key in support_request.experiences),
        ),
        *([(_("What has been happening"), support_request.story)] if for_coordinator else []),
        (_("What she hopes for"), support_request.hopes),
    ]


# Her pages ----------------------------------------------------------------------------------


@member_health_pages
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """Where she stands: nothing asked yet, waiting (with what happens next), or matched."""
    membership = _her_place(request)
    open_request = access.her_open_request(membership)
    context: dict[str, Any] = {
        "membership": membership,
        "open_request": open_request,
        "matches": access.her_matches(membership),
        "expected_by": (
            expected_by(open_request, levels_of(membership.organisation)) if open_request else None
        ),
        "levels": levels_of(membership.organisation),
    }
    return render(request, "buddying/mine.jinja", context)


@member_health_pages
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    membership = _her_place(request)
    if access.her_open_request(membership) is not None:
        messages.info(request, _("You have already asked. Here is where your request is."))
        return redirect("buddying:mine")
    profile = access.her_profile(membership)
    form = AskForm(
        request.POST or None,
        initial=AskForm.initial_for(profile, access.her_last_request(membership)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            support_request_create(actor=_user(request), member=membership, **form.wish())
        except MatchingError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, _("We have your request. Here is what happens next."))
        return redirect("buddying:mine")
    return render(
        request,
        "buddying/ask.jinja",
        {"form": form, "levels": levels_of(membership.organisation)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest) -> HttpResponse:
    """Withdrawing needs no consent to the use of health data: she can always stop."""
    membership = _her_place(request)
    open_request = access.her_open_request(membership)
    if open_request is None:
        return redirect("buddying:mine")
    if request.method == "POST":
        try:
            support_request_withdraw(actor=_user(request), request=open_request)
        except MatchingError as error:
            messages.info(request, str(error))
        else:
            messages.success(
                request, _("Your request is withdrawn. You can ask again whenever you like.")
            )
        return redirect("buddying:mine")
    return render(request, "buddying/withdraw.jinja", {"open_request": open_request})


@member_health_pages
@require_http_methods(["GET", "POST"])
def someone_else(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = _her_place(request)
    match = access.get_her_match(membership, public_id)
    if request.method == "POST":
        try:
            match_someone_else(actor=_user(request), match=match)
        except MatchingError as error:
            messages.info(request, str(error))
        else:
            messages.success(
                request,
                _("We will find you someone else. %(name)s will not be asked again.")
                % {"name": match.supporter.user.display_name},
            )
        return redirect("buddying:mine")
    return render(request, "buddying/someone_else.jinja", {"match": match})


# Coordinators -------------------------------------------------------------------------------


@login_required
@require_safe
def queue_home(request: HttpRequest) -> HttpResponse:
    """Staff who coordinate in one organisation go straight to its queue."""
    organisations = access.matching_organisations(_user(request))
    if not organisations:
        raise Http404
    return redirect("buddying:queue", slug=organisations[0].slug)


@login_required
@require_safe
def queue_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.matching_organisation(_user(request), slug)
    levels = levels_of(organisation)
    rows = queue(access.open_requests(organisation), levels)
    return render(
        request,
        "buddying/queue.jinja",
        {
            "organisation": organisation,
            "levels": levels,
            "rows": rows,
            "late": sum(1 for row in rows if row.late),
            "interests": access.waiting_interests(organisation),
        },
    )


def _request_page(
    request: HttpRequest, slug: str, public_id: str, *, error: str = ""
) -> HttpResponse:
    user = _user(request)
    organisation = access.matching_organisation(user, slug)
    support_request = access.get_request(user, organisation, public_id)
    levels = levels_of(organisation)
    suggestions, excluded = suggestions_for(support_request)
    row = queue([support_request], levels)[0]
    return render(
        request,
        "buddying/request_detail.jinja",
        {
            "organisation": organisation,
            "support_request": support_request,
            "rows": wish_rows(support_request),
            "row": row,
            "suggestions": suggestions,
            "excluded": excluded,
            "proposals": access.proposals_of(support_request),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_safe
def request_detail(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    return _request_page(request, slug, public_id)


@login_required
@require_POST
def propose(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user = _user(request)
    organisation = access.matching_organisation(user, slug)
    support_request = access.get_request(user, organisation, public_id)
    try:
        supporter_key = int(request.POST.get("supporter", ""))
    except ValueError:
        supporter_key = 0
    with transaction.atomic():
        suggestion: Suggestion | None = suggestion_for(support_request, supporter_key)
        if suggestion is None:
            return _request_page(
                request,
                slug,
                public_id,
                error=_(
                    "That peer supporter cannot be asked now: see the reasons under "
                    "“Left out”, or choose someone else."
                ),
            )
        try:
            proposal_create(actor=user, request=support_request, suggestion=suggestion)
        except MatchingError as error:
            return _request_page(request, slug, public_id, error=str(error))
    messages.success(
        request,
        _("%(name)s has been asked. You will be told when she answers.")
        % {"name": suggestion.candidate.name},
    )
    return redirect("buddying:request_detail", slug=slug, public_id=public_id)


# Supporters ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    found = access.get_proposal(user, public_id)
    form = DeclineForm(request.POST if request.POST.get("answer") == "no" else None)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "yes":
                with transaction.atomic():
                    proposal_accept(
                        actor=user, proposal=found, still_suitable=still_suitable(found.supporter)
                    )
                messages.success(
                    request,
                    _("Thank you. %(name)s has been told you will be in touch.")
                    % {"name": found.request.member.user.display_name},
                )
                return redirect("accounts:staff_home")
            if form.is_valid():
                proposal_decline(actor=user, proposal=found, reason=form.cleaned_data["reason"])
                messages.success(request, _("Thank you. The coordinator will ask someone else."))
                return redirect("accounts:staff_home")
        except MatchingError as error_found:
            error = str(error_found)
    if not access.proposal_open_to_her(user, found):
        return render(request, "buddying/proposal_closed.jinja", {"proposal": found})
    return render(
        request,
        "buddying/proposal.jinja",
        {
            "proposal": found,
            "support_request": found.request,
            "rows": wish_rows(found.request, for_coordinator=False),
            "form": form,
            "error": error,
            "waiting": found.status == "waiting" and found.request.status == RequestStatus.PROPOSED,
        },
        status=400 if (request.method == "POST") else 200,
    )


# The match: her page and the supporter's (and the coordinator's, to review) -------------------

MEMBER = "member"


def _match_for(request: HttpRequest, public_id: str, side: str) -> tuple[Match, str]:
    if side == MEMBER:
        return access.get_her_match(_her_place(request), public_id), MEMBER
    return access.get_match_for_staff(_user(request), public_id)


def _writer(request: HttpRequest, public_id: str, side: str) -> tuple[Match, str]:
    """Goals and steps are written by the two people in the match; a coordinator reads."""
    match, seen_as = _match_for(request, public_id, side)
    if seen_as not in {MEMBER, access.SUPPORTER}:
        raise Http404
    return match, seen_as


def _match_url(match: Match, seen_as: str) -> str:
    name = "buddying:match" if seen_as == MEMBER else "buddying:match_staff"
    return reverse(name, kwargs={"public_id": match.public_id})


def _render_match(
    request: HttpRequest, match: Match, seen_as: str, *, status: int = 200, **forms: Any
) -> HttpResponse:
    goals = access.goals_of(match)
    context: dict[str, Any] = {
        "match": match,
        "seen_as": seen_as,
        "can_write": seen_as in {MEMBER, access.SUPPORTER},
        "goals": goals,
        "goal_form": forms.get("goal_form") or GoalForm(),
        "step_forms": {
            goal.pk: forms["step_form"]
            if forms.get("step_goal") == goal.pk
            else StepForm(prefix=f"g{goal.pk}")
            for goal in goals
        },
        "agreement_form": forms.get("agreement_form")
        or AgreementForm(initial={"rhythm": match.rhythm, "modes": match.modes}),
        "contacts": access.contacts_of(match) if seen_as != MEMBER else [],
        "modes_words": ", ".join(str(dict(Mode.choices).get(m, m)) for m in match.modes).lower(),
        "reminder_times": REMINDER_TIMES,
        "reviews": (reviews := access.reviews_of(match)),
        "reviews_due": reviews_due(match, reviews),
        "today": clock.today(),
        "now": clock.now(),
        "suffix": "" if seen_as == MEMBER else "_staff",
    }
    return render(request, "buddying/match.jinja", context, status=status)


def _match_page(request: HttpRequest, public_id: str, side: str) -> HttpResponse:
    match, seen_as = _match_for(request, public_id, side)
    return _render_match(request, match, seen_as)


def _agreement(request: HttpRequest, public_id: str, side: str) -> HttpResponse:
    match, seen_as = _writer(request, public_id, side)
    form = AgreementForm(request.POST)
    if not form.is_valid():
        return _render_match(request, match, seen_as, status=400, agreement_form=form)
    match_agreement_update(
        actor=_user(request),
        match=match,
        rhythm=form.cleaned_data["rhythm"],
        modes=form.cleaned_data["modes"],
    )
    messages.success(request, _("Saved how you keep in touch."))
    return redirect(_match_url(match, seen_as))


def _goal_add(request: HttpRequest, public_id: str, side: str) -> HttpResponse:
    match, seen_as = _writer(request, public_id, side)
    form = GoalForm(request.POST)
    if not form.is_valid():
        return _render_match(request, match, seen_as, status=400, goal_form=form)
    goal_add(actor=_user(request), match=match, words=form.cleaned_data["words"])
    messages.success(request, _("Goal added."))
    return redirect(_match_url(match, seen_as))


def _goal_done(request: HttpRequest, public_id: str, goal_id: str, side: str) -> HttpResponse:
    match, seen_as = _writer(request, public_id, side)
    try:
        goal_done(actor=_user(request), goal=access.get_goal(match, goal_id))
    except MatchingError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("Well done. That goal is marked as reached."))
    return redirect(_match_url(match, seen_as))


def _step_add(request: HttpRequest, public_id: str, goal_id: str, side: str) -> HttpResponse:
    match, seen_as = _writer(request, public_id, side)
    goal = access.get_goal(match, goal_id)
    if goal.done_at is not None:
        messages.info(request, _("This goal is already reached: add a new goal instead."))
        return redirect(_match_url(match, seen_as))
    form = StepForm(request.POST, prefix=f"g{goal.pk}")
    if form.is_valid():
        try:
            step_add(
                actor=_user(request),
                goal=goal,
                words=form.cleaned_data["words"],
                remind_at=form.remind_at() if seen_as == MEMBER else None,
            )
        except MatchingError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("Step added."))
            return redirect(_match_url(match, seen_as))
    return _render_match(request, match, seen_as, status=400, step_form=form, step_goal=goal.pk)


def _step_done(request: HttpRequest, public_id: str, step_id: str, side: str) -> HttpResponse:
    match, seen_as = _writer(request, public_id, side)
    try:
        step_done(actor=_user(request), step=access.get_step(match, step_id))
    except MatchingError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("Step done."))
    return redirect(_match_url(match, seen_as))


def _step_remind(request: HttpRequest, public_id: str, step_id: str, side: str) -> HttpResponse:
    """Her reminder for a step: only she chooses when she is reminded."""
    match, seen_as = _writer(request, public_id, side)
    if seen_as != MEMBER:
        raise Http404
    step = access.get_step(match, step_id)
    form = ReminderFields(request.POST, prefix=f"s{step.pk}")
    if form.is_valid():
        try:
            step_remind(actor=_user(request), step=step, remind_at=form.remind_at())
        except MatchingError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(
                request,
                _("We will remind you then.") if step.remind_at else _("Reminder stopped."),
            )
            return redirect(_match_url(match, seen_as))
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_match_url(match, seen_as))


def _both(view: Any, method: Any) -> tuple[Any, Any]:
    """The member's route (her consent to health data use first) and the staff route."""
    guarded = method(view)
    return member_health_pages(guarded), login_required(guarded)


match_page_member, match_page_staff = _both(_match_page, require_safe)
agreement_member, agreement_staff = _both(_agreement, require_POST)
goal_add_member, goal_add_staff = _both(_goal_add, require_POST)
goal_done_member, goal_done_staff = _both(_goal_done, require_POST)
step_add_member, step_add_staff = _both(_step_add, require_POST)
step_done_member, step_done_staff = _both(_step_done, require_POST)
step_remind_member = member_health_pages(require_POST(_step_remind))


@login_required
@require_http_methods(["GET", "POST"])
def contact_log_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The supporter logs a contact; a worry goes to the person on duty as an alert."""
    user = _user(request)
    match, seen_as = access.get_match_for_staff(user, public_id)
    if seen_as != access.SUPPORTER:
        raise Http404
    form = ContactForm(
        request.POST or None,
        initial={"happened_on": clock.today(), "mode": (match.modes or [""])[0]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = contact_log(
                actor=user,
                match=match,
                happened_on=data["happened_on"],
                mode=data["mode"],
                minutes=data["minutes"],
                talked_about=data["talked_about"],
                follow_ups=data["follow_ups"],
                worry_tier=data["worry_tier"],
                worry=data["worry"],
            )
        except MatchingError as error:
            form.add_error("happened_on", str(error))
        else:
            if contact.alert_id:
                messages.warning(
                    request,
                    _(
                        "Contact logged. The person on duty has been told you are worried "
                        "and will act on it. If she or her baby are in danger now, call 999."
                    ),
                )
            else:
                messages.success(request, _("Contact logged."))
            return redirect(_match_url(match, seen_as))
    return render(
        request,
        "buddying/contact_log.jinja",
        {"match": match, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _staff_writer(request: HttpRequest, public_id: str) -> Match:
    """Pausing, reviews and endings: her supporter, or a coordinator."""
    match, _seen_as = access.get_match_for_staff(_user(request), public_id)
    if match.status != "active":
        raise Http404
    return match


@login_required
@require_POST
def pause(request: HttpRequest, public_id: str) -> HttpResponse:
    match = _staff_writer(request, public_id)
    paused = request.POST.get("paused") == "yes"
    match_pause(actor=_user(request), match=match, paused=paused)
    messages.success(
        request,
        _("Paused. There will be no reminders about contact until you resume.")
        if paused
        else _("Resumed."),
    )
    return redirect("buddying:match_staff", public_id=match.public_id)


@login_required
@require_POST
def review(request: HttpRequest, public_id: str) -> HttpResponse:
    match = _staff_writer(request, public_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review_record(actor=_user(request), match=match, **form.cleaned_data)
        except MatchingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Review recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("buddying:match_staff", public_id=match.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, public_id: str) -> HttpResponse:
    match = _staff_writer(request, public_id)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        match_end_planned(actor=_user(request), match=match, goodbye=form.cleaned_data["goodbye"])
        messages.success(
            request,
            _("The support has ended. %(name)s has been told, with your message.")
            % {"name": match.member.user.display_name},
        )
        return redirect("accounts:staff_home")
    return render(request, "buddying/end.jinja", {"match": match, "form": form})


@member_health_pages
@require_http_methods(["GET", "POST"])
def goodbye(request: HttpRequest, public_id: str) -> HttpResponse:
    """After a planned ending: the goodbye, what comes next, and how it went."""
    match = access.get_her_ended_match(_her_place(request), public_id)
    given = access.feedback_given(match)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and not given and form.is_valid():
        try:
            feedback_give(actor=_user(request), match=match, **form.cleaned_data)
        except MatchingError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, _("Thank you for telling us."))
        return redirect("buddying:goodbye", public_id=match.public_id)
    return render(
        request,
        "buddying/goodbye.jinja",
        {"match": match, "form": form, "given": given},
        status=400 if request.method == "POST" and not given else 200,
    )


@login_required
@require_POST
def interest_take(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    user = _user(request)
    organisation = access.matching_organisation(user, slug)
    interest = access.get_interest(user, organisation, public_id)
    supporter_interest_take(actor=user, interest=interest)
    messages.success(request, _("Marked as taken into training."))
    return redirect("buddying:queue", slug=slug)


@login_required
@require_safe
def matches_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Caseloads against capacity, and every match with its last contact: those gone quiet
    against their rhythm first."""
    organisation = access.matching_organisation(_user(request), slug)
    today = clock.today()
    places = supporter_places(organisation)
    rows: list[dict[str, Any]] = []
    for match in access.active_matches(organisation):
        every = RHYTHM_DAYS.get(match.rhythm, RHYTHM_DAYS["monthly"])
        since = getattr(match, "last_contact", None) or timezone.localtime(match.created_at).date()
        quiet = (today - since).days
        rows.append(
            {
                "match": match,
                "quiet_days": quiet,
                "overdue": match.paused_at is None and quiet > every,
            }
        )
    rows.sort(key=lambda row: (not row["overdue"], -row["quiet_days"]))
    return render(
        request,
        "buddying/matches.jinja",
        {
            "organisation": organisation,
            "caseloads": candidates(places),
            "rows": rows,
            "overdue": sum(1 for row in rows if row["overdue"]),
        },
    )
