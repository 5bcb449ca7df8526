"""Her trend, sharing it and stopping, her reminders, and her data."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import membership_of
from peerpath.accounts.choices import Role
from peerpath.audit.models import Action, AuditEvent
from peerpath.buddying.services import match_create
from peerpath.checkins.models import CheckIn, Reminder, Share
from peerpath.checkins.privacy import erase, export
from peerpath.checkins.services import reminders_send_due
from peerpath.checkins.tests.conftest import (
    IN_HOURS,
    answer_all,
    london,
    signed_in,
    text,
)
from peerpath.core.actors import OPERATOR, WORKER
from peerpath.notifications.models import Notification

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _url(name, **kwargs):
    return reverse(f"checkins:{name}", kwargs=kwargs)


def _gad7_weekly(member, weeks, start=IN_HOURS):
    for week in range(weeks):
        with time_machine.travel(start + dt.timedelta(weeks=week), tick=False):
            answer_all(signed_in(member), "gad7", {n: min(3, week) for n in range(1, 8)})


def _chart(page: str) -> ET.Element:
    begins = page.rindex("<svg", 0, page.index('class="pp-trend-chart"'))
    svg = page[begins : page.index("</svg>", begins) + len("</svg>")]
    return ET.fromstring(svg)  # noqa: S314 - our own page


def test_three_weeks_of_gad7_show_as_a_chart_and_a_table(member, duty):
    _gad7_weekly(member, 3)
    with time_machine.travel(IN_HOURS + dt.timedelta(weeks=3), tick=False):
        page = signed_in(member).get(_url("trend", instrument_id="gad7")).content.decode()
    chart = _chart(page)
    assert chart.get("role") == "img"
    assert len(chart.findall(f".//{SVG}circle")) == 3  # one marker a check-in
    words = text_of = " ".join(page.split())
    for day, total in (("2 Mar 2027", 0), ("9 Mar 2027", 7), ("16 Mar 2027", 14)):
        assert f"{day}</td>" in words.replace("> ", ">").replace(" <", "<")
        assert f"{total} out of 21" in text_of


def test_the_trend_and_shared_pages_make_the_same_queries_for_3_or_260_check_ins(
    member, duty, coordinator_sees
):
    def queries(person, address) -> int:
        with time_machine.travel(IN_HOURS + dt.timedelta(weeks=300), tick=False):
            client = signed_in(person)
            client.get(address)  # the session and caches warm
            with CaptureQueriesContext(connection) as seen:
                assert client.get(address).status_code == 200
        return len(seen)

    _gad7_weekly(member, 3)
    share = coordinator_sees(member, duty)
    trend = _url("trend", instrument_id="gad7")
    shared = _url("shared", public_id=share.public_id)
    few = (queries(member, trend), queries(duty.primary, shared))
    # Five years of weekly check-ins (what finishing stores; the answers are not read).
    first = CheckIn.objects.get(total=0)
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                organisation=first.organisation,
                membership=first.membership,
                instrument="gad7",
                version=first.version,
                status="done",
                answers=first.answers,
                completed_at=first.completed_at + dt.timedelta(weeks=week),
                completed_on=first.completed_on + dt.timedelta(weeks=week),
                total=week % 22,
                band="mild",
            )
            for week in range(3, 260)
        ]
    )
    assert CheckIn.objects.count() == 260
    assert (queries(member, trend), queries(duty.primary, shared)) == few


@pytest.fixture
def coordinator_sees():
    def share(member, duty):
        with time_machine.travel(IN_HOURS, tick=False):
            signed_in(member).post(
                _url("sharing"),
                {
                    "viewer": str(membership_of(duty.primary, Role.COORDINATOR).public_id),
                    "instruments": ["gad7"],
                },
            )
        return Share.objects.get()

    return share


@pytest.fixture
def matched(member, duty):
    # Matched the day before the tests' moment, whenever the suite's clock starts: a share
    # shows only while the match that was there when she shared lasts.
    with time_machine.travel(IN_HOURS - dt.timedelta(days=1), tick=False):
        match_create(
            actor=OPERATOR,
            member=membership_of(member, Role.MEMBER),
            supporter=membership_of(duty.supporter, Role.PEER_SUPPORTER),
        )
    return duty.supporter


def test_she_shares_with_her_supporter_who_sees_only_that_and_she_sees_each_look(
    member, duty, matched
):
    _gad7_weekly(member, 2)
    with time_machine.travel(IN_HOURS + dt.timedelta(weeks=2), tick=False):
        answer_all(signed_in(member), "phq9", dict.fromkeys(range(1, 9), 1) | {9: 0})
        client = signed_in(member)
        sharing = text(client.get(_url("sharing")))
        assert "Hazel (Peer supporter)" in sharing
        assert "Ash (Coordinator)" in sharing
        viewer = membership_of(matched, Role.PEER_SUPPORTER)
        response = client.post(
            _url("sharing"), {"viewer": str(viewer.public_id), "instruments": ["gad7"]}
        )
        assert response.status_code == 302
        share = Share.objects.get()
        hazel = signed_in(matched)
        staff_home = hazel.get(reverse("accounts:staff_home")).content.decode()
        assert _url("shared", public_id=share.public_id) in staff_home
        seen = text(hazel.get(_url("shared", public_id=share.public_id)))
        assert "GAD-7" in seen
        assert "PHQ-9" not in seen
        assert "7 out of 21" in seen
        looked = AuditEvent.objects.get(action=Action.READ, object_id=str(share.public_id))
        assert looked.actor_id == matched.pk
        assert "Hazel looked on" in text(client.get(_url("sharing")))
        # Someone she did not share with sees nothing.
        assert (
            signed_in(duty.primary).get(_url("shared", public_id=share.public_id)).status_code
            == 404
        )
        # She stops: Hazel gets 404.
        client.post(_url("sharing_stop", public_id=share.public_id))
        assert hazel.get(_url("shared", public_id=share.public_id)).status_code == 404
        assert (
            "Check-ins shared with you"
            not in hazel.get(reverse("accounts:staff_home")).content.decode()
        )


def test_a_share_ends_for_a_supporter_whose_match_ended(member, duty, matched):
    from peerpath.buddying.models import Match
    from peerpath.buddying.services import match_end

    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        viewer = membership_of(matched, Role.PEER_SUPPORTER)
        client.post(_url("sharing"), {"viewer": str(viewer.public_id), "instruments": ["gad7"]})
        share = Share.objects.get()
        match_end(actor=OPERATOR, match=Match.objects.get())
        assert signed_in(matched).get(_url("shared", public_id=share.public_id)).status_code == 404


def test_sharing_refuses_someone_outside_her_list_and_keeps_her_choices(member, duty, matched):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(member)
        lead = membership_of(duty.lead, Role.ORG_ADMIN)  # not offered: not a coordinator
        page = client.post(
            _url("sharing"), {"viewer": str(lead.public_id), "instruments": ["gad7"]}
        )
        assert page.status_code == 200
        assert "Select a valid choice" in text(page) or "Choose" in text(page)
        empty = client.post(_url("sharing"), {"instruments": ["gad7"]})
        body = empty.content.decode()
        assert "Choose who to share with." in text(empty)
        assert 'value="gad7" checked' in body
    assert not Share.objects.exists()


def test_reminders_come_on_her_rhythm_and_say_nothing_on_the_lock_screen(member, duty):
    with time_machine.travel(london(2027, 3, 2, 9, 0), tick=False):
        client = signed_in(member)
        response = client.post(_url("reminders"), {"every_days": "7", "at_hour": "10"})
        assert response.status_code == 302
    reminder = Reminder.objects.get()
    assert reminder.next_at == london(2027, 3, 9, 10, 0)
    with time_machine.travel(london(2027, 3, 9, 9, 59), tick=False):
        assert reminders_send_due(actor=WORKER) == 0
    # The clocks go forward on 28 March; the reminder stays at 10 o'clock London time.
    with time_machine.travel(london(2027, 3, 23, 10, 1), tick=False):
        assert reminders_send_due(actor=WORKER) == 1
        assert reminders_send_due(actor=WORKER) == 0
    reminder.refresh_from_db()
    assert reminder.next_at == london(2027, 3, 30, 10, 0)
    sent = Notification.objects.get(recipient=member, purpose="checkin_reminder")
    assert sent.link == _url("reminder_link")  # "/reminder/": says nothing in an email
    with time_machine.travel(london(2027, 3, 23, 10, 2), tick=False):
        assert signed_in(member).get(sent.link)["Location"] == _url("home")
    from peerpath.notifications.purposes import purpose_for

    assert purpose_for("checkin_reminder").lock_screen_text is None  # the bland default
    with time_machine.travel(london(2027, 3, 24, 9, 0), tick=False):
        signed_in(member).post(_url("reminders"), {"every_days": "0", "at_hour": "10"})
    assert not Reminder.objects.exists()


def test_a_bad_reminder_choice_is_refused_beside_the_field(member, duty):
    with time_machine.travel(IN_HOURS, tick=False):
        page = signed_in(member).post(_url("reminders"), {"every_days": "3", "at_hour": "25"})
    assert page.status_code == 200
    assert "Select a valid choice" in text(page)
    assert not Reminder.objects.exists()


def test_her_export_has_her_answers_and_erasure_deletes_them(member, duty, matched):
    with time_machine.travel(IN_HOURS, tick=False):
        answer_all(signed_in(member), "gad2", {1: 1, 2: 2})
        client = signed_in(member)
        viewer = membership_of(matched, Role.PEER_SUPPORTER)
        client.post(_url("sharing"), {"viewer": str(viewer.public_id), "instruments": ["gad2"]})
        client.post(_url("reminders"), {"every_days": "14", "at_hour": "10"})
        data = export(member)
        assert data["checkins"][0]["measure"] == "gad2"
        assert data["checkins"][0]["score"] == 3
        assert [a["answer"] for a in data["checkins"][0]["answers"]] == [
            "Several days",
            "More than half the days",
        ]
        assert data["checkin_sharing"][0]["you_shared_with"] == "Hazel"
        assert export(matched)["checkin_sharing"][0]["shared_with_you_by"] == member.display_name
        erase(actor=OPERATOR, user=member, now=IN_HOURS)
    assert not CheckIn.objects.exists()
    assert not Share.objects.exists()
    assert not Reminder.objects.exists()
