"""A closed alert a supporter raised puts a debrief due in her supervision; her wellbeing
check-ins reach her coordinators."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from peerpath.accounts.models import User
from peerpath.core.actors import WORKER
from peerpath.notifications.models import Notification
from peerpath.safeguarding import hooks
from peerpath.safeguarding.models import AlertSource
from peerpath.safeguarding.services import alert_close, alert_raise
from peerpath.supervision.models import DebriefDue, WellbeingCheckIn
from peerpath.supervision.reactions import record_debrief_due
from peerpath.supervision.readiness import readiness_of
from peerpath.supervision.services import supervision_session_record
from peerpath.supervision.tests.conftest import NOW, TODAY, make_ready, signed_in, text

pytestmark = pytest.mark.django_db


def _closed_alert(team, context="She said she wished she was not here."):
    alert = alert_raise(
        actor=team.supporter,
        organisation=team.organisation,
        source=AlertSource.CONTACT_LOG,
        tier=1,
        member=team.member,
        context=context,
    )
    return alert_close(
        actor=team.coordinator,
        alert=alert,
        outcome="supported",
        referral_decision="not_needed",
        reasons="Spoke with her; she has support from her midwife.",
    )


def _session(team, *, is_debrief):
    return supervision_session_record(
        actor=team.coordinator,
        supporter=team.hazel,
        supervisor=team.coordinator,
        held_on=TODAY,
        notes="",
        agreed_actions="",
        is_debrief=is_debrief,
    )


def test_the_receiver_is_registered_for_the_safeguarding_hook():
    assert record_debrief_due in hooks.alert_debrief_due.receivers


def test_closing_an_alert_she_raised_puts_a_debrief_due_and_a_debrief_session_clears_the_oldest(
    team,
):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        first = _closed_alert(team)
        second = _closed_alert(team, context="She said she feels hopeless.")
        dues = list(DebriefDue.objects.filter(supporter=team.hazel).order_by("created_at", "pk"))
        assert [d.alert_id for d in dues] == [first.pk, second.pk]
        # Due, but it does not stop her being matched.
        assert readiness_of([team.hazel])[team.hazel.pk].ready
        page = text(
            signed_in(team.coordinator).get(
                reverse("supervision:overview", kwargs={"slug": team.organisation.slug})
            )
        )
        assert "2 debriefs due" in page
        mine = text(signed_in(team.supporter).get(reverse("supervision:mine")))
        assert "After an alert you raised on 2 March 2027" in mine
        _session(team, is_debrief=False)
        assert DebriefDue.objects.filter(cleared_at__isnull=True).count() == 2
        session = _session(team, is_debrief=True)
        dues = list(DebriefDue.objects.filter(supporter=team.hazel).order_by("created_at", "pk"))
        assert dues[0].cleared_by_session == session
        assert dues[1].cleared_at is None


def test_the_same_alert_puts_only_one_debrief_due_and_none_for_someone_no_longer_a_supporter(
    team, other_organisation
):
    with time_machine.travel(NOW, tick=False):
        alert = _closed_alert(team)
        hooks.alert_debrief_due(alert=alert, supporter=team.supporter)
        assert DebriefDue.objects.count() == 1
        hooks.alert_debrief_due(alert=alert, supporter=team.coordinator)  # not a supporter
        assert DebriefDue.objects.count() == 1
        record_debrief_due(alert=alert, supporter=team.other_supporter)
        assert DebriefDue.objects.filter(supporter=team.rowan).count() == 1


def test_a_supporter_who_is_struggling_tells_her_coordinators_and_shows_on_their_overview(team):
    with time_machine.travel(NOW, tick=False):
        response = signed_in(team.supporter).post(
            reverse("supervision:wellbeing"),
            {"feeling": "struggling", "note": "A hard week.", "wants_to_talk": "on"},
        )
        assert response.status_code == 302
        checkin = WellbeingCheckIn.objects.get()
        assert (checkin.feeling, checkin.wants_to_talk, checkin.note) == (
            "struggling",
            True,
            "A hard week.",
        )
        told = set(
            Notification.objects.filter(purpose="supporter_wants_to_talk").values_list(
                "recipient_id", flat=True
            )
        )
        # Her coordinators (Ash and Bay) and the safeguarding lead; not the plain admin.
        bay = User.objects.get(display_name="Bay")
        assert told == {team.coordinator.pk, bay.pk, team.lead.pk}
        overview = reverse("supervision:overview", kwargs={"slug": team.organisation.slug})
        client = signed_in(team.coordinator)
        assert "Would like to talk" in text(client.get(overview))
        record = reverse(
            "supervision:supporter",
            kwargs={"slug": team.organisation.slug, "public_id": team.hazel.public_id},
        )
        assert "A hard week." in text(client.get(record))
        followed = reverse(
            "supervision:wellbeing_followed_up",
            kwargs={
                "slug": team.organisation.slug,
                "public_id": team.hazel.public_id,
                "checkin_id": checkin.public_id,
            },
        )
        assert client.post(followed).status_code == 302
        checkin.refresh_from_db()
        assert checkin.followed_up_by == team.coordinator
        assert "Would like to talk" not in text(client.get(overview))
        # Another charity's coordinator cannot mark it.
        assert signed_in(team.outsider).post(followed).status_code == 404


def test_feeling_good_tells_nobody_and_a_form_without_an_answer_keeps_her_note(team):
    with time_machine.travel(NOW, tick=False):
        client = signed_in(team.supporter)
        assert client.post(reverse("supervision:wellbeing"), {"feeling": "good"}).status_code == 302
        assert not Notification.objects.filter(purpose="supporter_wants_to_talk").exists()
        response = client.post(reverse("supervision:wellbeing"), {"note": "Typed first."})
        assert response.status_code == 400
        page = text(response)
        assert "Choose how you are finding it." in page
        assert "Typed first." in page
    assert WellbeingCheckIn.objects.count() == 1


def test_the_debrief_due_is_recorded_as_peerpaths_own_doing(team):
    with time_machine.travel(NOW, tick=False):
        _closed_alert(team)
    from peerpath.audit.models import AuditEvent

    event = AuditEvent.objects.get(object_type="supervision.DebriefDue")
    assert event.actor_label == WORKER.label
