"""What a risk answer does at once, an answer changed or sent late, stopping and throwing
away, and what withdrawing consent or ending a match does to what she shared."""

from __future__ import annotations

import datetime as dt
from unittest.mock import patch

import pytest
import time_machine
from django.urls import reverse

from conftest import membership_of
from peerpath.accounts.choices import Role
from peerpath.accounts.models import ConsentKind
from peerpath.accounts.services import consent_withdraw
from peerpath.buddying.models import Match
from peerpath.buddying.services import match_create, match_end
from peerpath.checkins.models import CheckIn, CheckInStatus, Reminder, Share
from peerpath.checkins.privacy import erase
from peerpath.checkins.tests.conftest import IN_HOURS, answer_all, signed_in, start, text
from peerpath.core.actors import OPERATOR
from peerpath.notifications.models import Notification
from peerpath.safeguarding.models import Alert

pytestmark = pytest.mark.django_db


def _url(name, **kwargs):
    return reverse(f"checkins:{name}", kwargs=kwargs)


def _question(checkin, number):
    return _url("question", public_id=checkin.public_id, number=number)


def _phq9_up_to_item_9(client, member, item_9):
    start(client, "phq9")
    checkin = CheckIn.objects.get(membership__user=member)
    for number in range(1, 9):
        client.post(_question(checkin, number), {"answer": "0"})
    return checkin, client.post(_question(checkin, 9), {"answer": str(item_9)})


