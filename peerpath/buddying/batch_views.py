"""Propose matches for everyone waiting: the best plan for every waiting request of an
organisation beside a greedy pass, each pair ticked for the coordinator to review; what she
sends is checked again, one pair at a time, as it is sent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from peerpath.accounts.models import User
from peerpath.buddying import access, batch
from peerpath.buddying.choices import RequestStatus
from peerpath.buddying.services import MatchingError, proposal_create
from peerpath.buddying.suggestions import (
    candidates,
    promised_places,
    suggestion_now,
    supporter_places,
    wishes_of,
)

if TYPE_CHECKING:
    from peerpath.accounts.models import Organisation
    from peerpath.buddying.models import SupportRequest


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


# Pairs offered on one page: a form stays well inside Django's 1,000 fields a post, and sending
# them (each checked again) stays within a request's time. The rest follow once these are sent.
SEND_AT_ONCE = 200


@dataclass(frozen=True)
class Row:
    """One pair as the page shows it, with the value its checkbox sends."""

    request: SupportRequest
    pair: batch.Pair[int]

    @property
    def value(self) -> str:
        return f"{self.request.public_id}:{self.pair.candidate}"


@dataclass(frozen=True)
class Unmatched:
    name: str
    url: str
    asked: str


def _unmatched(organisation: Organisation, requests: list[SupportRequest]) -> list[Unmatched]:
    """The requests left unmatched, each with the address of its page and the day she asked:
    made here, one address pattern and one date's words for all, since there may be
    thousands."""
    blank = uuid.UUID(int=0)
    pattern = reverse(
        "buddying:request_detail", kwargs={"slug": organisation.slug, "public_id": blank}
    )
    days: dict[object, str] = {}
    found = []
    for request in requests:
        day = timezone.localtime(request.created_at).date()
        if day not in days:
            days[day] = _("asked %(date)s") % {"date": date_format(day, "j M Y")}
        found.append(
            Unmatched(
                name=request.member.user.display_name,
                url=pattern.replace(str(blank), str(request.public_id)),
                asked=days[day],
            )
        )
    return found


def _plans(organisation: Organisation) -> dict[str, object]:
    waiting = list(
        access.open_requests(organisation)
        .filter(status=RequestStatus.WAITING)
        .defer("story", "hopes")  # her words are not on this page: not decrypted
    )
    places = supporter_places(organisation)
    found = candidates(places)
    wishes = wishes_of(waiting, places=places)
    inputs = [(request.pk, wishes[request.pk]) for request in waiting]
    promised = promised_places(organisation)
    points = batch.scores([wish for _key, wish in inputs], found)
    best = batch.optimal(inputs, found, promised=promised, points=points)
    one_by_one = batch.greedy(inputs, found, promised=promised, points=points)
    by_key = {request.pk: request for request in waiting}
    return {
        "organisation": organisation,
        "waiting": waiting,
        "best": best,
        "greedy": one_by_one,
        "rows": [Row(by_key[pair.request], pair) for pair in best.pairs[:SEND_AT_ONCE]],
        "later": max(0, best.matched - SEND_AT_ONCE),
        "unmatched": _unmatched(organisation, [by_key[key] for key in best.unmatched]),
        "promised": sum(promised.values()),
    }


def _parse(value: str) -> tuple[uuid.UUID, int] | None:
    public_id, _sep, key = value.partition(":")
    try:
        return uuid.UUID(public_id), int(key)
    except ValueError:
        return None


def _send_one(
    user: User,
    organisation: Organisation,
    support_request: SupportRequest,
    supporter_key: int,
    who: dict[str, str],
) -> str:
    """Propose one pair as things stand now: "" once sent, else why not, in plain words."""
    with transaction.atomic():
        # Her place is locked first, so two coordinators cannot promise her last place twice.
        access.lock_supporter_place(supporter_key)
        suggestion = suggestion_now(support_request, supporter_key)
        if suggestion is None:
            return (
                _(
                    "Not sent: %(supporter)s can no longer be asked to support %(member)s. "
                    "The request's page shows why, under “Left out”."
                )
                % who
            )
        waiting = promised_places(organisation, only=supporter_key).get(supporter_key, 0)
        if waiting >= suggestion.candidate.free:
            return ngettext(
                "Not sent: %(supporter)s has room for %(free)s more and %(waiting)s request "
                "already waits for her answer, so she was not asked to support %(member)s.",
                "Not sent: %(supporter)s has room for %(free)s more and %(waiting)s requests "
                "already wait for her answer, so she was not asked to support %(member)s.",
                waiting,
            ) % {**who, "free": suggestion.candidate.free, "waiting": waiting}
        try:
            proposal_create(actor=user, request=support_request, suggestion=suggestion)
        except MatchingError as error:
            return _("Not sent to %(supporter)s for %(member)s: %(why)s") % {
                **who,
                "why": str(error),
            }
    return ""


def _send_ticked(request: HttpRequest, user: User, organisation: Organisation) -> HttpResponse:
    ticked = request.POST.getlist("pair")
    if not ticked:
        messages.info(request, _("Nothing was ticked, so nothing was sent."))
        return redirect("buddying:propose_all", slug=organisation.slug)
    parsed = [_parse(value) for value in ticked]
    wanted = {found[0] for found in parsed if found is not None}
    open_ones = {
        found.public_id: found
        for found in access.open_requests(organisation).filter(public_id__in=wanted)
    }
    names = {place.pk: place.user.display_name for place in supporter_places(organisation)}
    sent: list[str] = []
    problems: list[str] = []
    tampered = 0
    for found in parsed:
        if found is None or found[1] not in names:
            tampered += 1
            continue
        public_id, supporter_key = found
        support_request = open_ones.get(public_id)
        if support_request is None:
            try:
                support_request = access.get_request(user, organisation, str(public_id))
            except Http404:
                tampered += 1
                continue
        support_request.organisation = organisation
        who = {
            "member": support_request.member.user.display_name,
            "supporter": names[supporter_key],
        }
        why = _send_one(user, organisation, support_request, supporter_key, who)
        if why:
            problems.append(why)
        else:
            sent.append(_("%(member)s with %(supporter)s") % who)
    if sent:
        messages.success(
            request,
            ngettext(
                "%(num)d proposal sent (%(pairs)s). Each peer supporter has been asked.",
                "%(num)d proposals sent (%(pairs)s). Each peer supporter has been asked.",
                len(sent),
            )
            % {"num": len(sent), "pairs": "; ".join(sent)},
        )
    for problem in problems:
        messages.warning(request, problem)
    if tampered:
        messages.warning(
            request,
            ngettext(
                "%(num)d ticked pair was not one this page offered, so nothing was sent for "
                "it. Look at the plan below and send again.",
                "%(num)d ticked pairs were not ones this page offered, so nothing was sent for "
                "them. Look at the plan below and send again.",
                tampered,
            )
            % {"num": tampered},
        )
    return redirect("buddying:propose_all", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def propose_all(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = access.matching_organisation(user, slug)
    if request.method == "POST":
        return _send_ticked(request, user, organisation)
    return render(request, "buddying/batch.jinja", _plans(organisation))
