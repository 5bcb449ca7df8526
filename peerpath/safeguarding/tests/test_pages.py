"""Asking for contact, and the staff pages that handle alerts, as their users use them."""

from __future__ import annotations

import html
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import membership_of
from peerpath.accounts.choices import Role
from peerpath.audit.models import Action, AuditEvent
from peerpath.safeguarding.models import ActionKind, Alert, AlertAction, AlertSource, AlertStatus
from peerpath.safeguarding.services import (
    alert_acknowledge,
    alert_close,
    alert_raise,
    follow_up_add,
    follow_up_done,
)
from peerpath.safeguarding.tests.conftest import IN_HOURS, london, pages

pytestmark = pytest.mark.django_db
LATE = london(2027, 3, 2, 23, 30)
ASK = reverse("safeguarding:ask_for_contact")


def _signed_in(person):
    client = Client()
    client.force_login(person)
    return client


def _text(response):
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_out_of_hours_she_is_told_nobody_is_reading_and_shown_the_24_hour_routes_first(duty):
    with time_machine.travel(LATE, tick=False):
        client = _signed_in(duty.member)
        page = _text(client.get(ASK))
        assert "Nobody is reading these right now" in page
        assert "between 8am and 10pm, every day" in page
        # 999 and the 24-hour helplines come before the form.
        assert page.index("Call 999") < page.index("Samaritans") < page.index("Ask us to contact")
        assert "PANDAS" not in page  # its hours are not known to be round the clock
        sent = client.post(ASK, {"how": "in_app", "voicemail": "no", "message": "I can't cope"})
        assert sent.status_code == 302
        done = _text(client.get(sent["Location"]))
    assert "Nobody is reading right now" in done
    assert "the next person will see it at 8am tomorrow" in done
    alert = Alert.objects.get(member=duty.member)
    assert (alert.tier, alert.source, alert.raised_out_of_hours) == (
        1,
        AlertSource.MEMBER_REQUEST,
        True,
    )
    assert alert.contact_preference == {"how": "in_app"}  # no message to leave in PeerPath
    assert pages(duty.lead, "safeguarding_out_of_hours") == 1


