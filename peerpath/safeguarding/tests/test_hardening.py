"""What keeps safeguarding records safe beyond the pages: secret addresses kept out of logs,
free text encrypted at rest, the log append-only in bulk too, hidden characters refused, and
the admin's rota and leads limited to the organisation's own people."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.accounts.subject_rights import user_erase
from peerpath.core.actors import OPERATOR
from peerpath.core.logging import scrub
from peerpath.core.validators import hidden_characters, no_hidden_characters
from peerpath.safeguarding import services
from peerpath.safeguarding.models import (
    ActionKind,
    Alert,
    AlertAction,
    FollowUp,
    RotaSlot,
    RotaTurn,
    SafeguardingLead,
)
from peerpath.safeguarding.privacy import export
from peerpath.safeguarding.services import (
    alert_acknowledge,
    alert_close,
    follow_up_add,
    member_request_raise,
    safeguarding_setting_save,
)
from peerpath.safeguarding.tests.conftest import IN_HOURS, london

SECRET = "s3cretT0kenValue"


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            found.extend(_routes(pattern.url_patterns, route))
        else:
            found.append((pattern.name or "", route))
    return found


def _filled(route: str) -> str:
    """The route as a path, with the secret in each token or key and plain values elsewhere."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return SECRET if "token" in name or "key" in name else "abc"

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)


def test_every_address_that_carries_a_secret_token_is_blanked_in_the_logs():
    secret_routes = {
        name: route
        for name, route in _routes(get_resolver().url_patterns)
        if re.search(r"<(?:\w+:)?\w*(token|key)\w*>", route)
    }
    # The private calendars and invitations at least; a new one is caught the day it is added.
    assert {"duty_feed", "calendar_feed", "invitation_accept"} <= set(secret_routes)
    for name, route in secret_routes.items():
        path = _filled(route)
        logged = scrub(f'"GET {path} HTTP/1.1" 404 and "POST {path}?next=/x" 405')
        assert SECRET not in logged, (name, logged)


def test_a_duty_calendar_address_is_blanked_in_a_logged_line():
    assert scrub("Method Not Allowed (POST): /duty/abcDEF123_-xyz.ics") == (
        "Method Not Allowed (POST): /duty/[token]"
    )


# Asking for contact twice at once -------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes its write lock at BEGIN, so its transactions never overlap",
)
@pytest.mark.django_db(transaction=True)
def test_two_requests_sent_at_the_same_moment_make_one_alert(duty, monkeypatch):
    raising, go_on = threading.Event(), threading.Event()
    real_raise = services.alert_raise

    def slow_raise(**kwargs):
        raising.set()
        go_on.wait(10)
        return real_raise(**kwargs)

    monkeypatch.setattr(services, "alert_raise", slow_raise)

    def send() -> services.ContactRequest:
        try:
            return services.member_request_raise(actor=duty.member, organisation=duty.organisation)
        finally:
            connection.close()

    with time_machine.travel(IN_HOURS, tick=False), ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(send)
        assert raising.wait(10)
        second = pool.submit(send)
        time.sleep(0.5)  # the second is sent while the first is still raising its alert
        go_on.set()
        sent = [first.result(timeout=20), second.result(timeout=20)]
    assert Alert.objects.filter(member=duty.member).count() == 1
    assert [request.added_to_earlier for request in sent] == [False, True]
    assert sent[0].alert.pk == sent[1].alert.pk


# Encrypted at rest ----------------------------------------------------------------------------


