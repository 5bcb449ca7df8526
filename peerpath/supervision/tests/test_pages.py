"""The overview, one supporter's record and her own page: each for the right people, 404 for
everyone else, forms that keep what was typed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person, membership_of
from peerpath.accounts.choices import Role
from peerpath.audit.models import Action, AuditEvent
from peerpath.supervision.models import (
    BackgroundCheck,
    SupervisionSession,
    TrainingCompletion,
)
from peerpath.supervision.tests.conftest import NOW, TODAY, make_ready, signed_in, text

pytestmark = pytest.mark.django_db


def _overview(team):
    return reverse("supervision:overview", kwargs={"slug": team.organisation.slug})


def _record(team, place, name="supervision:supporter", **kwargs):
    return reverse(
        name, kwargs={"slug": team.organisation.slug, "public_id": place.public_id, **kwargs}
    )


def test_the_overview_shows_each_supporter_ready_or_not_and_why(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        for person in (team.coordinator, team.lead):
            page = text(signed_in(person).get(_overview(team)))
            assert "1 of 2 peer supporters is ready to be matched" in page
            assert "Hazel" in page
            assert "Ready" in page
            assert "Rowan" in page
            assert "No background check recorded" in page
            assert "No supervision recorded yet" in page
            assert "Due by 26 Mar 2027" in page
            assert "supervision within the last 31 days" in page


def test_the_overview_shows_training_expiring_within_30_days(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        from peerpath.supervision.services import training_completion_record

        training_completion_record(
            actor=team.coordinator,
            supporter=team.hazel,
            module=team.safeguarding,
            completed_on=dt.date(2026, 3, 20),
        )
        page = text(signed_in(team.coordinator).get(_overview(team)))
    # The newer completion (a month ago) counts longest: nothing is expiring.
    assert "Safeguarding training expires" not in page
    with time_machine.travel(NOW, tick=False):
        TrainingCompletion.objects.filter(supporter=team.hazel, module=team.safeguarding).update(
            expires_on=TODAY + dt.timedelta(days=30)
        )
        page = text(signed_in(team.coordinator).get(_overview(team)))
    assert "Safeguarding training expires 1 Apr 2027" in page


@pytest.mark.parametrize("who", ["admin", "supporter", "member", "outsider"])
def test_the_overview_and_record_are_not_found_for_anyone_else(team, who):
    with time_machine.travel(NOW, tick=False):
        client = signed_in(getattr(team, who))
        assert client.get(_overview(team)).status_code == 404
        assert client.get(_record(team, team.hazel)).status_code == 404
        response = client.post(
            _record(team, team.hazel, "supervision:session_record"),
            {"session-held_on": "2027-03-01"},
        )
        assert response.status_code == 404
    assert not SupervisionSession.objects.exists()


def test_signed_out_she_is_asked_to_sign_in(team, client):
    response = client.get(_overview(team))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_supporter_of_another_charity_is_not_found_under_this_charitys_address(
    team, other_organisation
):
    elsewhere = membership_of(
        make_person(other_organisation, Role.PEER_SUPPORTER), Role.PEER_SUPPORTER
    )
    client = signed_in(team.coordinator)
    assert client.get(_record(team, elsewhere)).status_code == 404
    outsider_view = reverse(
        "supervision:supporter",
        kwargs={"slug": other_organisation.slug, "public_id": team.hazel.public_id},
    )
    assert signed_in(team.outsider).get(outsider_view).status_code == 404
    # A member's place is not a supporter's record.
    member_place = membership_of(team.member, Role.MEMBER)
    assert client.get(_record(team, member_place)).status_code == 404


def test_her_record_shows_notes_to_coordinators_and_the_look_is_audited(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        page = text(signed_in(team.coordinator).get(_record(team, team.hazel)))
    assert "Private note about her practice." in page
    assert "Try the grounding exercise before calls." in page
    assert "Enhanced DBS" in page
    assert "Safeguarding training" in page
    assert AuditEvent.objects.filter(
        action=Action.READ, object_id=str(team.hazel.public_id), detail="supervision record"
    ).exists()


def test_recording_a_session_training_and_a_check_from_her_record(team):
    with time_machine.travel(NOW, tick=False):
        client = signed_in(team.coordinator)
        response = client.post(
            _record(team, team.rowan, "supervision:training_record"),
            {
                "training-module": str(team.safeguarding.public_id),
                "training-completed_on": "2027-02-01",
            },
        )
        assert response.status_code == 302
        completion = TrainingCompletion.objects.get(supporter=team.rowan)
        assert completion.expires_on == dt.date(2028, 2, 1)
        assert completion.recorded_by == team.coordinator
        response = client.post(
            _record(team, team.rowan, "supervision:check_record"),
            {
                "check-kind": "Enhanced DBS",
                "check-checked_on": "2027-01-15",
                "check-outcome": "clear",
                "check-renew_by": "2030-01-15",
                "check-reference": "001122334455",
            },
        )
        assert response.status_code == 302
        assert BackgroundCheck.objects.get(supporter=team.rowan).reference == "001122334455"
        response = client.post(
            _record(team, team.rowan, "supervision:session_record"),
            {
                "session-supervisor": str(team.lead.public_id),
                "session-held_on": "2027-03-01",
                "session-notes": "Talked about boundaries.",
                "session-agreed_actions": "Rowan to pause evening calls.",
            },
        )
        assert response.status_code == 302
        session = SupervisionSession.objects.get(supporter=team.rowan)
        assert (session.supervisor, session.is_debrief) == (team.lead, False)
        page = text(client.get(response["Location"]))
    assert "Supervision session recorded." in page
    assert "Last held 1 March 2027" in page


def test_bad_input_is_explained_beside_the_field_and_what_was_typed_is_kept(team):
    with time_machine.travel(NOW, tick=False):
        client = signed_in(team.coordinator)
        response = client.post(
            _record(team, team.rowan, "supervision:session_record"),
            {
                "session-supervisor": str(team.coordinator.public_id),
                "session-held_on": "2027-03-09",  # next week
                "session-notes": "Notes typed before the mistake.",
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert 'id="session-held_on--error-message"' in page or "Enter today or a day" in page
        assert "Enter today or a day before it." in page
        assert "Notes typed before the mistake." in page
        assert 'value="2027-03-09"' in page
        response = client.post(
            _record(team, team.rowan, "supervision:check_record"),
            {"check-kind": "Enhanced DBS", "check-checked_on": "2027-02-30"},
        )
        assert response.status_code == 400
        page = text(response)
        assert "Enter a real date, for example 2026-03-03." in page
        assert "Choose whether the check was clear." in page
        assert 'value="Enhanced DBS"' in page
        response = client.post(
            _record(team, team.rowan, "supervision:caseload_set"), {"caseload-limit": "99"}
        )
        assert response.status_code == 400
        assert "Enter 20 or fewer." in text(response)
        assert 'value="99"' in response.content.decode()
    assert not SupervisionSession.objects.exists()
    assert not BackgroundCheck.objects.exists()


def test_her_caseload_limit_is_set_and_cleared_through_her_profile(team):
    client = signed_in(team.coordinator)
    url = _record(team, team.rowan, "supervision:caseload_set")
    assert client.post(url, {"caseload-limit": "3"}).status_code == 302
    assert team.rowan.supporter_profile.capacity == 3
    assert client.post(url, {"caseload-limit": ""}).status_code == 302
    assert team.rowan.supporter_profile.capacity is None
    page = text(client.get(_record(team, team.rowan)))
    assert re.search(r"6 <span[^>]*>\(your organisation's limit\)", page)


def test_the_overview_costs_the_same_queries_for_two_supporters_as_for_eight(team):
    def statements(client):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_overview(team)).status_code == 200
        return len(captured.captured_queries)

    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        client = signed_in(team.coordinator)
        client.get(_overview(team))
        few = statements(client)
        for n in range(6):
            place = membership_of(
                make_person(team.organisation, Role.PEER_SUPPORTER, display_name=f"S{n}"),
                Role.PEER_SUPPORTER,
            )
            make_ready(team, place)
        many = statements(client)
    assert few == many
    assert many <= 20


def test_her_own_page_shows_her_readiness_dates_and_actions_but_not_the_notes(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        page = text(signed_in(team.supporter).get(reverse("supervision:mine")))
        assert "You are ready to be matched" in page
        assert "Due by 26 March 2027" in page
        assert "Try the grounding exercise before calls." in page
        assert "Private note about her practice." not in page
        assert "in date until 31 January 2028" in page
        other = text(signed_in(team.other_supporter).get(reverse("supervision:mine")))
        assert "Before you can be matched" in other
        assert "No supervision recorded yet" in other
        assert "Try the grounding exercise" not in other


@pytest.mark.parametrize("who", ["coordinator", "admin", "member", "outsider"])
def test_her_own_page_is_only_for_peer_supporters(team, who):
    client = signed_in(getattr(team, who))
    assert client.get(reverse("supervision:mine")).status_code == 404
    assert client.post(reverse("supervision:wellbeing"), {"feeling": "good"}).status_code == 404


def test_the_staff_home_shows_her_panel_and_the_coordinators_link(team):
    with time_machine.travel(NOW, tick=False):
        make_ready(team, team.hazel)
        hers = text(signed_in(team.supporter).get(reverse("accounts:staff_home")))
        assert "Your training and supervision" in hers
        assert "You are ready to be matched." in hers
        assert "Next supervision due by 26 March 2027." in hers
        theirs = signed_in(team.coordinator).get(reverse("accounts:staff_home")).content.decode()
        assert _overview(team) in theirs
        assert "Peer supporters: training and supervision" in theirs
        admins = signed_in(team.admin).get(reverse("accounts:staff_home")).content.decode()
        assert _overview(team) not in admins
