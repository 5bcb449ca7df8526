"""A check-in as she does it: before she starts, a question a page, a risk answer, her result."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from peerpath.checkins import instruments
from peerpath.checkins.models import CheckIn, CheckInStatus, RiskTier
from peerpath.checkins.tests.conftest import (
    IN_HOURS,
    answer_all,
    consenting,
    london,
    positions_scoring,
    signed_in,
    start,
    text,
)
from peerpath.safeguarding.models import Alert, AlertSource
from peerpath.safeguarding.tests.conftest import pages

pytestmark = pytest.mark.django_db
LATE = london(2027, 3, 2, 23, 30)  # out of staffed hours (8am to 10pm)
PHQ9_LOW = dict.fromkeys(range(1, 9), 0)


def _url(name, **kwargs):
    return reverse(f"checkins:{name}", kwargs=kwargs)


def test_before_she_starts_she_is_told_who_sees_her_answers_every_time(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        for _ in range(2):
            page = text(client.get(_url("before", instrument_id="phq9")))
            assert "Only you see your answers" in page
            assert "let the team at Harbour" in page or "let the team at" in page
            assert "children's social care" in page
            assert "Nobody is on duty right now" not in page
    with time_machine.travel(LATE, tick=False):
        client = signed_in(member)
        page = text(client.get(_url("before", instrument_id="phq9")))
    assert "Nobody is on duty right now; they will see it at 8am tomorrow" in page


def test_without_her_consent_to_health_data_she_is_asked_for_it_first(duty):
    client = signed_in(duty.member)
    response = client.get(_url("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:account_consent"))


def test_phq9_item_9_scoring_1_raises_an_alert_before_she_finishes_and_the_crisis_card_comes_first(
    member, duty
):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        start(client, "phq9")
        checkin = CheckIn.objects.get(membership__user=member)
        for number in range(1, 9):
            client.post(
                _url("question", public_id=checkin.public_id, number=number), {"answer": "0"}
            )
        assert not Alert.objects.exists()
        # Item 9, "Several days" (scores 1): the alert is raised as the answer is kept.
        client.post(_url("question", public_id=checkin.public_id, number=9), {"answer": "1"})
        alert = Alert.objects.get(member=member)
        assert (alert.tier, alert.source) == (1, AlertSource.CHECK_IN)
        assert "PHQ-9, question 9" in alert.context
        assert "Several days" in alert.context
        assert pages(duty.primary) == 1  # the on-duty coordinator is paged at once
        checkin.refresh_from_db()
        assert checkin.status == CheckInStatus.DRAFT
        assert checkin.alert_id == alert.pk
        # The rest of the questions (the unscored one, if any) then her result.
        result = None
        for item in instruments.get("phq9").items[9:]:
            client.post(_url("question", public_id=checkin.public_id, number=item.number), {})
        result = text(client.get(_url("result", public_id=checkin.public_id)))
    checkin.refresh_from_db()
    assert checkin.status == CheckInStatus.DONE
    assert (checkin.total, checkin.risk) == (1, True)
    assert result.index("Call 999") < result.index("Samaritans") < result.index("Your score is")
    assert "We have let the team at" in result
    assert "as soon as they can" in result
    assert Alert.objects.count() == 1  # finishing does not raise a second one


def test_out_of_hours_a_risk_answer_says_nobody_is_on_duty_and_when_they_will_see_it(member, duty):
    with time_machine.travel(LATE, tick=False):
        client = signed_in(member)
        answer_all(client, "phq9", {**PHQ9_LOW, 9: 3})
        checkin = CheckIn.objects.get(membership__user=member)
        result = text(client.get(_url("result", public_id=checkin.public_id)))
    assert "Nobody is on duty right now: the next person will see it at 8am tomorrow" in result
    alert = Alert.objects.get(member=member)
    assert alert.raised_out_of_hours
    assert alert.tier == 2


EPDS_WORDING = Path(__file__).parent / "fixtures" / "epds_content_placeholder.json"


def test_epds_item_10_is_a_risk_answer_whatever_the_total_and_its_reversed_scoring_counts(
    member, duty, settings
):
    settings.CHECKINS_EPDS_CONTENT_FILE = str(EPDS_WORDING)  # wording loaded: the real thing
    assert instruments.get("epds").text_licensed
    scores = dict.fromkeys(range(1, 10), 0) | {10: 1}
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        answer_all(client, "epds", positions_scoring("epds", scores))
    checkin = CheckIn.objects.get(membership__user=member)
    assert (checkin.total, checkin.risk) == (1, True)
    assert Alert.objects.get(member=member).tier == 1


def test_placeholder_epds_wording_raises_no_alert_and_says_the_result_means_nothing(member, duty):
    assert not instruments.get("epds").text_licensed
    scores = dict.fromkeys(range(1, 11), 3)
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        answer_all(client, "epds", positions_scoring("epds", scores))
        checkin = CheckIn.objects.get(membership__user=member)
        result = text(client.get(_url("result", public_id=checkin.public_id)))
    assert not Alert.objects.exists()
    assert not checkin.risk
    assert "this result does not mean anything about you" in result
    assert "Call 999" not in result.split("Your score is")[0]


def test_the_organisation_chooses_the_tier_for_each_risk_answer(member, duty):
    RiskTier.objects.create(
        organisation=duty.organisation, instrument="phq9", answer_score=1, tier=2
    )
    with time_machine.travel(IN_HOURS, tick=False):
        answer_all(signed_in(member), "phq9", {**PHQ9_LOW, 9: 1})
    assert Alert.objects.get(member=member).tier == 2


def test_no_risk_answer_raises_nothing_and_the_result_is_in_plain_words(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        scores = {1: 2, 2: 2, 3: 2, 4: 2, 5: 1, 6: 1, 7: 1, 8: 1, 9: 0}  # 12: moderate
        answer_all(client, "phq9", positions_scoring("phq9", scores))
        checkin = CheckIn.objects.get(membership__user=member)
        result = text(client.get(_url("result", public_id=checkin.public_id)))
    assert not Alert.objects.exists()
    assert "Call 999" not in result.split("Your score is")[0]
    assert "Your score is 12 out of 27" in result
    band = next(b for b in instruments.get("phq9").bands if b.low <= 12 <= b.high)
    assert str(band.words) in result
    assert "diagnosis" in result
    assert "A score is not a diagnosis" in result


def test_a_positive_short_measure_offers_the_fuller_one(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        answer_all(client, "gad2", positions_scoring("gad2", {1: 2, 2: 1}))
        checkin = CheckIn.objects.get(membership__user=member)
        result = client.get(_url("result", public_id=checkin.public_id)).content.decode()
    assert _url("before", instrument_id="gad7") in result


def test_leaving_halfway_keeps_a_draft_she_can_finish_or_throw_away(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        start(client, "gad7")
        checkin = CheckIn.objects.get(membership__user=member)
        for number in (1, 2, 3):
            client.post(
                _url("question", public_id=checkin.public_id, number=number), {"answer": "2"}
            )
        home = text(client.get(_url("home")))
        assert "Not finished yet" in home
        assert "Your answers so far are kept" in home
        # Carrying on goes to the first question she has not answered.
        assert start(client, "gad7") == _url("question", public_id=checkin.public_id, number=4)
        again = client.get(_url("question", public_id=checkin.public_id, number=2)).content.decode()
        assert 'value="2" checked' in again  # what she chose is shown
        client.post(_url("discard", public_id=checkin.public_id))
    assert not CheckIn.objects.exists()


def test_no_answer_chosen_says_so_beside_the_question_and_loses_nothing(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        start(client, "gad7")
        checkin = CheckIn.objects.get(membership__user=member)
        client.post(_url("question", public_id=checkin.public_id, number=1), {"answer": "3"})
        page = client.post(_url("question", public_id=checkin.public_id, number=2), {})
        assert page.status_code == 200
        body = text(page)
        assert "There is a problem" in body
        assert "Choose the answer closest to how you have felt." in body
        assert "nhsuk-error-message" in page.content.decode()
        hostile = client.post(
            _url("question", public_id=checkin.public_id, number=2), {"answer": "9"}
        )
        assert "Choose one of the answers shown." in text(hostile)
    checkin.refresh_from_db()
    assert checkin.answers == {"1": 3}


def test_a_finished_check_in_cannot_be_changed(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        answer_all(client, "gad2", {1: 0, 2: 0})
        checkin = CheckIn.objects.get(membership__user=member)
        response = client.post(
            _url("question", public_id=checkin.public_id, number=1), {"answer": "3"}
        )
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.answers == {"1": 0, "2": 0}
    assert checkin.total == 0


def test_the_epds_shows_a_placeholder_notice_and_is_not_offered_where_placeholders_are_not_allowed(
    member, duty, settings
):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        assert "Placeholder wording" in text(client.get(_url("before", instrument_id="epds")))
        settings.CHECKINS_EPDS_PLACEHOLDER_ALLOWED = False
        assert client.get(_url("before", instrument_id="epds")).status_code == 404
        assert _url("before", instrument_id="epds") not in client.get(_url("home")).content.decode()
        assert _url("before", instrument_id="phq9") in client.get(_url("home")).content.decode()


def test_someone_else_cannot_open_her_check_in(member, duty):
    other = consenting(duty.supporter)
    with time_machine.travel(IN_HOURS, tick=False):
        start(signed_in(member), "gad7")
        checkin = CheckIn.objects.get(membership__user=member)
        for person in (other, duty.primary):
            client = signed_in(person)
            assert (
                client.get(_url("question", public_id=checkin.public_id, number=1)).status_code
                == 404
            )
            assert client.get(_url("result", public_id=checkin.public_id)).status_code == 404