def _raw(sql: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_when_she_asked_to_be_called_and_what_a_follow_up_says_are_stored_encrypted(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        sent = member_request_raise(
            actor=duty.member,
            organisation=duty.organisation,
            message="I can't cope",
            contact_preference={
                "how": "phone",
                "when": "after 7pm when he is out",
                "voicemail": "no",
            },
        )
        alert_acknowledge(actor=duty.primary, alert=sent.alert)
        follow_up = follow_up_add(
            actor=duty.primary,
            alert=sent.alert,
            owner=duty.primary,
            description="Ask about the bruises",
            due_at=london(2027, 3, 2, 15, 0),
        )
        mine = export(duty.member)
    preference = _raw(
        "SELECT contact_preference FROM safeguarding_alert WHERE id = %s", sent.alert.pk
    )
    description = _raw("SELECT description FROM safeguarding_followup WHERE id = %s", follow_up.pk)
    assert preference.startswith("gAAAAA")
    assert "he is out" not in preference
    assert description.startswith("gAAAAA")
    assert "bruises" not in description
    assert (
        Alert.objects.get(pk=sent.alert.pk).contact_preference["when"] == "after 7pm when he is out"
    )
    assert FollowUp.objects.get(pk=follow_up.pk).description == "Ask about the bruises"
    # Her copy of her data still says how she asked to be reached.
    assert mine["requests_for_contact"][0]["how_to_contact"] == {
        "how": "phone",
        "when": "after 7pm when he is out",
        "voicemail": "no",
    }


BEFORE = [("safeguarding", "0002_alerts_rota")]
AFTER = [("safeguarding", "0004_encrypt_requests_and_follow_ups")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_requests_and_follow_ups_stored_in_plain_before_are_encrypted_and_decrypted_back():
    old = _migrate(BEFORE)
    try:
        organisation = old.get_model("accounts", "Organisation").objects.create(
            name="Old rows", slug="old-rows"
        )
        person = old.get_model("accounts", "User").objects.create(email="old@example.org")
        alert = old.get_model("safeguarding", "Alert").objects.create(
            organisation=organisation,
            member=person,
            tier=1,
            source="member_request",
            contact_preference={"how": "phone", "when": "mornings only", "voicemail": "no"},
        )
        follow_up = old.get_model("safeguarding", "FollowUp").objects.create(
            alert=alert, owner=person, description="Ring her back", due_at=IN_HOURS
        )

        _migrate(AFTER)
        select_preference = "SELECT contact_preference FROM safeguarding_alert WHERE id = %s"
        select_description = "SELECT description FROM safeguarding_followup WHERE id = %s"
        assert _raw(select_preference, alert.pk).startswith("gAAAAA")
        assert _raw(select_description, follow_up.pk).startswith("gAAAAA")
        assert Alert.objects.get(pk=alert.pk).contact_preference == {
            "how": "phone",
            "when": "mornings only",
            "voicemail": "no",
        }
        assert FollowUp.objects.get(pk=follow_up.pk).description == "Ring her back"

        _migrate(BEFORE)
        assert "mornings only" in _raw(select_preference, alert.pk)
        assert _raw(select_description, follow_up.pk) == "Ring her back"
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


# The log is append-only -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_log_cannot_be_changed_or_deleted_in_bulk_either(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = member_request_raise(
            actor=duty.member, organisation=duty.organisation, message="Please ring"
        ).alert
    rows = list(AlertAction.objects.filter(alert=alert))
    for attempt in (
        lambda: AlertAction.objects.filter(alert=alert).update(text="rewritten"),
        lambda: AlertAction.objects.filter(alert=alert).delete(),
        lambda: AlertAction.objects.bulk_update(rows, ["text"]),
        lambda: alert.actions.update(kind=ActionKind.NOTE),
        lambda: alert.actions.all().delete(),
        lambda: AlertAction._base_manager.filter(alert=alert).update(text="rewritten"),
    ):
        with pytest.raises(ValueError, match="append-only"):
            attempt()
    assert list(AlertAction.objects.filter(alert=alert)) == rows
    assert [row.text for row in AlertAction.objects.filter(alert=alert)] == [r.text for r in rows]


@pytest.mark.django_db
def test_erasing_the_people_on_an_alert_keeps_its_log_whole(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        alert = member_request_raise(
            actor=duty.member, organisation=duty.organisation, message="Please ring"
        ).alert
        alert_close(
            actor=duty.primary,
            alert=alert,
            outcome="supported",
            referral_decision="not_needed",
            reasons="Talked; she is safe.",
        )
        count = AlertAction.objects.filter(alert=alert).count()
        user_erase(actor=duty.member, user=duty.member)
        user_erase(actor=duty.primary, user=duty.primary)
    assert AlertAction.objects.filter(alert=alert).count() == count
    assert (
        AlertAction.objects.get(alert=alert, kind=ActionKind.CLOSED).text == "Talked; she is safe."
    )


# Hidden characters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a\x00b",
        "\x1b[2Jcleared",
        "\u202eevil",  # right-to-left override
        "\u2066isolate\u2069",
        "zero\u200bwidth",
        "\ufeffstarts with a byte-order mark",
        "bell\x07",
    ],
)
def test_control_and_direction_changing_characters_are_refused(text):
    assert hidden_characters(text)
    with pytest.raises(ValidationError) as refused:
        no_hidden_characters(text)
    assert "hidden characters" in refused.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "Two lines\r\nand a\ttab",
        "Emoji families stay whole: \U0001f469\u200d\U0001f467",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: a zero-width non-joiner
        "Accents, é and ü, and Welsh ŵ",
    ],
)
def test_ordinary_writing_is_accepted(text):
    no_hidden_characters(text)


# The admin: the rota's people and the leads -----------------------------------------------------


def _admin(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.django_db
def test_a_shifts_turns_offer_only_the_organisations_people_who_handle_alerts(
    duty, other_organisation
):
    make_person(other_organisation, Role.COORDINATOR, display_name="Riverside Coordinator")
    slot = RotaSlot.objects.get(organisation=duty.organisation, position="primary")
    with time_machine.travel(IN_HOURS, tick=False):
        client = _admin(duty.lead)
        change = client.get(reverse("admin:safeguarding_rotaslot_change", args=[slot.pk]))
        add = client.get(reverse("admin:safeguarding_rotaslot_add"))
    for page in (change, add):
        text = page.content.decode()
        assert page.status_code == 200
        assert "turns-TOTAL_FORMS" in text  # the turns can be edited here
        assert ">Ash<" in text
        assert ">Bay<" in text
        for elsewhere in ("Riverside Coordinator", "Hazel", "Sunflower 101"):
            assert elsewhere not in text


@pytest.mark.django_db
def test_a_turn_for_someone_who_cannot_handle_alerts_is_refused_beside_her_row(duty):
    slot = RotaSlot.objects.get(organisation=duty.organisation, position="primary")
    turn = RotaTurn.objects.get(slot=slot)
    form = {
        "organisation": duty.organisation.pk,
        "position": "primary",
        "days": ["0", "1", "2", "3", "4", "5", "6"],
        "starts_at": "08:00",
        "ends_at": "22:00",
        "rotation_starts_on": "2027-01-04",
        "weeks_each": "1",
        "turns-TOTAL_FORMS": "2",
        "turns-INITIAL_FORMS": "1",
        "turns-MIN_NUM_FORMS": "0",
        "turns-MAX_NUM_FORMS": "1000",
        "turns-0-id": turn.pk,
        "turns-0-slot": slot.pk,
        "turns-0-order": "0",
        "turns-0-person": duty.primary.pk,
        "turns-1-slot": slot.pk,
        "turns-1-order": "1",
        "turns-1-person": duty.supporter.pk,  # forced into the form: she is not offered
    }
    url = reverse("admin:safeguarding_rotaslot_change", args=[slot.pk])
    with time_machine.travel(IN_HOURS, tick=False):
        client = _admin(duty.lead)
        refused = client.post(url, form)
        assert refused.status_code == 200
        assert "Select a valid choice" in refused.content.decode()
        form["turns-1-person"] = duty.backup.pk
        saved = client.post(url, form)
    assert saved.status_code == 302
    assert list(RotaTurn.objects.filter(slot=slot).values_list("person", flat=True)) == [
        duty.primary.pk,
        duty.backup.pk,
    ]


@pytest.mark.django_db
def test_an_admin_of_two_charities_cannot_put_one_charitys_coordinator_on_the_others_rota(
    duty, other_organisation
):
    from peerpath.accounts.services import membership_grant

    membership_grant(
        actor=OPERATOR, user=duty.lead, organisation=other_organisation, role=Role.ORG_ADMIN
    )
    elsewhere = make_person(other_organisation, Role.COORDINATOR, display_name="Riverside Ash")
    form = {
        "organisation": duty.organisation.pk,
        "position": "backup",
        "days": ["5", "6"],
        "starts_at": "08:00",
        "ends_at": "22:00",
        "rotation_starts_on": "2027-01-04",
        "weeks_each": "1",
        "turns-TOTAL_FORMS": "1",
        "turns-INITIAL_FORMS": "0",
        "turns-MIN_NUM_FORMS": "0",
        "turns-MAX_NUM_FORMS": "1000",
        "turns-0-order": "0",
        "turns-0-person": elsewhere.pk,
    }
    with time_machine.travel(IN_HOURS, tick=False):
        refused = _admin(duty.lead).post(reverse("admin:safeguarding_rotaslot_add"), form)
    assert refused.status_code == 200
    assert "Riverside Ash cannot handle this organisation&#x27;s alerts." in (
        refused.content.decode()
    )
    assert not RotaSlot.objects.filter(organisation=duty.organisation, days=[5, 6]).exists()


@pytest.mark.django_db
def test_another_organisations_admin_cannot_see_or_change_a_shifts_turns(duty, outsider):
    slot = RotaSlot.objects.get(organisation=duty.organisation, position="primary")
    with time_machine.travel(IN_HOURS, tick=False):
        client = _admin(outsider)
        page = client.get(reverse("admin:safeguarding_rotaslot_change", args=[slot.pk]))
    assert page.status_code in (302, 404)
    assert RotaTurn.objects.filter(slot=slot).count() == 1


@pytest.mark.django_db
def test_a_further_lead_must_be_on_the_organisations_staff(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        with pytest.raises(ValidationError) as refused:
            safeguarding_setting_save(
                actor=OPERATOR,
                obj=SafeguardingLead(organisation=duty.organisation, person=duty.member),
                changed=["person"],
            )
        assert "has no staff role here" in refused.value.message_dict["person"][0]
        client = _admin(duty.lead)
        form = {"organisation": duty.organisation.pk, "person": duty.member.pk}
        page = client.post(reverse("admin:safeguarding_safeguardinglead_add"), form)
        offered = client.get(reverse("admin:safeguarding_safeguardinglead_add")).content.decode()
        safeguarding_setting_save(
            actor=OPERATOR,
            obj=SafeguardingLead(organisation=duty.organisation, person=duty.supporter),
            changed=["person"],
        )
    assert page.status_code == 200
    assert not SafeguardingLead.objects.filter(person=duty.member).exists()
    assert "Sunflower 101" not in offered
    assert "Hazel" in offered
    assert SafeguardingLead.objects.filter(person=duty.supporter).exists()
