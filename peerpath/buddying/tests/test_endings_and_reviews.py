"""Pausing, the reviews at 6 and 12 weeks, a planned ending with a goodbye and what comes
next, her feedback, and a path for her to become a peer supporter (F9); her data export and
erasure cover all of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from peerpath.buddying.models import (
    Contact,
    Feedback,
    Goal,
    Match,
    MatchStatus,
    Review,
    Step,
    SupporterInterest,
)
from peerpath.buddying.privacy import erase, export
from peerpath.buddying.services import contacts_overdue_tell, match_create
from peerpath.buddying.tests.conftest import Charity, signed_in, text
from peerpath.core.actors import OPERATOR, WORKER
from peerpath.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(charity: Charity) -> Match:
    found = match_create(actor=OPERATOR, member=charity.member_place, supporter=charity.hazel_place)
    found.rhythm, found.modes = "weekly", ["phone"]
    found.save()
    return found


def _url(name: str, match: Match, **kwargs: Any) -> str:
    return reverse(f"buddying:{name}", kwargs={"public_id": match.public_id, **kwargs})


def test_a_paused_match_sends_no_nudges_until_it_resumes(charity, match):
    hazel = signed_in(charity.hazel)
    assert hazel.post(_url("pause", match), {"paused": "yes"}).status_code == 302
    with time_machine.travel(dt.datetime(2027, 3, 20, 12, 0, tzinfo=dt.UTC), tick=False):
        assert contacts_overdue_tell(actor=WORKER) == 0
        signed_in(charity.hazel).post(_url("pause", match), {"paused": "no"})
        assert contacts_overdue_tell(actor=WORKER) == 2  # first contact overdue: both told


def test_the_six_week_review_is_shown_when_due_with_the_loneliness_check_in(charity, match):
    page = text(signed_in(charity.member).get(_url("match", match)))
    assert "It has been 6 weeks" not in page
    with time_machine.travel(dt.datetime(2027, 4, 13, 10, 0, tzinfo=dt.UTC), tick=False):
        member_page = signed_in(charity.member).get(_url("match", match))
        assert "It has been 6 weeks" in text(member_page)
        assert reverse("checkins:before", kwargs={"instrument_id": "ucla3"}) in (
            member_page.content.decode()
        )
        hazel = signed_in(charity.hazel)
        assert "The 6-week review was due on 13 April." in text(
            hazel.get(_url("match_staff", match))
        )
        response = hazel.post(
            _url("review", match), {"week": "6", "held_on": "2027-04-13", "notes": "Going well."}
        )
        assert response.status_code == 302
        assert "It has been 6 weeks" not in text(
            signed_in(charity.member).get(_url("match", match))
        )
    review = Review.objects.get()
    assert (review.week, review.notes) == (6, "Going well.")
    assert "Going well" not in text(signed_in(charity.member).get(_url("match", match)))


def test_a_planned_ending_says_goodbye_shows_what_next_and_asks_how_it_went(charity, match):
    goal = Goal.objects.create(match=match, words="Sleep", written_by=charity.member)
    signed_in(charity.member).post(
        _url("step_add", match, goal_id=goal.public_id),
        {
            f"g{goal.pk}-words": "Nap",
            f"g{goal.pk}-remind_on": "2027-03-09",
            f"g{goal.pk}-remind_time": "13:00",
        },
    )
    hazel = signed_in(charity.hazel)
    assert "End the support for Sunflower 12?" in text(hazel.get(_url("end", match)))
    response = hazel.post(_url("end", match), {"goodbye": "It was lovely to know you."})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED
    reminder = Notification.objects.get(purpose="step_reminder")
    assert not reminder.deliveries.exclude(status="skipped").exists()
    told = Notification.objects.get(
        recipient=charity.member, purpose="support_ended", link=_url("goodbye", match)
    )
    assert told.context == {}

    member = signed_in(charity.member)
    page = text(member.get(_url("goodbye", match)))
    assert "It was lovely to know you." in page
    assert "Groups and drop-ins near you" in page
    assert "Ask for a peer supporter again" in page
    response = member.post(_url("goodbye", match), {"words": "Thank you"})
    assert response.status_code == 400
    assert "Choose how much it helped." in text(response)
    assert "Thank you" in text(response)
    response = member.post(
        _url("goodbye", match),
        {"helped": "a_lot", "words": "Thank you", "become_supporter": "on"},
    )
    assert response.status_code == 302
    assert Feedback.objects.get().helped == "a_lot"
    interest = SupporterInterest.objects.get()
    assert Notification.objects.filter(
        recipient=charity.coordinator,
        idempotency_key=f"supporter-interest:{interest.public_id}:{charity.coordinator.pk}",
    ).exists()
    coordinator = signed_in(charity.coordinator)
    queue = reverse("buddying:queue", kwargs={"slug": charity.organisation.slug})
    assert "Would like to become peer supporters" in text(coordinator.get(queue))
    take = reverse(
        "buddying:interest_take",
        kwargs={"slug": charity.organisation.slug, "public_id": interest.public_id},
    )
    assert coordinator.post(take).status_code == 302
    interest.refresh_from_db()
    assert interest.taken_by == charity.coordinator
    assert "Would like to become peer supporters" not in text(coordinator.get(queue))


def test_only_her_supporter_or_a_coordinator_ends_or_pauses_it(charity, match, other_member):
    assert signed_in(charity.ivy).get(_url("end", match)).status_code == 404
    assert (
        signed_in(charity.member).post(_url("pause", match), {"paused": "yes"}).status_code == 404
    )
    assert signed_in(charity.coordinator).get(_url("end", match)).status_code == 200
    assert signed_in(charity.member).get(_url("goodbye", match)).status_code == 404  # not ended


def test_her_export_has_everything_and_erasure_removes_her_words(charity, match):
    goal = Goal.objects.create(match=match, words="Sleep more", written_by=charity.member)
    Step.objects.create(goal=goal, words="Nap when the baby naps")
    Contact.objects.create(
        match=match,
        logged_by=charity.hazel,
        happened_on=dt.date(2027, 3, 2),
        mode="phone",
        minutes=30,
        talked_about="Her mum is ill.",
    )
    Review.objects.create(
        match=match, week=6, held_on=dt.date(2027, 3, 2), notes="Better", recorded_by=charity.hazel
    )
    Feedback.objects.create(match=match, helped="a_lot", words="Thank you")
    SupporterInterest.objects.create(member=charity.member_place)
    hers = export(charity.member)
    assert hers["goals_and_steps"][0]["goal"] == "Sleep more"
    assert hers["goals_and_steps"][0]["steps"][0]["step"] == "Nap when the baby naps"
    assert hers["contacts_with_your_peer_supporter"] == [
        {"date": "2027-03-02", "how": "Phone calls"}
    ]
    assert hers["your_feedback"][0]["words"] == "Thank you"
    assert len(hers["would_like_to_support_others"]) == 1
    # Her notes are about the member: the supporter's own export has when and how only.
    assert export(charity.hazel)["contacts_you_logged"] == [
        {"date": "2027-03-02", "how": "Phone calls", "minutes": 30}
    ]

    erase(actor=OPERATOR, user=charity.member, now=dt.datetime(2027, 3, 2, 10, 0, tzinfo=dt.UTC))
    assert not Goal.objects.exists()
    assert not Step.objects.exists()
    assert not Feedback.objects.exists()
    assert not SupporterInterest.objects.exists()
    contact = Contact.objects.get()
    assert contact.talked_about == ""
    assert Review.objects.get().notes == ""
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED
