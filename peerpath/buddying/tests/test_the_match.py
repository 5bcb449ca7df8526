"""The match: how they keep in touch, goals and small steps with reminders at the time she
chose, the supporter's contact log (a worry reaches the person on duty), and the nudges when
contact goes quiet."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from peerpath.accounts.models import ConsentKind
from peerpath.accounts.services import consent_give
from peerpath.audit.models import AuditEvent
from peerpath.buddying.models import Contact, Goal, Match, Step
from peerpath.buddying.services import contacts_overdue_tell, match_create
from peerpath.buddying.tests.conftest import Charity, signed_in, text
from peerpath.core.actors import OPERATOR, WORKER
from peerpath.notifications.dispatch import deliveries_dispatch
from peerpath.notifications.models import Notification
from peerpath.safeguarding.tests.conftest import Duty, pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(charity: Charity) -> Match:
    found = match_create(actor=OPERATOR, member=charity.member_place, supporter=charity.hazel_place)
    found.rhythm, found.modes = "weekly", ["phone"]
    found.save()
    return found


def _url(name: str, match: Match, **kwargs: Any) -> str:
    return reverse(f"buddying:{name}", kwargs={"public_id": match.public_id, **kwargs})


def test_they_agree_a_goal_and_steps_and_she_sees_them_on_her_page(charity, match):
    hazel = signed_in(charity.hazel)
    response = hazel.post(_url("goal_add_staff", match), {"words": "Get out with the baby"})
    assert response.status_code == 302
    goal = Goal.objects.get()
    response = hazel.post(
        _url("step_add_staff", match, goal_id=goal.public_id),
        {f"g{goal.pk}-words": "Go to the Tuesday group"},
    )
    assert response.status_code == 302
    member = signed_in(charity.member)
    member.post(_url("goal_add", match), {"words": "Ring the GP about a review"})
    page = text(member.get(_url("match", match)))
    assert "You and Hazel" in page
    assert "Get out with the baby" in page
    assert "Go to the Tuesday group" in page
    assert "Ring the GP about a review" in page
    assert Goal.objects.filter(written_by=charity.member).count() == 1


def test_a_reminder_reaches_her_at_the_time_she_chose_and_not_before(charity, match):
    goal = Goal.objects.create(match=match, words="Feel less alone", written_by=charity.hazel)
    member = signed_in(charity.member)
    response = member.post(
        _url("step_add", match, goal_id=goal.public_id),
        {
            f"g{goal.pk}-words": "Go to the Tuesday group",
            f"g{goal.pk}-remind_on": "2027-03-09",
            f"g{goal.pk}-remind_time": "08:30",
        },
    )
    assert response.status_code == 302
    step = Step.objects.get()
    assert step.remind_at == dt.datetime(2027, 3, 9, 8, 30, tzinfo=dt.UTC)  # GMT in March
    reminder = Notification.objects.get(recipient=charity.member, purpose="step_reminder")
    assert reminder.context == {}  # the words stay in PeerPath, never on a lock screen
    with time_machine.travel(dt.datetime(2027, 3, 9, 8, 29, tzinfo=dt.UTC), tick=False):
        deliveries_dispatch(worker_id="t", limit=50, lease_seconds=60)
        assert not reminder.deliveries.filter(status="sent").exists()
    with time_machine.travel(dt.datetime(2027, 3, 9, 8, 31, tzinfo=dt.UTC), tick=False):
        deliveries_dispatch(worker_id="t", limit=50, lease_seconds=60)
        assert reminder.deliveries.filter(status="sent").exists()


def test_a_reminder_in_summer_is_at_her_wall_clock_time(charity, match):
    goal = Goal.objects.create(match=match, words="Sleep", written_by=charity.hazel)
    signed_in(charity.member).post(
        _url("step_add", match, goal_id=goal.public_id),
        {
            f"g{goal.pk}-words": "Nap when the baby naps",
            f"g{goal.pk}-remind_on": "2027-04-06",
            f"g{goal.pk}-remind_time": "13:00",
        },
    )
    # British Summer Time: 1pm in London is noon UTC.
    assert Step.objects.get().remind_at == dt.datetime(2027, 4, 6, 12, 0, tzinfo=dt.UTC)


def test_a_reminder_in_the_past_or_without_a_time_is_refused_beside_the_field(charity, match):
    goal = Goal.objects.create(match=match, words="Feel less alone", written_by=charity.hazel)
    member = signed_in(charity.member)
    response = member.post(
        _url("step_add", match, goal_id=goal.public_id),
        {f"g{goal.pk}-words": "Call Mum", f"g{goal.pk}-remind_on": "2027-03-09"},
    )
    assert response.status_code == 400
    assert "Choose a time for the reminder." in text(response)
    assert 'value="Call Mum"' in response.content.decode()
    response = member.post(
        _url("step_add", match, goal_id=goal.public_id),
        {
            f"g{goal.pk}-words": "Call Mum",
            f"g{goal.pk}-remind_on": "2027-03-01",
            f"g{goal.pk}-remind_time": "09:00",
        },
    )
    assert response.status_code == 400
    assert "Choose a time for the reminder that has not passed yet." in text(response)
    assert not Step.objects.exists()


def test_marking_a_step_done_stops_its_reminder(charity, match):
    goal = Goal.objects.create(match=match, words="Feel less alone", written_by=charity.hazel)
    member = signed_in(charity.member)
    member.post(
        _url("step_add", match, goal_id=goal.public_id),
        {
            f"g{goal.pk}-words": "Go to the group",
            f"g{goal.pk}-remind_on": "2027-03-09",
            f"g{goal.pk}-remind_time": "08:30",
        },
    )
    step = Step.objects.get()
    assert member.post(_url("step_done", match, step_id=step.public_id)).status_code == 302
    reminder = Notification.objects.get(purpose="step_reminder")
    assert not reminder.deliveries.exclude(status="skipped").exists()


def test_a_contact_logged_with_a_worry_reaches_the_person_on_duty(charity, match, duty: Duty):
    hazel = signed_in(charity.hazel)
    page = text(hazel.get(_url("contact_log", match)))
    assert "Are you worried about her safety, or her baby's?" in page
    response = hazel.post(
        _url("contact_log", match),
        {
            "happened_on": "2027-03-02",
            "mode": "phone",
            "minutes": "40",
            "talked_about": "Sleep, and her mum visiting.",
            "worry_tier": "1",
            "worry": "She said she cannot see the point of anything at the moment.",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.worried
    assert contact.alert is not None
    assert contact.alert.source == "contact_log"
    assert pages(duty.primary) == 1
    dashboard = text(
        signed_in(duty.primary).get(
            reverse("safeguarding:alerts_list", kwargs={"slug": charity.organisation.slug})
        )
    )
    assert "Sunflower 12" in dashboard


def test_a_worry_needs_its_words_and_nothing_is_logged_without_them(charity, match):
    response = signed_in(charity.hazel).post(
        _url("contact_log", match),
        {"happened_on": "2027-03-02", "mode": "phone", "minutes": "20", "worry_tier": "2"},
    )
    assert response.status_code == 400
    assert "Say what worries you, so the person on duty knows what to do." in text(response)
    assert not Contact.objects.exists()


def test_a_contact_cannot_be_dated_in_the_future(charity, match):
    response = signed_in(charity.hazel).post(
        _url("contact_log", match),
        {"happened_on": "2027-03-03", "mode": "phone", "minutes": "20", "worry_tier": "0"},
    )
    assert response.status_code == 400
    assert "cannot be in the future" in text(response)


def test_she_sees_her_goals_but_never_the_contact_log(charity, match):
    Contact.objects.create(
        match=match,
        logged_by=charity.hazel,
        happened_on=dt.date(2027, 3, 2),
        mode="phone",
        minutes=30,
        talked_about="Private note about her relationship.",
    )
    page = text(signed_in(charity.member).get(_url("match", match)))
    assert "Private note" not in page
    coordinator_page = text(signed_in(charity.coordinator).get(_url("match_staff", match)))
    assert "Private note about her relationship." in coordinator_page
    assert "Log a contact" not in coordinator_page  # the coordinator reviews; Hazel logs


def test_nobody_else_opens_the_match(charity, match, other_member, outsider):
    consent_give(actor=other_member, user=other_member, kind=ConsentKind.HEALTH_DATA)
    assert signed_in(charity.ivy).get(_url("match_staff", match)).status_code == 404
    assert signed_in(outsider).get(_url("match_staff", match)).status_code == 404
    assert signed_in(other_member).get(_url("match", match)).status_code == 404
    assert signed_in(charity.member).get(_url("match_staff", match)).status_code == 404
    assert signed_in(charity.coordinator).get(_url("contact_log", match)).status_code == 404
    goal = Goal.objects.create(match=match, words="Sleep", written_by=charity.hazel)
    # A coordinator reads but does not write her goals.
    response = signed_in(charity.coordinator).post(
        _url("step_add_staff", match, goal_id=goal.public_id), {f"g{goal.pk}-words": "x"}
    )
    assert response.status_code == 404


def test_quiet_contact_reminds_the_supporter_then_tells_the_coordinator(charity, match):
    Contact.objects.create(
        match=match,
        logged_by=charity.hazel,
        happened_on=dt.date(2027, 3, 2),
        mode="phone",
        minutes=30,
    )
    with time_machine.travel(dt.datetime(2027, 3, 9, 12, 0, tzinfo=dt.UTC), tick=False):
        assert contacts_overdue_tell(actor=WORKER) == 0  # 7 days: due today, not overdue
    with time_machine.travel(dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False):
        assert contacts_overdue_tell(actor=WORKER) == 1
        assert contacts_overdue_tell(actor=WORKER) == 0  # never twice
    assert Notification.objects.filter(recipient=charity.hazel, purpose="contact_overdue")
    assert not Notification.objects.filter(recipient=charity.coordinator, purpose="contact_overdue")
    with time_machine.travel(dt.datetime(2027, 3, 17, 12, 0, tzinfo=dt.UTC), tick=False):
        contacts_overdue_tell(actor=WORKER)  # 15 days with nothing against a weekly rhythm
    assert Notification.objects.filter(recipient=charity.coordinator, purpose="contact_overdue")


def test_no_first_contact_within_48_hours_tells_both(charity, match):
    with time_machine.travel(dt.datetime(2027, 3, 4, 9, 59, tzinfo=dt.UTC), tick=False):
        assert contacts_overdue_tell(actor=WORKER) == 0
    with time_machine.travel(dt.datetime(2027, 3, 4, 10, 1, tzinfo=dt.UTC), tick=False):
        assert contacts_overdue_tell(actor=WORKER) == 2
    assert Notification.objects.filter(purpose="contact_overdue").count() == 2


def test_logging_a_contact_withdraws_a_reminder_not_yet_sent(charity, match):
    with time_machine.travel(dt.datetime(2027, 3, 4, 10, 1, tzinfo=dt.UTC), tick=False):
        contacts_overdue_tell(actor=WORKER)
        signed_in(charity.hazel).post(
            _url("contact_log", match),
            {"happened_on": "2027-03-04", "mode": "phone", "minutes": "20", "worry_tier": "0"},
        )
    waiting = Notification.objects.get(recipient=charity.hazel, purpose="contact_overdue")
    assert not waiting.deliveries.exclude(status="skipped").exists()


def test_the_coordinator_sees_quiet_matches_first_and_caseloads(charity, match, organisation):
    url = reverse("buddying:matches", kwargs={"slug": organisation.slug})
    with time_machine.travel(dt.datetime(2027, 3, 12, 10, 0, tzinfo=dt.UTC), tick=False):
        page = text(signed_in(charity.coordinator).get(url))
    assert "1 gone quiet" in page
    assert "10 days quiet" in page
    assert "Hazel: supporting 1 of 6" in page
    ivy = page[page.index("Ivy: supporting 0 of 6") :]
    assert "not ready" in ivy[: ivy.index("</li>")]
    assert signed_in(charity.hazel).get(url).status_code == 404


def test_the_matches_page_takes_a_fixed_number_of_queries(
    charity, match, organisation, django_assert_max_num_queries
):
    url = reverse("buddying:matches", kwargs={"slug": organisation.slug})
    client = signed_in(charity.coordinator)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_finished_goals_and_steps_take_no_more_changes(charity, match):
    goal = Goal.objects.create(match=match, words="Sleep", written_by=charity.member)
    step = Step.objects.create(
        goal=goal, words="Nap", done_at=dt.datetime(2027, 3, 1, tzinfo=dt.UTC)
    )
    member = signed_in(charity.member)
    member.post(
        _url("step_remind", match, step_id=step.public_id),
        {f"s{step.pk}-remind_on": "2027-03-09", f"s{step.pk}-remind_time": "08:30"},
    )
    assert not Notification.objects.filter(purpose="step_reminder").exists()
    member.post(_url("goal_done", match, goal_id=goal.public_id))
    response = member.post(_url("goal_done", match, goal_id=goal.public_id))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(object_id=str(goal.public_id), action="update").count() == 1
    response = member.post(
        _url("step_add", match, goal_id=goal.public_id), {f"g{goal.pk}-words": "More"}, follow=True
    )
    assert "This goal is already reached: add a new goal instead." in text(response)
    assert goal.steps.count() == 1


def test_a_reminder_more_than_a_year_ahead_is_refused(charity, match):
    goal = Goal.objects.create(match=match, words="Sleep", written_by=charity.member)
    response = signed_in(charity.member).post(
        _url("step_add", match, goal_id=goal.public_id),
        {
            f"g{goal.pk}-words": "Nap",
            f"g{goal.pk}-remind_on": "9999-12-31",
            f"g{goal.pk}-remind_time": "08:30",
        },
    )
    assert response.status_code == 400
    assert "Choose a day within the next year." in text(response)