def test_in_hours_she_is_told_someone_will_contact_her_as_soon_as_they_can(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = _signed_in(duty.member)
        assert "Nobody is reading" not in _text(client.get(ASK))
        sent = client.post(ASK, {"how": "email"})
        done = _text(client.get(sent["Location"]))
    assert "will contact you as soon as they can" in done
    assert "Thank you for telling us" not in done
    assert pages(duty.primary) == 1


def test_a_mistake_keeps_what_she_wrote_and_says_what_to_fix_beside_the_field(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = _signed_in(duty.member)
        response = client.post(ASK, {"how": "phone", "message": "Please ring after 6"})
        bad_number = _text(client.post(ASK, {"how": "text", "number": "12", "voicemail": "no"}))
        sent = client.post(
            ASK, {"how": "text", "number": "07700 900777", "voicemail": "no", "message": "x"}
        )
    page = _text(response)
    assert response.status_code == 200
    assert "Enter the mobile number to use, or choose another way." in page
    assert "Tell us whether it is safe to leave a message" in page
    assert "Please ring after 6" in page
    assert "Enter a phone number, like 07700 900123." in bad_number
    assert sent.status_code == 302
    alert = Alert.objects.get()
    assert alert.contact_preference["number"] == "07700 900777"  # for this request only
    duty.member.refresh_from_db()
    assert duty.member.phone == ""


def test_the_coordinator_handles_it_from_the_dashboard_to_a_closed_decision(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = alert_raise(
            actor=duty.member,
            organisation=duty.organisation,
            source=AlertSource.MEMBER_REQUEST,
            tier=1,
            member=duty.member,
            context="I can't stop crying",
            contact_preference={"how": "phone", "when": "now", "voicemail": "no"},
        )
        client = _signed_in(duty.primary)
        slug = duty.organisation.slug
        dashboard = _text(
            client.get(reverse("safeguarding:alerts_dashboard", kwargs={"slug": slug}))
        )
        assert "Waiting for someone (1)" in dashboard
        assert "Alerts (1 waiting)" in dashboard  # the staff header
        detail_url = reverse("safeguarding:alert_detail", kwargs={"public_id": alert.public_id})
        detail = _text(client.get(detail_url))
        assert "I can't stop crying" in detail
        assert "Do not leave a message." in detail
        assert AuditEvent.objects.filter(
            action=Action.READ, object_id=str(alert.public_id)
        ).exists()
        client.post(
            reverse("safeguarding:alert_acknowledge", kwargs={"public_id": alert.public_id})
        )
        # Acknowledged, it is being handled: the header counts only what waits for someone.
        handled = _text(client.get(reverse("safeguarding:alerts_raised")))
        assert "Alerts (1 waiting)" not in handled
        close_url = reverse("safeguarding:alert_close", kwargs={"public_id": alert.public_id})
        bad = client.post(close_url, {"outcome": "supported", "reasons": "Talked; she is safe."})
        assert bad.status_code == 400
        assert "Choose whether a safeguarding referral was made." in _text(bad)
        assert "Talked; she is safe." in _text(bad)
        good = client.post(
            close_url,
            {"outcome": "supported", "referral_decision": "not_needed", "reasons": "Talked."},
        )
        assert good.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
    assert alert.owner == duty.primary


def test_her_matched_supporter_raises_an_alert_from_the_member_page_and_sees_its_state(
    organisation, member, supporter_matched, coordinator
):
    with time_machine.travel(IN_HOURS, tick=False):
        client = _signed_in(supporter_matched)
        membership = membership_of(member, Role.MEMBER)
        member_page = _text(
            client.get(
                reverse("accounts:staff_member_detail", kwargs={"public_id": membership.public_id})
            )
        )
        assert "Raise a safeguarding alert" in member_page
        url = reverse(
            "safeguarding:alert_raise_for_member", kwargs={"public_id": membership.public_id}
        )
        missing = client.post(url, {"source": "contact_log"})
        assert "Write what happened." in _text(missing)
        raised = client.post(
            url, {"tier": "2", "source": "contact_log", "context": "She has a plan."}
        )
        assert raised.status_code == 302
        mine = _text(client.get(reverse("safeguarding:alerts_raised")))
        alert = Alert.objects.get(member=member)
        # The supporter sees the state, never the alert's page.
        detail = client.get(
            reverse("safeguarding:alert_detail", kwargs={"public_id": alert.public_id})
        )
    assert f"{member}: tier 2" in mine
    assert alert.raised_by == supporter_matched
    assert detail.status_code == 404
    assert pages(coordinator) == 0  # no rota yet: it went to the leads, of whom there are none


def test_the_dashboard_costs_the_same_few_queries_however_many_alerts(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = _signed_in(duty.primary)
        url = reverse("safeguarding:alerts_dashboard", kwargs={"slug": duty.organisation.slug})
        client.get(url)

        def queries():
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        one = None
        for count in range(4):
            alert_raise(
                actor=duty.member,
                organisation=duty.organisation,
                source=AlertSource.MEMBER_REQUEST,
                tier=1 + count % 2,
                member=duty.member,
            )
            if one is None:
                one = queries()
        assert queries() == one


def test_a_follow_up_due_in_the_past_is_refused_beside_its_field_and_keeps_what_was_typed(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = alert_raise(
            actor=duty.member,
            organisation=duty.organisation,
            source=AlertSource.MEMBER_REQUEST,
            tier=1,
            member=duty.member,
        )
        client = _signed_in(duty.primary)
        url = reverse("safeguarding:alert_follow_up", kwargs={"public_id": alert.public_id})
        response = client.post(
            url,
            {
                "description": "Ring her back after the health visitor",
                "due_at": "2027-03-02T09:00",
                "owner": str(duty.backup.public_id),
            },
        )
        page = _text(response)
        assert response.status_code == 400
        assert "Choose a time that has not passed yet." in page
        assert "Ring her back after the health visitor" in page
        assert not alert.follow_ups.exists()
        # Someone who does not handle alerts cannot be given one.
        refused = client.post(
            url,
            {
                "description": "Ring her",
                "due_at": "2027-03-02T15:00",
                "owner": str(duty.supporter.public_id),
            },
        )
        assert refused.status_code == 400
        assert not alert.follow_ups.exists()
        client.post(
            url,
            {
                "description": "Ring her",
                "due_at": "2027-03-02T15:00",
                "owner": str(duty.backup.public_id),
            },
        )
    follow_up = alert.follow_ups.get()
    assert (follow_up.owner, follow_up.due_at) == (duty.backup, london(2027, 3, 2, 15, 0))


def test_asking_again_while_the_team_has_her_request_adds_to_it_and_pages_nobody_again(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = _signed_in(duty.member)
        first = client.post(ASK, {"how": "in_app", "voicemail": "yes", "message": "Please"})
        assert first["Location"] == reverse("safeguarding:ask_for_contact_sent")
        again = [
            client.post(
                ASK,
                {
                    "how": "phone",
                    "number": "07700 900777",
                    "when": "after 7pm",
                    "voicemail": "no",
                    "message": "Still here",
                },
            )
            for _ in range(5)
        ]
        page = _text(client.get(again[-1]["Location"]))
    alert = Alert.objects.get(member=duty.member)
    assert pages(duty.primary) == 1
    assert pages(duty.backup) == 0
    asked = list(AlertAction.objects.filter(alert=alert, kind=ActionKind.ASKED_AGAIN))
    assert len(asked) == 5
    assert "When: after 7pm" in asked[0].text
    assert "Do not leave a message." in asked[0].text
    assert "She wrote: Still here" in asked[0].text
    with connection.cursor() as cursor:  # encrypted like the rest of the log
        cursor.execute("SELECT text FROM safeguarding_alertaction WHERE id = %s", [asked[0].pk])
        assert "Still here" not in cursor.fetchone()[0]
    # A calm answer, the routes that answer now still first.
    assert "Your earlier request is still with the team" in page
    assert page.index("Call 999") < page.index("Samaritans") < page.index("still with the team")


def test_once_her_request_is_closed_asking_again_raises_a_new_alert(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = _signed_in(duty.member)
        client.post(ASK, {"how": "in_app", "voicemail": "yes"})
        alert_close(
            actor=duty.primary,
            alert=Alert.objects.get(member=duty.member),
            outcome="supported",
            referral_decision="not_needed",
            reasons="Talked.",
        )
        sent = client.post(ASK, {"how": "in_app", "voicemail": "yes"})
    assert sent["Location"] == reverse("safeguarding:ask_for_contact_sent")
    assert Alert.objects.filter(member=duty.member).count() == 2
    assert pages(duty.primary) == 2


def test_an_empty_form_is_sent_back_with_what_to_fix_beside_each_field(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        member = _signed_in(duty.member)
        asked = _text(member.post(ASK, {}))
        staff = _signed_in(duty.primary)
        raise_url = reverse(
            "safeguarding:alert_raise_for_member",
            kwargs={"public_id": membership_of(duty.member, Role.MEMBER).public_id},
        )
        raised = staff.post(raise_url, {})
    assert "Choose how you would like us to contact you." in asked
    assert raised.status_code == 200
    assert "Choose a tier." in _text(raised)
    assert "Write what happened." in _text(raised)
    assert not Alert.objects.exists()


def _acknowledged(duty):
    alert = alert_raise(
        actor=duty.member,
        organisation=duty.organisation,
        source=AlertSource.MEMBER_REQUEST,
        tier=1,
        member=duty.member,
    )
    return alert_acknowledge(actor=duty.primary, alert=alert)


def test_hidden_characters_are_refused_beside_the_field_and_what_she_typed_is_kept(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        member = _signed_in(duty.member)
        asked = member.post(
            ASK,
            {
                "how": "in_app",
                "voicemail": "yes",
                "when": "after\u202e7pm",
                "message": "Please ring me",
            },
        )
        alert = _acknowledged(duty)
        staff = _signed_in(duty.primary)
        recorded = staff.post(
            reverse("safeguarding:alert_record", kwargs={"public_id": alert.public_id}),
            {"kind": "note", "text": "Spoke to her\x1b[2J"},
        )
        follow_up = staff.post(
            reverse("safeguarding:alert_follow_up", kwargs={"public_id": alert.public_id}),
            {
                "description": "Ring\u200b back",
                "due_at": "2027-03-02T15:00",
                "owner": str(duty.primary.public_id),
            },
        )
        closed = staff.post(
            reverse("safeguarding:alert_close", kwargs={"public_id": alert.public_id}),
            {"outcome": "supported", "referral_decision": "not_needed", "reasons": "Fine\x07"},
        )
    assert asked.status_code == 200
    assert "hidden characters" in _text(asked)
    assert "Please ring me" in _text(asked)
    for response in (recorded, follow_up, closed):
        assert response.status_code == 400
        assert "This has hidden characters in it" in _text(response)
    assert Alert.objects.count() == 1
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert not AlertAction.objects.filter(alert=alert, kind=ActionKind.NOTE).exists()
    assert not alert.follow_ups.exists()


def test_a_follow_up_more_than_90_days_ahead_is_refused_beside_its_field(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = _acknowledged(duty)
        client = _signed_in(duty.primary)
        url = reverse("safeguarding:alert_follow_up", kwargs={"public_id": alert.public_id})
        owner = str(duty.primary.public_id)
        far = client.post(
            url, {"description": "Ring", "due_at": "9999-12-31T23:59", "owner": owner}
        )
        # 90 days on from 10am in March is 11am London time, the clocks having gone forward.
        just_over = client.post(
            url, {"description": "Ring", "due_at": "2027-05-31T11:01", "owner": owner}
        )
        within = client.post(
            url, {"description": "Ring", "due_at": "2027-05-31T11:00", "owner": owner}
        )
    for response in (far, just_over):
        assert response.status_code == 400
        assert "Choose a time in the next 90 days." in _text(response)
    assert within.status_code == 302
    assert alert.follow_ups.count() == 1


def test_nothing_can_be_added_to_a_closed_alert_and_the_page_says_why(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = _acknowledged(duty)
        follow_up = follow_up_add(
            actor=duty.primary,
            alert=alert,
            owner=duty.primary,
            description="Ring her",
            due_at=london(2027, 3, 2, 15, 0),
        )
        follow_up_done(actor=duty.primary, follow_up=follow_up)
        alert_close(
            actor=duty.primary,
            alert=alert,
            outcome="supported",
            referral_decision="not_needed",
            reasons="Talked.",
        )
        client = _signed_in(duty.backup)
        note = client.post(
            reverse("safeguarding:alert_record", kwargs={"public_id": alert.public_id}),
            {"kind": "note", "text": "Written after closing"},
        )
        later = client.post(
            reverse("safeguarding:alert_follow_up", kwargs={"public_id": alert.public_id}),
            {
                "description": "Reopen quietly",
                "due_at": "2027-03-02T15:00",
                "owner": str(duty.backup.public_id),
            },
        )
        done = client.post(
            reverse(
                "safeguarding:alert_follow_up_done",
                kwargs={"public_id": alert.public_id, "follow_up_id": follow_up.public_id},
            ),
            follow=True,
        )
    for response in (note, later):
        assert response.status_code == 400
        assert "This alert is closed." in _text(response)
    assert "This alert is closed." in _text(done)
    kinds = list(AlertAction.objects.filter(alert=alert).values_list("kind", flat=True))
    assert ActionKind.NOTE not in kinds
    assert kinds.count(ActionKind.FOLLOW_UP_DONE) == 1  # before it was closed, not after
    assert alert.follow_ups.count() == 1


def test_a_new_calendar_address_is_shown_in_the_answer_itself_and_kept_nowhere(duty):
    from django.contrib.sessions.models import Session

    with time_machine.travel(IN_HOURS, tick=False):
        client = _signed_in(duty.primary)
        made = client.post(
            reverse("safeguarding:duty_feed_create", kwargs={"slug": duty.organisation.slug})
        )
        later = _text(
            client.get(reverse("safeguarding:rota", kwargs={"slug": duty.organisation.slug}))
        )
    found = re.search(r"<code>(http[^<]+/duty/([^<]+)\.ics)</code>", made.content.decode())
    assert made.status_code == 200
    assert found is not None
    assert "no-store" in made["Cache-Control"]
    token = found.group(2)
    for session in Session.objects.all():
        assert token not in str(session.get_decoded())
    assert token not in later
    assert "You have a private calendar address" in later


def test_she_can_say_she_has_thoughts_of_harm_and_it_reaches_the_team_sooner(duty):
    """Tier 2 (the reference's "thoughts of harming the baby", self-harm): the leads are asked
    to review it at once, the alert says so first, and she is told plainly what to do now."""
    with time_machine.travel(IN_HOURS, tick=False):
        client = _signed_in(duty.member)
        form = _text(client.get(ASK))
        assert "Are you having thoughts of harming yourself or your baby? (optional)" in form
        client.post(ASK, {"how": "in_app", "message": "Tired"})
        sent = client.post(ASK, {"how": "in_app", "harm_thoughts": "yes"})
        done = _text(client.get(sent["Location"]))
        staff = _signed_in(duty.primary)
        alerts = list(Alert.objects.filter(member=duty.member).order_by("created_at", "pk"))
        detail = _text(
            staff.get(
                reverse("safeguarding:alert_detail", kwargs={"public_id": alerts[1].public_id})
            )
        )
    assert [alert.tier for alert in alerts] == [1, 2]  # the tier-1 request did not hold it back
    assert "call 999 now or go to A&E" in done
    assert "For urgent help today, call 111." in done
    assert pages(duty.primary) == 2
    assert pages(duty.lead, "safeguarding_lead_review") == 1
    assert "She said she is having thoughts of harming herself or her baby." in detail
    earlier = AlertAction.objects.get(alert=alerts[0], kind=ActionKind.ASKED_AGAIN)
    assert "A tier 2 alert was raised in its place" in earlier.text
    alerts[0].refresh_from_db()
    assert alerts[0].next_step_at is None  # the tier-1 request pages nobody more


def test_asking_again_after_saying_yes_adds_to_the_tier_2_request_and_pages_nobody(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        client = _signed_in(duty.member)
        client.post(ASK, {"how": "in_app"})
        for _time in range(3):
            client.post(ASK, {"how": "in_app", "harm_thoughts": "yes"})
        client.post(ASK, {"how": "email", "when": "after 7pm"})
    alerts = list(Alert.objects.filter(member=duty.member).order_by("created_at", "pk"))
    assert [alert.tier for alert in alerts] == [1, 2]
    assert pages(duty.primary) == 2
    assert pages(duty.lead, "safeguarding_lead_review") == 1
    latest = AlertAction.objects.filter(alert=alerts[1], kind=ActionKind.ASKED_AGAIN)
    assert latest.count() == 3
    assert "When: after 7pm" in latest.last().text


def _open_request(duty):
    return alert_raise(
        actor=duty.member,
        organisation=duty.organisation,
        source=AlertSource.MEMBER_REQUEST,
        tier=1,
        member=duty.member,
    )


def test_recording_a_contact_on_an_open_alert_makes_it_hers_and_stops_the_pages(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = _open_request(duty)
        client = _signed_in(duty.backup)
        url = reverse("safeguarding:alert_record", kwargs={"public_id": alert.public_id})
        done = client.post(url, {"kind": "contact", "text": "Rang her; we talked."})
        page = _text(client.get(done["Location"]))
    alert.refresh_from_db()
    assert (alert.status, alert.owner) == (AlertStatus.ACKNOWLEDGED, duty.backup)
    assert done["Location"].endswith("#maincontent")  # the message is at the top
    assert "Recorded. It is yours now: nobody else will be paged for it." in page
    assert "(on duty): Ash" in page  # the log names who was paged
    assert "Passive thoughts" not in page  # her own request is not labelled by its tier's name


def test_closing_refuses_a_referral_outcome_with_a_decision_that_says_there_was_none(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = _open_request(duty)
        client = _signed_in(duty.primary)
        url = reverse("safeguarding:alert_close", kwargs={"public_id": alert.public_id})
        refused = client.post(
            url,
            {
                "outcome": "safeguarding_referral",
                "referral_decision": "not_needed",
                "reasons": "Referred to children's social care.",
            },
        )
    assert refused.status_code == 400
    page = _text(refused)
    assert "The outcome says a safeguarding referral was made" in page
    assert "Referred to children's social care." in page  # what she typed is kept
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_an_alert_is_handed_only_to_someone_who_does_not_have_it(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = alert_acknowledge(actor=duty.primary, alert=_open_request(duty))
        client = _signed_in(duty.primary)
        page = client.get(
            reverse("safeguarding:alert_detail", kwargs={"public_id": alert.public_id})
        ).content.decode()
    hand_over = page[page.index('id="hand-over"') :]
    hand_over = hand_over[: hand_over.index("</form>")]
    assert str(duty.backup.public_id) in hand_over
    assert str(duty.primary.public_id) not in hand_over


def test_signed_out_she_sees_the_routes_that_answer_now_and_how_to_sign_in_to_ask(duty):
    with time_machine.travel(LATE, tick=False):
        page = _text(Client().get(ASK))
    assert "Talk to someone" in page
    assert page.index("Call 999") < page.index("Samaritans") < page.index("Sign in to ask")
    assert f"/auth/login/?next={ASK.replace('/', '%2F')}" in page
