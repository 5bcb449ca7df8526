"""Her check-ins: before she starts, one question a page, her result in plain words, her trend,
sharing and reminders; and the page someone she shares with sees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from markupsafe import Markup, escape

from peerpath.accounts.decorators import member_health_pages
from peerpath.accounts.models import Membership, User
from peerpath.buddying.querysets import supporters_of
from peerpath.checkins import access, instruments
from peerpath.checkins.charts import Band as ChartBand
from peerpath.checkins.charts import Point, trend_svg
from peerpath.checkins.forms import AnswerForm, ReminderForm, ShareForm
from peerpath.checkins.models import CheckIn, CheckInStatus
from peerpath.checkins.services import (
    CheckInError,
    answers_of,
    checkin_answer,
    checkin_complete,
    checkin_discard,
    checkin_late_risk_answer,
    checkin_start,
    reminder_save,
    reminder_stop,
    share_save,
    share_stop,
)
from peerpath.core import clock
from peerpath.safeguarding.crisis import crisis_contacts_context, staffed_context

MAX_OPTION_DIGITS = 2  # no measure has more than 99 answers to a question
KEPT = gettext_lazy("Your answers so far are kept. Carry on whenever you like.")


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


def offered() -> list[instruments.Instrument]:
    """The measures members are offered: the EPDS only with its licensed wording, unless this
    site allows the placeholder (tests and the demo)."""
    allow_placeholder = getattr(settings, "CHECKINS_EPDS_PLACEHOLDER_ALLOWED", False)
    return [
        instrument
        for instrument in instruments.all_instruments()
        if instrument.text_licensed or allow_placeholder
    ]


def _offered_instrument(instrument_id: str) -> instruments.Instrument:
    for instrument in offered():
        if instrument.id == instrument_id:
            return instrument
    raise Http404


_member_pages = member_health_pages


def _latest_by_measure(membership: Membership) -> dict[str, Any]:
    return access.latest_results(membership)


@_member_pages
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    membership = access.her_membership(_user(request))
    drafts = list(
        access.own_checkins(membership).filter(status=CheckInStatus.DRAFT).order_by("-updated_at")
    )
    latest = _latest_by_measure(membership)
    measures = offered()
    titles = {m.id: m for m in instruments.all_instruments()}
    return render(
        request,
        "checkins/home.jinja",
        {
            "measures": measures,
            "drafts": [(d, titles.get(d.instrument)) for d in drafts],
            "latest": latest,
            "titles": titles,
            "reminder": access.own_reminder(membership),
            "shares": access.own_live_shares(membership),
        },
    )


def _before_context(membership: Membership) -> dict[str, Any]:
    return {"organisation": membership.organisation, **staffed_context(membership.organisation_id)}


@_member_pages
@require_safe
def before(request: HttpRequest, instrument_id: str) -> HttpResponse:
    """What happens to her answers, shown every time before she starts."""
    membership = access.her_membership(_user(request))
    instrument = _offered_instrument(instrument_id)
    draft = (
        access.own_checkins(membership)
        .filter(instrument=instrument.id, status=CheckInStatus.DRAFT)
        .first()
    )
    return render(
        request,
        "checkins/before.jinja",
        {"instrument": instrument, "draft": draft, **_before_context(membership)},
    )


@_member_pages
@require_POST
def start(request: HttpRequest, instrument_id: str) -> HttpResponse:
    user = _user(request)
    membership = access.her_membership(user)
    instrument = _offered_instrument(instrument_id)
    checkin = checkin_start(actor=user, membership=membership, instrument_id=instrument.id)
    following = _next_question_url(checkin, instrument)
    if following:
        return redirect(following)
    checkin_complete(actor=user, checkin=checkin)  # a draft with every answer, left unfinished
    return redirect("checkins:result", public_id=checkin.public_id)


def _question_url(checkin: CheckIn, number: int) -> str:
    return reverse("checkins:question", kwargs={"public_id": checkin.public_id, "number": number})


def _asked(instrument: instruments.Instrument, answers: dict[int, int]) -> list[instruments.Item]:
    """The questions she is asked: the unscored "how difficult" question only when some
    answer scored more than 0 (it asks about the problems she checked)."""
    any_problem = any(
        instruments.option_score(instrument, number, index) > 0
        for number, index in answers.items()
        if instrument.item(number).scored
    )
    return [item for item in instrument.items if item.scored or any_problem]


def _next_question_url(checkin: CheckIn, instrument: instruments.Instrument, after: int = 0) -> str:
    """The first question after ``after`` she has not answered; the first unanswered scored
    question before it if every later one is answered; "" when she has answered them all."""
    answers = answers_of(checkin)
    asked = _asked(instrument, answers)
    for item in asked:
        if item.number > after and item.number not in answers:
            return _question_url(checkin, item.number)
    for item in asked:
        if item.scored and item.number not in answers:
            return _question_url(checkin, item.number)
    return ""


def _late_answer(request: HttpRequest, user: User, checkin: CheckIn, number: int) -> HttpResponse:
    """An answer sent after the check-in was finished (a page left open): nothing changes,
    except that a risk answer still reaches the team and her result shows the routes first."""
    value = request.POST.get("answer", "")
    if value.isascii() and value.isdigit() and len(value) <= MAX_OPTION_DIGITS:
        checkin_late_risk_answer(
            actor=user, checkin=checkin, item_number=number, option_index=int(value)
        )
    return redirect("checkins:result", public_id=checkin.public_id)


def _answered(  # noqa: PLR0917 - the one step of the page that keeps an answer
    request: HttpRequest,
    user: User,
    checkin: CheckIn,
    instrument: instruments.Instrument,
    number: int,
    chosen: int | None,
    stopping: bool,
) -> HttpResponse:
    """Keep her answer, then: the routes that answer now after a risk answer, home if she is
    stopping, the next question, or her result."""
    try:
        answered = checkin_answer(
            actor=user, checkin=checkin, item_number=number, option_index=chosen
        )
        following = _next_question_url(answered.checkin, instrument, after=number)
        if answered.alert_raised and following:
            # The routes that answer now, at once: not after the rest of the questions.
            return redirect("checkins:risk_help", public_id=checkin.public_id)
        if stopping:
            messages.success(request, KEPT)
            return redirect("checkins:home")
        if following:
            return redirect(following)
        checkin_complete(actor=user, checkin=answered.checkin)
    except CheckInError:  # finished, or thrown away, in another tab a moment ago
        if not access.own_checkins(checkin.membership).filter(pk=checkin.pk).exists():
            return redirect("checkins:home")
    return redirect("checkins:result", public_id=checkin.public_id)


@_member_pages
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, public_id: str, number: int) -> HttpResponse:
    user = _user(request)
    checkin = access.get_own_checkin(user, public_id)
    if checkin.status != CheckInStatus.DRAFT:
        if request.method == "POST":
            return _late_answer(request, user, checkin, number)
        return redirect("checkins:result", public_id=checkin.public_id)
    instrument = _offered_instrument(checkin.instrument)
    items = {item.number: item for item in instrument.items}
    item = items.get(number)
    if item is None:
        raise Http404
    answers = answers_of(checkin)
    saved = answers.get(number)
    stopping = request.method == "POST" and "stop" in request.POST
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        item=item,
        initial={"answer": str(saved)} if saved is not None else None,
    )
    if stopping and not form.is_valid():
        # "Stop for now" with nothing chosen: nothing to keep, and nothing wrong.
        messages.success(request, KEPT)
        return redirect("checkins:home")
    if request.method == "POST" and form.is_valid():
        return _answered(request, user, checkin, instrument, number, form.chosen(), stopping)
    # Counted among the scored questions; the optional one is "one more question".
    numbers = [i.number for i in instrument.scored_items]
    position = numbers.index(number) + 1 if number in numbers else len(numbers)
    previous = [i.number for i in _asked(instrument, answers) if i.number < number]
    return render(
        request,
        "checkins/question.jinja",
        {
            "checkin": checkin,
            "instrument": instrument,
            "item": item,
            "form": form,
            "position": position,
            "count": len(numbers),
            "back": _question_url(checkin, previous[-1]) if previous else "",
        },
    )


@_member_pages
@require_safe
def risk_help(request: HttpRequest, public_id: str) -> HttpResponse:
    """Straight after a risk answer: the routes that answer now, that the team knows, and a
    way to carry on or stop."""
    checkin = access.get_own_checkin(_user(request), public_id)
    if checkin.alert_id is None:
        return redirect("checkins:home")
    membership = checkin.membership
    following = (
        _next_question_url(checkin, instruments.get(checkin.instrument))
        if checkin.status == CheckInStatus.DRAFT
        else ""
    )
    return render(
        request,
        "checkins/risk_help.jinja",
        {
            "checkin": checkin,
            "following": following,
            "organisation": membership.organisation,
            **crisis_contacts_context(membership.organisation_id),
            **staffed_context(membership.organisation_id),
        },
    )


@_member_pages
@require_http_methods(["GET", "POST"])
def discard(request: HttpRequest, public_id: str) -> HttpResponse:
    """Asks first: one tap must not lose her answers."""
    user = _user(request)
    checkin = access.get_own_checkin(user, public_id)
    if checkin.status != CheckInStatus.DRAFT:
        return redirect("checkins:result", public_id=checkin.public_id)
    if request.method == "GET":
        titles = {m.id: m.title for m in instruments.all_instruments()}
        return render(
            request,
            "checkins/discard.jinja",
            {"checkin": checkin, "title": titles.get(checkin.instrument, checkin.instrument)},
        )
    try:
        checkin_discard(actor=user, checkin=checkin)
    except CheckInError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("Your unfinished answers have been thrown away."))
    return redirect("checkins:home")


def _help_context(membership: Membership) -> dict[str, Any]:
    return {"supporters": supporters_of(membership)}


@_member_pages
@require_safe
def result(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    checkin = access.get_own_checkin(user, public_id)
    if checkin.status != CheckInStatus.DONE:
        following = _next_question_url(checkin, instruments.get(checkin.instrument))
        return redirect(following or "checkins:home")
    instrument = instruments.get(checkin.instrument)
    outcome = instruments.score(instrument, answers_of(checkin))
    membership = checkin.membership
    suggest = [m for m in offered() if m.id in outcome.suggest and m.text_licensed]
    return render(
        request,
        "checkins/result.jinja",
        {
            "checkin": checkin,
            "instrument": instrument,
            "outcome": outcome,
            "suggest": suggest,
            "organisation": membership.organisation,
            **_help_context(membership),
            **(
                {
                    **crisis_contacts_context(membership.organisation_id),
                    **staffed_context(membership.organisation_id),
                }
                if checkin.risk
                else {}
            ),
        },
    )


def _category(instrument: instruments.Instrument, total: int | None) -> str:
    """The answer she chose, for a measure whose result is an answer, not a score (kept in
    ``total`` as the chosen answer's position)."""
    if instrument.scoring != instruments.CATEGORY or total is None:
        return ""
    return next((str(o.text) for o in instrument.items[0].options if o.score == total), "")


def trend_parts(
    instrument: instruments.Instrument, results: list[Any], *, own: bool = True
) -> dict[str, Any]:
    """The chart and the table for one measure (``own``: the words speak to her). The table's
    rows are made here, escaped, once per row: five years of weekly check-ins is 260 rows."""
    labels = {band.key: str(band.label) for band in instrument.bands}
    out_of = _("%(total)d out of %(max)d")
    months = [date_format(dt.date(2000, month, 1), "M") for month in range(1, 13)]
    risk_words = _("An answer was passed to the team")
    with_band = bool(instrument.bands) or any(row.risk for row in results)
    cells = []
    for row in reversed(results):  # newest first
        on, total = row.completed_on, row.total
        if instrument.scoring == instruments.CATEGORY:
            shown = _category(instrument, total)
        elif total is not None and instrument.max_score is not None:
            shown = out_of % {"total": total, "max": instrument.max_score}
        else:
            shown = "" if total is None else str(total)
        band = labels.get(row.band, "")
        if row.risk:
            band = f"{band}. {risk_words}" if band else risk_words
        day = f"{on.day} {months[on.month - 1]} {on.year}" if on else ""
        cells.append(
            f'<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">{escape(day)}</td>'
            f'<td class="nhsuk-table__cell">{escape(shown)}</td>'
            + (f'<td class="nhsuk-table__cell">{escape(band)}</td>' if with_band else "")
            + "</tr>"
        )
    table = Markup("".join(cells))  # noqa: S704 - every piece escaped above
    chart = ""
    if instrument.chart and instrument.min_score is not None and instrument.max_score is not None:
        chart = trend_svg(
            title=(
                _("%(title)s: your scores over time")
                if own
                else _("%(title)s: her scores over time")
            )
            % {"title": instrument.title},
            description=_("Higher scores mean more difficulty. The table below has every score."),
            points=[
                Point(when=c.completed_on, total=c.total)
                for c in results
                if c.completed_on is not None and c.total is not None
            ],
            min_score=instrument.min_score,
            max_score=instrument.max_score,
            bands=[ChartBand(low=b.low, high=b.high, label=str(b.label)) for b in instrument.bands],
            today=clock.today(),
        )
    return {
        "instrument": instrument,
        "rows": results,
        "table": table,
        "with_band": with_band,
        "chart": chart,
    }


@_member_pages
@require_safe
def trend(request: HttpRequest, instrument_id: str) -> HttpResponse:
    membership = access.her_membership(_user(request))
    instrument = _offered_instrument(instrument_id)
    results = access.trend_rows(membership, [instrument.id])
    return render(request, "checkins/trend.jinja", trend_parts(instrument, results))


@_member_pages
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    membership = access.her_membership(user)
    people = access.share_choices(membership)
    form = ShareForm(
        request.POST if request.method == "POST" else None,
        people=people,
        measures=[m for m in offered() if m.id in _latest_by_measure(membership)] or offered(),
    )
    if request.method == "POST" and form.is_valid():
        viewer = form.chosen_viewer()
        try:
            share_save(
                actor=user,
                membership=membership,
                viewer=viewer,
                instrument_ids=form.cleaned_data["instruments"],
            )
        except CheckInError as error:
            form.add_error("instruments", str(error))
        else:
            messages.success(
                request,
                _("%(name)s can now see the results you chose.")
                % {"name": viewer.user.display_name},
            )
            return redirect("checkins:sharing")
    shares = access.own_live_shares(membership)
    titles = {m.id: m.title for m in instruments.all_instruments()}
    return render(
        request,
        "checkins/sharing.jinja",
        {
            "form": form,
            "people": people,
            "shares": [
                (share, ", ".join(str(titles[i]) for i in share.instruments if i in titles))
                for share in shares
            ],
            "looks": access.share_looks(access.all_own_shares(membership)),
        },
    )


@_member_pages
@require_POST
def sharing_stop(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    share = access.get_own_share(user, public_id)
    share_stop(actor=user, share=share)
    messages.success(
        request,
        _("%(name)s can no longer see your results.") % {"name": share.viewer.user.display_name},
    )
    return redirect("checkins:sharing")


@_member_pages
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    membership = access.her_membership(user)
    reminder = access.own_reminder(membership)
    initial = (
        {"every_days": str(reminder.every_days), "at_hour": str(reminder.at_hour)}
        if reminder is not None
        else {"at_hour": "10"}
    )
    form = ReminderForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        every_days = int(form.cleaned_data["every_days"])
        if every_days == 0:
            reminder_stop(actor=user, membership=membership)
            messages.success(request, _("You will not get reminders to check in."))
        else:
            reminder_save(
                actor=user,
                membership=membership,
                every_days=every_days,
                at_hour=int(form.cleaned_data["at_hour"]),
            )
            messages.success(request, _("Your reminder is set."))
        return redirect("checkins:home")
    return render(request, "checkins/reminders.jinja", {"form": form, "reminder": reminder})


@login_required
@require_safe
def shared(request: HttpRequest, public_id: str) -> HttpResponse:
    """What she shared with this person: only those measures, while she shares them."""
    share = access.get_shared_with_me(_user(request), public_id)
    results = access.shared_results(share)
    parts = []
    for instrument_id in share.instruments:
        try:
            instrument = instruments.get(instrument_id)
        except instruments.UnknownInstrument:
            continue
        mine = [c for c in results if c.instrument == instrument_id]
        parts.append(trend_parts(instrument, mine, own=False))
    return render(
        request,
        "checkins/shared.jinja",
        {"share": share, "member": share.membership.user, "parts": parts},
    )


@login_required
@require_safe
def reminder_link(request: HttpRequest) -> HttpResponse:
    """The address her reminders carry: it says nothing about what they are for."""
    return redirect("checkins:home")
