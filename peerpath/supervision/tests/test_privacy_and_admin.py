"""Her copy of everything and her erasure; the admin pages where org admins keep training
modules and the supervision interval."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from peerpath.accounts.subject_rights import member_data_export, user_erase
from peerpath.audit.models import Action, AuditEvent
from peerpath.supervision.models import (
    BackgroundCheck,
    SupervisionPolicy,
    SupervisionSession,
    TrainingCompletion,
    TrainingModule,
    WellbeingCheckIn,
)
from peerpath.supervision.services import (
    SupervisionError,
    training_module_delete,
    wellbeing_checkin_submit,
)
from peerpath.supervision.tests.conftest import NOW, make_ready, signed_in

pytestmark = pytest.mark.django_db


def _her_records(team):
    make_ready(team, team.hazel)
    BackgroundCheck.objects.filter(supporter=team.hazel).update(reference="0099887766")
    wellbeing_checkin_submit(
        actor=team.supporter,
        supporter=team.hazel,
        feeling="okay",
        note="Tired but fine.",
        wants_to_talk=False,
    )


def test_her_copy_of_everything_has_her_training_checks_sessions_and_wellbeing(team):
    with time_machine.travel(NOW, tick=False):
        _her_records(team)
        data = member_data_export(actor=team.supporter, user=team.supporter)
        held = member_data_export(actor=team.coordinator, user=team.coordinator)
    assert {row["module"] for row in data["training"]} == {
        "Safeguarding training",
        "Peer support foundation course",
    }
    assert data["background_checks"][0]["certificate_number"] == "0099887766"
    assert data["supervision_sessions"][0]["notes"] == "Private note about her practice."
    assert data["supervision_sessions"][0]["supervisor"] == "Ash"
    assert data["how_supporting_is_going"][0]["note"] == "Tired but fine."
    assert held["supervision_you_held"] == [{"with": "Hazel", "held_on": "2027-02-23"}]
    assert held["supervision_sessions"] == []


def test_erasing_her_account_deletes_her_wellbeing_and_blanks_what_was_written_about_her(team):
    with time_machine.travel(NOW, tick=False):
        _her_records(team)
        place = team.hazel
        user_erase(actor=team.supporter, user=team.supporter)
    assert not WellbeingCheckIn.objects.exists()
    session = SupervisionSession.objects.get(supporter=place)
    assert (session.notes, session.agreed_actions, session.held_on) == (
        "",
        "",
        dt.date(2027, 2, 23),
    )
    check = BackgroundCheck.objects.get(supporter=place)
    assert (check.reference, check.outcome) == ("", "clear")
    assert TrainingCompletion.objects.filter(supporter=place).count() == 2
    assert AuditEvent.objects.filter(
        action=Action.DELETE, object_type="supervision.WellbeingCheckIn"
    ).exists()


def test_org_admins_keep_training_modules_in_the_admin_and_others_are_not_let_in(team):
    changelist = reverse("admin:supervision_trainingmodule_changelist")
    add = reverse("admin:supervision_trainingmodule_add")
    admin = signed_in(team.admin)
    assert admin.get(changelist).status_code == 200
    response = admin.post(
        add,
        {
            "organisation": str(team.organisation.pk),
            "name": "Data protection training",
            "description": "",
            "required_for_matching": "on",
            "valid_for_months": "12",
            "in_use": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = TrainingModule.objects.get(name="Data protection training")
    assert created.valid_for_months == 12
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_id=str(created.public_id)
    ).exists()
    # Her coordinator and another charity's admin do not see this charity's modules.
    assert signed_in(team.supporter).get(changelist).status_code in (302, 404)
    change = reverse("admin:supervision_trainingmodule_change", args=[team.safeguarding.pk])
    assert signed_in(team.outsider).get(change).status_code in (302, 404)


def test_a_module_someone_completed_is_retired_not_deleted(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        with pytest.raises(SupervisionError, match="no longer in use"):
            training_module_delete(actor=team.admin, obj=team.safeguarding)
        unused = TrainingModule.objects.create(organisation=team.organisation, name="Unused")
        training_module_delete(actor=team.admin, obj=unused)
    assert not TrainingModule.objects.filter(name="Unused").exists()


def test_org_admins_set_how_often_supervision_is_due(team):
    admin = signed_in(team.admin)
    response = admin.post(
        reverse("admin:supervision_supervisionpolicy_add"),
        {"organisation": str(team.organisation.pk), "interval_days": "28"},
    )
    assert response.status_code == 302
    assert SupervisionPolicy.objects.get(organisation=team.organisation).interval_days == 28
    response = admin.post(
        reverse("admin:supervision_supervisionpolicy_add"),
        {"organisation": str(team.organisation.pk), "interval_days": "0"},
    )
    assert response.status_code == 200  # shown again with the error
    assert SupervisionPolicy.objects.count() == 1