def test_a_risk_answer_shows_where_to_get_help_at_once_before_the_next_question(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        checkin, response = _phq9_up_to_item_9(client, member, 1)
        assert response["Location"] == _url("risk_help", public_id=checkin.public_id)
        page = text(client.get(response["Location"]))
        # One line says the team knows; then 999 and the lines that answer now; then the rest.
        assert page.index("We have let the team know, and someone") < page.index("Call 999")
        assert (
            page.index("Call 999")
            < page.index("Samaritans")
            < page.index("We have let the team at")
        )
        assert "Carry on with the questions" in page
        assert _question(checkin, 10) in client.get(response["Location"]).content.decode()
        # Stopping here: her check-ins page keeps the way back to help.
        home = client.get(_url("home")).content.decode()
    assert _url("risk_help", public_id=checkin.public_id) in home


def test_a_worse_answer_raises_the_higher_tier_and_says_it_changed(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        checkin, _ = _phq9_up_to_item_9(client, member, 1)
        client.post(_question(checkin, 9), {"answer": "3"})  # "Nearly every day"
        client.post(_question(checkin, 9), {"answer": "3"})  # a double tap raises nothing more
    alerts = list(Alert.objects.filter(member=member).order_by("created_at", "pk"))
    assert [alert.tier for alert in alerts] == [1, 2]
    assert "Nearly every day" in alerts[1].context
    assert "changed her answer after an earlier alert" in alerts[1].context
    checkin.refresh_from_db()
    assert checkin.alert_id == alerts[1].pk


def test_an_answer_changed_back_keeps_the_alert_and_says_what_she_told_us_earlier(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        checkin, _ = _phq9_up_to_item_9(client, member, 2)
        client.post(_question(checkin, 9), {"answer": "0"})
        client.post(_question(checkin, 10), {})
        result = text(client.get(_url("result", public_id=checkin.public_id)))
    assert Alert.objects.filter(member=member).count() == 1
    assert "Earlier in this check-in you told us" in result
    assert result.index("Call 999") < result.index("Your score is")


def test_a_risk_answer_sent_from_a_page_left_open_after_finishing_still_reaches_the_team(
    member, duty
):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        answer_all(client, "phq9", dict.fromkeys(range(1, 10), 0))
        checkin = CheckIn.objects.get(membership__user=member)
        late = client.post(_question(checkin, 9), {"answer": "3"})
        assert late["Location"] == _url("result", public_id=checkin.public_id)
        result = text(client.get(late["Location"]))
    checkin.refresh_from_db()
    assert checkin.total == 0
    assert checkin.answers["9"] == 0
    assert Alert.objects.get(member=member).tier == 2
    assert result.index("Call 999") < result.index("Your score is")


def test_if_the_alert_cannot_be_raised_her_answer_is_kept_and_she_is_shown_the_numbers(
    member, duty
):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        with patch(
            "peerpath.checkins.services.alert_raise", side_effect=RuntimeError("provider down")
        ):
            checkin, response = _phq9_up_to_item_9(client, member, 1)
        assert response.status_code == 302
        checkin.refresh_from_db()
        assert checkin.answers["9"] == 1
        assert checkin.alert_id is None
        client.post(_question(checkin, 10), {})
        result = text(client.get(_url("result", public_id=checkin.public_id)))
    assert "Call 999" in result
    # Finishing tried again, and this time the team was told.
    assert Alert.objects.filter(member=member).count() == 1


def test_the_how_difficult_question_is_asked_only_when_some_answer_was_a_problem(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        start(client, "gad7")
        checkin = CheckIn.objects.get(membership__user=member)
        for number in range(1, 7):
            client.post(_question(checkin, number), {"answer": "0"})
        last = client.post(_question(checkin, 7), {"answer": "0"})
    assert last["Location"] == _url("result", public_id=checkin.public_id)
    checkin.refresh_from_db()
    assert checkin.status == CheckInStatus.DONE


def test_stop_for_now_keeps_the_answer_she_chose(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        start(client, "gad7")
        checkin = CheckIn.objects.get(membership__user=member)
        stopped = client.post(_question(checkin, 1), {"answer": "2", "stop": "1"})
        assert stopped["Location"] == _url("home")
        nothing = client.post(_question(checkin, 2), {"stop": "1"})  # no answer: no error
        assert nothing["Location"] == _url("home")
    checkin.refresh_from_db()
    assert checkin.answers == {"1": 2}


def test_throwing_answers_away_asks_first(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        start(client, "gad7")
        checkin = CheckIn.objects.get(membership__user=member)
        asked = text(client.get(_url("discard", public_id=checkin.public_id)))
        assert "Throw away these answers?" in asked
        assert CheckIn.objects.exists()
        client.post(_url("discard", public_id=checkin.public_id))
        again = client.post(_url("discard", public_id=checkin.public_id))  # a double tap
    assert again.status_code == 404
    assert not CheckIn.objects.exists()


@pytest.fixture
def shared(member, duty):
    # Matched the day before the tests' moment, whenever the suite's clock starts: a share
    # shows only while the match that was there when she shared lasts.
    with time_machine.travel(IN_HOURS - dt.timedelta(days=1), tick=False):
        match_create(
            actor=OPERATOR,
            member=membership_of(member, Role.MEMBER),
            supporter=membership_of(duty.supporter, Role.PEER_SUPPORTER),
        )
    with time_machine.travel(IN_HOURS, tick=False):
        answer_all(signed_in(member), "gad2", {1: 1, 2: 1})
        signed_in(member).post(
            _url("sharing"),
            {
                "viewer": str(membership_of(duty.supporter, Role.PEER_SUPPORTER).public_id),
                "instruments": ["gad2"],
            },
        )
        signed_in(member).post(_url("reminders"), {"every_days": "7", "at_hour": "10"})
    return Share.objects.get()


def test_her_supporter_is_told_when_she_shares(shared, duty):
    told = Notification.objects.get(recipient=duty.supporter, purpose="checkin_results_shared")
    assert told.link == _url("shared", public_id=shared.public_id)


def test_withdrawing_consent_deletes_her_check_ins_and_ends_sharing_and_reminders(
    member, duty, shared
):
    with time_machine.travel(IN_HOURS, tick=False):
        consent_withdraw(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
        assert (
            signed_in(duty.supporter).get(_url("shared", public_id=shared.public_id)).status_code
            == 404
        )
    assert not CheckIn.objects.exists()
    assert not Reminder.objects.exists()
    shared.refresh_from_db()
    assert shared.stopped_at is not None


def test_a_match_ended_and_made_again_does_not_bring_back_an_earlier_share(member, duty, shared):
    with time_machine.travel(IN_HOURS + dt.timedelta(days=1), tick=False):
        match_end(actor=OPERATOR, match=Match.objects.get())
        assert (
            "Hazel"
            not in text(signed_in(member).get(_url("sharing"))).split("Share with someone")[0]
        )
        match_create(
            actor=OPERATOR,
            member=membership_of(member, Role.MEMBER),
            supporter=membership_of(duty.supporter, Role.PEER_SUPPORTER),
        )
        assert (
            signed_in(duty.supporter).get(_url("shared", public_id=shared.public_id)).status_code
            == 404
        )


def test_erasing_the_person_she_shared_with_keeps_her_record_of_who_looked(member, duty, shared):
    with time_machine.travel(IN_HOURS, tick=False):
        signed_in(duty.supporter).get(_url("shared", public_id=shared.public_id))
        erase(actor=OPERATOR, user=duty.supporter, now=IN_HOURS)
        sharing = text(signed_in(member).get(_url("sharing")))
    shared.refresh_from_db()
    assert shared.stopped_at is not None
    assert "looked on" in sharing


def test_the_loneliness_question_s_answers_show_in_her_trend(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        answer_all(client, "ons_lonely", {1: 1})
        page = text(client.get(_url("trend", instrument_id="ons_lonely")))
    assert "Some of the time" in page
