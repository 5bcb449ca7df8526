"""An alert reaches the person on duty at once and escalates until someone acknowledges it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from peerpath.core.actors import OPERATOR, WORKER
from peerpath.jobs.models import Job
from peerpath.notifications.channels.sms import MemorySmsBackend
from peerpath.notifications.models import Delivery, DeliveryStatus
from peerpath.safeguarding.models import (
    ActionKind,
    Alert,
    AlertAction,
    AlertSource,
    AlertStatus,
    FollowUp,
    RotaOverride,
)
from peerpath.safeguarding.services import (
    AlertError,
    alert_acknowledge,
    alert_close,
    alert_escalate,
    alert_hand_over,
    alert_raise,
    alert_record_action,
    alerts_report_overdue,
    follow_up_add,
    follow_up_done,
    rota_override_save,
)
from peerpath.safeguarding.tests.conftest import IN_HOURS, london, pages, run_worker

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


def _raise(duty, tier=2, source=AlertSource.CONTACT_LOG, actor=None):
    return alert_raise(
        actor=actor or duty.supporter,
        organisation=duty.organisation,
        source=source,
        tier=tier,
        member=duty.member,
        context="She said she has thought about how she would do it.",
    )


def test_a_tier_2_alert_nobody_acknowledges_reaches_the_backup_at_minute_5_and_the_leads_at_10(
    duty,
):
    with time_machine.travel(IN_HOURS, tick=False) as clock:
        alert = _raise(duty)
        assert (pages(duty.primary), pages(duty.backup), pages(duty.lead)) == (1, 0, 0)
        clock.move_to(IN_HOURS + 5 * MINUTE - dt.timedelta(seconds=1))
        run_worker()
        assert pages(duty.backup) == 0
        clock.move_to(IN_HOURS + 5 * MINUTE)
        run_worker()
        assert (pages(duty.primary), pages(duty.backup), pages(duty.lead)) == (1, 1, 0)
        clock.move_to(IN_HOURS + 10 * MINUTE - dt.timedelta(seconds=1))
        run_worker()
        assert pages(duty.lead) == 0
        clock.move_to(IN_HOURS + 10 * MINUTE)
        run_worker()
        run_worker()  # a second pass finds nothing more to do
        assert (pages(duty.primary), pages(duty.backup), pages(duty.lead)) == (1, 1, 1)
        # Nobody yet: the leads are paged again every 5 minutes.
        clock.move_to(IN_HOURS + 15 * MINUTE)
        run_worker()
        assert pages(duty.lead) == 2
        alert.refresh_from_db()
        assert alert.status == AlertStatus.OPEN
        paged = list(
            AlertAction.objects.filter(alert=alert, kind=ActionKind.PAGED).values_list(
                "decision", "created_at"
            )
        )
        assert paged == [
            ("on duty", IN_HOURS),
            ("backup", IN_HOURS + 5 * MINUTE),
            ("safeguarding leads", IN_HOURS + 10 * MINUTE),
            ("safeguarding leads", IN_HOURS + 15 * MINUTE),
        ]


def test_the_text_is_lock_screen_safe_and_its_link_acknowledges_after_sign_in(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = _raise(duty)
        run_worker()
    texts = [t for t in MemorySmsBackend.outbox if t.to == duty.primary.phone]
    assert len(texts) == 1, list(
        Delivery.objects.filter(notification__recipient=duty.primary).values_list(
            "channel", "status", "last_error"
        )
    )
    link = reverse("safeguarding:alert_acknowledge", kwargs={"public_id": alert.public_id})
    assert texts[0].body.startswith("PeerPath: an alert needs you.")
    assert texts[0].body.endswith(link)
    assert "thought" not in texts[0].body
    assert str(duty.member) not in texts[0].body
    client = Client()
    assert client.get(link).status_code == 302  # sign in first
    client.force_login(duty.backup)
    page = client.get(link)
    assert page.status_code == 200
    assert "I am handling this" in page.content.decode()
    assert client.post(link).status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.owner) == (AlertStatus.ACKNOWLEDGED, duty.backup)


def test_acknowledging_stops_every_pending_page_and_the_escalation(duty):
    with time_machine.travel(IN_HOURS, tick=False) as clock:
        alert = _raise(duty)
        clock.move_to(IN_HOURS + MINUTE)
        alert_acknowledge(actor=duty.primary, alert=alert)
        # Her pages not sent yet are withdrawn; nobody else is ever paged.
        assert not Delivery.objects.filter(
            notification__recipient=duty.primary, status=DeliveryStatus.PENDING
        ).exists()
        clock.move_to(IN_HOURS + 60 * MINUTE)
        run_worker()
    assert (pages(duty.primary), pages(duty.backup), pages(duty.lead)) == (1, 0, 0)
    alert.refresh_from_db()
    assert alert.next_step_at is None
    # A second person tapping the link later changes nothing.
    again = alert_acknowledge(actor=duty.backup, alert=alert)
    assert again.owner == duty.primary


def test_a_step_runs_once_however_often_its_job_is_tried(duty):
    with time_machine.travel(IN_HOURS, tick=False) as clock:
        _raise(duty)
        job = Job.objects.get(task="safeguarding.escalate")
        clock.move_to(IN_HOURS + 5 * MINUTE)
        assert alert_escalate(actor=WORKER, **job.arguments) is True
        assert alert_escalate(actor=WORKER, **job.arguments) is False  # a retry, or a second worker
        run_worker()  # the job itself, claimed later
    assert pages(duty.backup) == 1


def test_an_empty_rota_slot_goes_straight_to_the_leads_with_a_rota_gap(duty):
    rota_override_save(
        actor=OPERATOR,
        override=RotaOverride(
            organisation=duty.organisation,
            position="primary",
            starts_at=IN_HOURS - dt.timedelta(hours=1),
            ends_at=IN_HOURS + dt.timedelta(hours=1),
            person=None,
            reason="Ash is ill",
        ),
        changed=[],
    )
    with time_machine.travel(IN_HOURS, tick=False):
        alert = _raise(duty)
    assert pages(duty.primary) == 0
    assert pages(duty.lead, "safeguarding_rota_gap") == 1
    assert AlertAction.objects.filter(alert=alert, kind=ActionKind.ROTA_GAP).exists()


def test_outside_staffed_hours_it_waits_for_the_first_person_on_duty_and_the_leads_are_told(
    duty,
):
    late = london(2027, 3, 2, 23, 30)
    with time_machine.travel(late, tick=False) as clock:
        alert = _raise(duty, tier=1, source=AlertSource.MEMBER_REQUEST, actor=duty.member)
        assert alert.raised_out_of_hours
        assert pages(duty.lead, "safeguarding_out_of_hours") == 1
        clock.move_to(london(2027, 3, 3, 7, 59))
        run_worker()
        assert pages(duty.primary) == 0
        clock.move_to(london(2027, 3, 3, 8, 0))
        run_worker()
    assert pages(duty.primary) == 1
    assert pages(duty.backup) == 0


def test_a_late_escalation_shows_on_healthz_and_reaches_the_leads_once(duty, client):
    with time_machine.travel(IN_HOURS, tick=False) as clock:
        _raise(duty)
        assert client.get(reverse("core:healthz")).json()["status"] == "ok"
        # The worker is down: the backup's step was due at minute 5.
        clock.move_to(IN_HOURS + 7 * MINUTE + dt.timedelta(seconds=1))
        report = client.get(reverse("core:healthz")).json()
        assert report["status"] == "degraded"
        assert report["alert_escalations"].startswith("1 alert")
        assert alerts_report_overdue(actor=WORKER) == 1
        assert alerts_report_overdue(actor=WORKER) == 1
    assert pages(duty.lead, "safeguarding_rota_gap") == 1


def test_closing_needs_an_outcome_a_referral_decision_and_reasons(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = _raise(duty)
        with pytest.raises(AlertError, match="what was decided"):
            alert_close(
                actor=duty.primary,
                alert=alert,
                outcome="supported",
                referral_decision="not_referred",
                reasons="  ",
            )
        alert = alert_close(
            actor=duty.primary,
            alert=alert,
            outcome="supported",
            referral_decision="not_referred",
            reasons="Spoke for 40 minutes; she has a safety plan with her GP tomorrow.",
        )
    kinds = list(AlertAction.objects.filter(alert=alert).values_list("kind", flat=True))
    assert kinds[-3:] == [ActionKind.ACKNOWLEDGED, ActionKind.CLOSED, ActionKind.DEBRIEF]
    closed = AlertAction.objects.get(alert=alert, kind=ActionKind.CLOSED)
    assert closed.decision == "not_referred"
    assert "safety plan" in closed.text
    with pytest.raises(ValueError, match="append-only"):
        closed.save()


def test_an_acknowledged_alert_not_closed_in_time_reminds_its_owner(duty):
    with time_machine.travel(IN_HOURS, tick=False) as clock:
        alert = _raise(duty)  # tier 2: close within 4 hours
        alert_acknowledge(actor=duty.primary, alert=alert)
        clock.move_to(IN_HOURS + dt.timedelta(hours=4) - MINUTE)
        run_worker()
        assert pages(duty.primary, "safeguarding_reminder") == 0
        clock.move_to(IN_HOURS + dt.timedelta(hours=4))
        run_worker()
    assert pages(duty.primary, "safeguarding_reminder") == 1


def test_nobody_outside_the_organisation_can_raise_its_alerts(duty, outsider):
    with pytest.raises(AlertError):
        _raise(duty, actor=outsider)


def test_an_alert_whose_owner_has_left_reminds_the_leads_instead_and_says_so(duty):
    from peerpath.accounts.models import Membership
    from peerpath.accounts.services import membership_end

    with time_machine.travel(IN_HOURS, tick=False) as clock:
        alert = _raise(duty)  # tier 2: close within 4 hours
        alert_acknowledge(actor=duty.backup, alert=alert)
        membership_end(
            actor=OPERATOR,
            membership=Membership.objects.get(user=duty.backup, role="coordinator"),
        )
        clock.move_to(IN_HOURS + dt.timedelta(hours=4))
        run_worker()
    assert pages(duty.backup, "safeguarding_reminder") == 0
    assert pages(duty.lead, "safeguarding_unattended") == 1
    reminded = AlertAction.objects.get(alert=alert, kind=ActionKind.REMINDED)
    assert reminded.decision == "safeguarding leads"
    assert reminded.recipients == [str(duty.lead.public_id)]
    assert "can no longer handle alerts" in reminded.text


def test_a_follow_up_whose_owner_was_deactivated_reminds_the_leads(duty):
    from peerpath.accounts.models import User

    with time_machine.travel(IN_HOURS, tick=False) as clock:
        alert = _raise(duty)
        alert_acknowledge(actor=duty.primary, alert=alert)
        follow_up_add(
            actor=duty.primary,
            alert=alert,
            owner=duty.backup,
            description="Ring her GP",
            due_at=IN_HOURS + dt.timedelta(hours=1),
        )
        follow_up_add(
            actor=duty.primary,
            alert=alert,
            owner=duty.primary,
            description="Ring her back",
            due_at=IN_HOURS + dt.timedelta(hours=1),
        )
        User.objects.filter(pk=duty.backup.pk).update(is_active=False)
        clock.move_to(IN_HOURS + dt.timedelta(hours=1))
        run_worker()
    assert pages(duty.backup, "safeguarding_follow_up_due") == 0
    assert pages(duty.primary, "safeguarding_follow_up_due") == 1
    assert pages(duty.lead, "safeguarding_unattended") == 1
    assert AlertAction.objects.filter(
        alert=alert, kind=ActionKind.REMINDED, decision="safeguarding leads"
    ).exists()


def test_an_alert_with_a_follow_up_still_to_do_is_not_closed_so_its_reminder_still_comes(duty):
    """A closed alert reminds nobody, so it cannot be closed while a follow-up waits ("could
    not reach her: try again at 2pm" keeps it open)."""
    with time_machine.travel(IN_HOURS, tick=False) as clock:
        alert = _raise(duty)
        alert_acknowledge(actor=duty.primary, alert=alert)
        follow_up = follow_up_add(
            actor=duty.primary,
            alert=alert,
            owner=duty.backup,
            description="Try ringing her again",
            due_at=IN_HOURS + dt.timedelta(hours=2),
        )

        def close():
            return alert_close(
                actor=duty.primary,
                alert=alert,
                outcome="not_reached",
                referral_decision="not_needed",
                reasons="No answer.",
            )

        with pytest.raises(AlertError, match="It has a follow-up still to do"):
            close()
        clock.move_to(IN_HOURS + dt.timedelta(hours=2))
        run_worker()
        assert pages(duty.backup, "safeguarding_follow_up_due") == 1
        follow_up_done(actor=duty.backup, follow_up=follow_up)
        assert close().status == AlertStatus.CLOSED


def test_nothing_is_added_to_a_closed_alert_through_the_services(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = _raise(duty)
        follow_up = follow_up_add(
            actor=duty.primary,
            alert=alert,
            owner=duty.primary,
            description="Ring her",
            due_at=IN_HOURS + dt.timedelta(hours=1),
        )
        stale = Alert.objects.get(pk=alert.pk)  # loaded before it was closed
        follow_up_done(actor=duty.primary, follow_up=follow_up)
        alert_close(
            actor=duty.primary,
            alert=alert,
            outcome="supported",
            referral_decision="not_needed",
            reasons="Talked.",
        )
        before = AlertAction.objects.filter(alert=alert).count()
        with pytest.raises(AlertError, match=r"This alert is closed\."):
            alert_record_action(actor=duty.backup, alert=stale, kind="note", text="Afterwards")
        with pytest.raises(AlertError, match=r"This alert is closed\."):
            follow_up_add(
                actor=duty.backup,
                alert=stale,
                owner=duty.backup,
                description="Later",
                due_at=IN_HOURS + dt.timedelta(hours=1),
            )
        with pytest.raises(AlertError, match=r"This alert is closed\."):
            follow_up_done(actor=duty.backup, follow_up=FollowUp.objects.get(pk=follow_up.pk))
    assert AlertAction.objects.filter(alert=alert).count() == before
    assert FollowUp.objects.filter(alert=alert).count() == 1


def test_a_follow_up_marked_done_twice_at_once_is_logged_and_audited_once(duty):
    from peerpath.audit.models import Action, AuditEvent

    with time_machine.travel(IN_HOURS, tick=False):
        alert = _raise(duty)
        alert_acknowledge(actor=duty.primary, alert=alert)
        follow_up = follow_up_add(
            actor=duty.primary,
            alert=alert,
            owner=duty.primary,
            description="Ring her",
            due_at=IN_HOURS + dt.timedelta(hours=1),
        )
        # Two taps: both requests loaded it before either saved.
        first, second = (FollowUp.objects.get(pk=follow_up.pk) for _ in range(2))
        follow_up_done(actor=duty.primary, follow_up=first)
        again = follow_up_done(actor=duty.backup, follow_up=second)
    assert AlertAction.objects.filter(alert=alert, kind=ActionKind.FOLLOW_UP_DONE).count() == 1
    assert (
        AuditEvent.objects.filter(
            action=Action.UPDATE, object_id=str(follow_up.public_id), fields=["done_at"]
        ).count()
        == 1
    )
    assert again.done_at == IN_HOURS


def test_the_colleague_handed_an_alert_is_told_it_is_hers_with_nothing_about_it(duty):
    from django.core import mail

    with time_machine.travel(IN_HOURS, tick=False):
        alert = _raise(duty)
        alert_acknowledge(actor=duty.primary, alert=alert)
        alert_hand_over(
            actor=duty.primary, alert=alert, to=duty.backup, note="She has a plan for tonight"
        )
        run_worker()
    assert pages(duty.backup, "safeguarding_handed_over") == 1
    assert pages(duty.backup, "safeguarding_reminder") == 0
    emails = [message for message in mail.outbox if duty.backup.email in message.to]
    assert len(emails) == 1
    assert "an alert has been handed to you" in emails[0].subject
    assert "has handed an alert to you" in emails[0].body
    said = emails[0].subject + emails[0].body
    for detail in ("Sunflower", "plan", "thought", "Tier", "tier", "still open", "close it"):
        assert detail not in said


def test_a_tier_2_alert_asks_the_leads_to_review_it_at_once_without_paging_them_early(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = _raise(duty, tier=2)
        assert pages(duty.lead, "safeguarding_lead_review") == 1
        assert pages(duty.lead) == 0  # their page comes in its turn, if nobody acknowledges
        _raise(duty, tier=1)
        assert pages(duty.lead, "safeguarding_lead_review") == 1  # tier 1 does not ask
    kinds = list(alert.actions.values_list("kind", flat=True))
    assert kinds == ["raised", "paged", "leads_told"]


def test_a_lead_who_is_on_duty_is_paged_once_and_not_asked_to_review_as_well(duty):
    from peerpath.accounts.services import organisation_update
    from peerpath.core.actors import OPERATOR

    organisation_update(
        actor=OPERATOR, organisation=duty.organisation, safeguarding_lead=duty.primary
    )
    with time_machine.travel(IN_HOURS, tick=False):
        _raise(duty, tier=2)
    assert pages(duty.primary) == 1
    assert pages(duty.primary, "safeguarding_lead_review") == 0


def test_out_of_hours_the_leads_are_asked_to_review_with_the_first_page_even_in_quiet_hours(
    duty,
):
    from peerpath.notifications.models import Delivery as Sent

    late = IN_HOURS.replace(hour=21, minute=30)  # staffed; the leads' quiet hours have begun
    with time_machine.travel(late, tick=False):
        _raise(duty, tier=2)
        review = Sent.objects.filter(
            notification__recipient=duty.lead, notification__purpose="safeguarding_lead_review"
        )
        assert {d.due_at for d in review} == {late}  # not held until the morning
    night = IN_HOURS.replace(hour=23, minute=0)
    with time_machine.travel(night, tick=False) as clock:
        alert = _raise(duty, tier=2)
        assert not alert.actions.filter(kind="leads_told").exists()
        clock.move_to(IN_HOURS.replace(day=3, hour=8, minute=0))
        run_worker()
    assert alert.actions.filter(kind="leads_told").count() == 1
