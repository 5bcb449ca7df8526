"""The safeguarding pages of the admin site: kept by each organisation's admins and by its
safeguarding leads, who see nothing else there; days as ticks; rota changes and turns offer
only people who handle the organisation's alerts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import make_person
from peerpath.accounts.access import can_enter_admin_site, can_use_admin_site
from peerpath.accounts.choices import Role
from peerpath.accounts.models import ConsentText, Membership, Organisation
from peerpath.accounts.services import membership_end, membership_grant
from peerpath.audit.models import Action, AuditEvent
from peerpath.core.actors import OPERATOR
from peerpath.safeguarding.admin import days_in_words
from peerpath.safeguarding.models import (
    AlertTier,
    CrisisContact,
    DutyPosition,
    RotaOverride,
    RotaSlot,
    RotaTurn,
    SafeguardingLead,
    StaffedHours,
)
from peerpath.safeguarding.services import (
    alert_tiers_seed_defaults,
    rota_override_save,
    rota_slot_save,
    safeguarding_setting_delete,
    safeguarding_setting_save,
)
from peerpath.safeguarding.tests.conftest import IN_HOURS, london
from peerpath.safeguarding.tests.factories import CrisisContactFactory

pytestmark = pytest.mark.django_db

SAFEGUARDING_MODELS = (
    CrisisContact,
    AlertTier,
    StaffedHours,
    SafeguardingLead,
    RotaSlot,
    RotaOverride,
)
OTHER_MODELS = (Organisation, Membership, AuditEvent, ConsentText)


def admin_url(model, view="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def signed_in(person) -> Client:
    """A client signed in as her; call inside the test's ``time_machine.travel`` block."""
    client = Client()
    client.force_login(person)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def lead(duty):
    """Hazel, a peer supporter and one of the organisation's further safeguarding leads: no
    admin role anywhere."""
    safeguarding_setting_save(
        actor=OPERATOR,
        obj=SafeguardingLead(organisation=duty.organisation, person=duty.supporter),
        changed=["person"],
    )
    return duty.supporter


@pytest.fixture
def riverside(other_organisation, duty):
    """Another charity's safeguarding set-up: a contact, tiers, staffed hours, a shift with its
    coordinator's turn, and a change."""
    coordinator = make_person(
        other_organisation, Role.COORDINATOR, display_name="Riverside Coordinator"
    )
    alert_tiers_seed_defaults(organisation=other_organisation, actor=OPERATOR)
    contact = CrisisContactFactory(organisation=other_organisation, name="Riverside Night Line")
    hours = StaffedHours(organisation=other_organisation, days=[0, 1, 2, 3, 4])
    safeguarding_setting_save(actor=OPERATOR, obj=hours, changed=["days"])
    slot = rota_slot_save(
        actor=OPERATOR,
        slot=RotaSlot(
            organisation=other_organisation,
            position=DutyPosition.PRIMARY,
            starts_at=dt.time(9, 0),
            ends_at=dt.time(17, 0),
            rotation_starts_on=dt.date(2027, 1, 4),
        ),
        changed=[],
        people=[coordinator],
    )
    change = rota_override_save(
        actor=OPERATOR,
        override=RotaOverride(
            organisation=other_organisation,
            position=DutyPosition.PRIMARY,
            starts_at=london(2027, 3, 3, 9, 0),
            ends_at=london(2027, 3, 3, 17, 0),
            person=coordinator,
            reason="Riverside swap",
        ),
        changed=["person"],
    )
    return {
        "organisation": other_organisation,
        "coordinator": coordinator,
        "contact": contact,
        "tier": AlertTier.objects.filter(organisation=other_organisation).first(),
        "hours": hours,
        "slot": slot,
        "change": change,
    }


# A lead who is not an admin: these pages, for her organisation, and nothing else ---------------


def test_a_lead_who_is_not_an_admin_gets_in_and_the_index_lists_only_safeguarding(lead):
    assert not can_use_admin_site(lead)
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(lead)
        index = client.get(reverse("admin:index"))

    assert index.status_code == 200
    html = text(index)
    for model in SAFEGUARDING_MODELS:
        assert admin_url(model) in html, model
    for model in OTHER_MODELS:
        assert admin_url(model) not in html, model
    assert reverse("admin:app_list", args=["accounts"]) not in html
    assert reverse("admin:app_list", args=["audit"]) not in html


def test_every_other_admin_page_stays_closed_to_a_lead_who_is_not_an_admin(duty, lead):
    membership = Membership.objects.get(user=duty.primary)
    consent = ConsentText.objects.first()
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(lead)
        app_indexes = [
            client.get(reverse("admin:app_list", args=[app])) for app in ("accounts", "audit")
        ]
        refused = {
            url: client.get(url)
            for url in (
                admin_url(Organisation),
                admin_url(Membership),
                admin_url(AuditEvent),
                admin_url(ConsentText),
                admin_url(Organisation, "change", duty.organisation.pk),
                admin_url(Membership, "change", membership.pk),
                admin_url(ConsentText, "change", consent.pk),
                admin_url(Organisation, "add"),
            )
        }
        renamed = client.post(
            admin_url(Organisation, "change", duty.organisation.pk),
            {"name": "Taken over", "_save": "Save"},
        )
        safeguarding = client.get(reverse("admin:app_list", args=["safeguarding"]))

    assert [page.status_code for page in app_indexes] == [404, 404]
    for url, page in refused.items():
        assert page.status_code == 404, url
    assert renamed.status_code == 404
    duty.organisation.refresh_from_db()
    assert duty.organisation.name == "Harbour Parents Peer Support"
    assert safeguarding.status_code == 200


def test_another_organisations_safeguarding_rows_are_invisible_to_a_lead(duty, lead, riverside):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(lead)
        lists = {model: text(client.get(admin_url(model))) for model in SAFEGUARDING_MODELS}
        opened = [
            client.get(admin_url(type(row), "change", row.pk))
            for row in (
                riverside["contact"],
                riverside["tier"],
                riverside["hours"],
                riverside["slot"],
                riverside["change"],
            )
        ]
        add_page = text(client.get(admin_url(CrisisContact, "add")))
        hijack = client.post(
            admin_url(CrisisContact, "change", riverside["contact"].pk),
            {
                "organisation": riverside["organisation"].pk,
                "urgency": "support",
                "name": "Hijacked",
                "phone": "1",
                "_save": "Save",
            },
        )

    for model, html in lists.items():
        assert "Riverside" not in html, model
    assert "Harbour Parents Peer Support" in lists[RotaSlot]
    for page in opened:
        assert page.status_code in (302, 404)
        assert page.status_code == 404 or page["Location"] == reverse("admin:index")
    assert "Harbour Parents Peer Support" in add_page
    assert "Riverside Mums Network" not in add_page
    assert hijack.status_code in (302, 404)
    riverside["contact"].refresh_from_db()
    assert riverside["contact"].name == "Riverside Night Line"


def test_a_lead_changes_her_organisations_staffed_hours_through_the_service(duty, lead):
    hours = StaffedHours(organisation=duty.organisation)
    safeguarding_setting_save(actor=OPERATOR, obj=hours, changed=[])
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(lead)
        saved = client.post(
            admin_url(StaffedHours, "change", hours.pk),
            {
                "organisation": duty.organisation.pk,
                "days": ["0", "1", "2", "3", "4"],
                "staffed_from": "09:00",
                "staffed_until": "17:00",
                "_save": "Save",
            },
        )

    assert saved.status_code == 302
    hours.refresh_from_db()
    assert hours.days == [0, 1, 2, 3, 4]
    assert hours.staffed_from == dt.time(9, 0)
    event = AuditEvent.objects.get(object_id=str(hours.public_id), action=Action.UPDATE)
    assert event.actor == lead
    assert sorted(event.fields) == ["days", "staffed_from", "staffed_until"]


def test_a_lead_without_two_step_verification_is_sent_to_set_it_up(duty):
    rowan = make_person(duty.organisation, Role.COORDINATOR, mfa=False, display_name="Rowan")
    safeguarding_setting_save(
        actor=OPERATOR,
        obj=SafeguardingLead(organisation=duty.organisation, person=rowan),
        changed=["person"],
    )
    assert not can_enter_admin_site(rowan)
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(rowan)
        index = client.get(reverse("admin:index"))
        shifts = client.get(admin_url(RotaSlot))

    assert index.status_code == 302
    assert index["Location"] == reverse("mfa_activate_totp")
    assert shifts.status_code == 302
    assert shifts["Location"] == reverse("mfa_activate_totp")


def test_a_coordinator_who_is_not_a_lead_stays_out_and_a_lead_no_longer_one_is_turned_away(
    duty, lead
):
    with time_machine.travel(IN_HOURS, tick=False):
        coordinator = signed_in(duty.primary)
        turned_away = [
            coordinator.get(url) for url in (reverse("admin:index"), admin_url(RotaSlot))
        ]
        safeguarding_setting_delete(actor=OPERATOR, obj=SafeguardingLead.objects.get(person=lead))
        former = signed_in(lead)
        former_index = former.get(reverse("admin:index"), follow=True)
        former_shifts = former.get(admin_url(RotaSlot))

    for page in turned_away:
        assert page.status_code in (302, 403, 404)
        assert page.status_code != 302 or page["Location"] != reverse("admin:index")
    assert former_index.status_code in (403, 404)
    assert former_shifts.status_code in (302, 403, 404)


def test_an_organisation_admin_still_sees_every_page(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        html = text(signed_in(duty.lead).get(reverse("admin:index")))

    for model in (*SAFEGUARDING_MODELS, *OTHER_MODELS):
        assert admin_url(model) in html, model


# Days of the week as ticks, and in words in the lists -----------------------------------------

WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _ticks(html: str) -> list[tuple[str, str, bool]]:
    """(value, label, ticked) for each "days" checkbox, in the page's order."""
    found = re.findall(
        r'<input type="checkbox" name="days" value="(\d)"([^>]*)>\s*([A-Za-z]+)', html
    )
    return [(value, label, "checked" in attributes) for value, attributes, label in found]


def test_a_shifts_days_are_ticks_from_monday_to_sunday_and_saved_as_the_same_list(duty):
    slot = RotaSlot.objects.get(organisation=duty.organisation, position="primary")
    slot.days = [0, 2, 4]
    rota_slot_save(actor=OPERATOR, slot=slot, changed=["days"])
    url = admin_url(RotaSlot, "change", slot.pk)
    turn = RotaTurn.objects.get(slot=slot)
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(duty.lead)
        page = text(client.get(url))
        saved = client.post(
            url,
            {
                "organisation": duty.organisation.pk,
                "position": "primary",
                "days": ["6", "5"],
                "starts_at": "08:00",
                "ends_at": "22:00",
                "rotation_starts_on": "2027-01-04",
                "weeks_each": "1",
                "turns-TOTAL_FORMS": "1",
                "turns-INITIAL_FORMS": "1",
                "turns-MIN_NUM_FORMS": "0",
                "turns-MAX_NUM_FORMS": "1000",
                "turns-0-id": turn.pk,
                "turns-0-slot": slot.pk,
                "turns-0-order": "0",
                "turns-0-person": duty.primary.pk,
                "_save": "Save",
            },
        )

    assert _ticks(page) == [(str(day), name, day in (0, 2, 4)) for day, name in enumerate(WEEK)]
    assert "[0, 2, 4]" not in page
    assert saved.status_code == 302
    slot.refresh_from_db()
    assert slot.days == [5, 6]


def test_ticking_no_day_is_refused_beside_the_days(duty):
    hours = StaffedHours(organisation=duty.organisation, days=[0, 1, 2])
    safeguarding_setting_save(actor=OPERATOR, obj=hours, changed=["days"])
    with time_machine.travel(IN_HOURS, tick=False):
        refused = signed_in(duty.lead).post(
            admin_url(StaffedHours, "change", hours.pk),
            {
                "organisation": duty.organisation.pk,
                "staffed_from": "07:30",
                "staffed_until": "22:00",
                "_save": "Save",
            },
        )

    assert refused.status_code == 200
    html = text(refused)
    assert re.search(
        r'errors field-days">\s*<ul class="errorlist[^"]*"[^>]*>\s*<li>'
        r"Tick at least one day\.</li>",
        html,
    )
    assert 'value="07:30"' in html  # what she typed is kept
    hours.refresh_from_db()
    assert hours.days == [0, 1, 2]
    assert hours.staffed_from == dt.time(8, 0)


def test_a_new_staffed_hours_form_starts_with_every_day_ticked(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        page = text(signed_in(duty.lead).get(admin_url(StaffedHours, "add")))

    assert _ticks(page) == [(str(day), name, True) for day, name in enumerate(WEEK)]


@pytest.mark.parametrize(
    ("days", "words"),
    [
        ([0, 1, 2, 3, 4, 5, 6], "Every day"),
        ([4, 0, 2, 1, 3], "Monday to Friday"),
        ([2, 3, 4], "Wednesday to Friday"),
        ([0, 2, 4], "Mon, Wed, Fri"),
        ([5, 6], "Sat, Sun"),
        ([2], "Wednesday"),
        ([], "No days"),
    ],
)
def test_days_are_said_in_words(days, words):
    assert days_in_words(days) == words


def test_the_lists_of_shifts_and_staffed_hours_say_the_days_in_words(duty):
    rota_slot_save(
        actor=OPERATOR,
        slot=RotaSlot(
            organisation=duty.organisation,
            position=DutyPosition.BACKUP,
            days=[0, 2, 4],
            starts_at=dt.time(22, 0),
            ends_at=dt.time(8, 0),
            rotation_starts_on=dt.date(2027, 1, 4),
        ),
        changed=[],
    )
    hours = StaffedHours(organisation=duty.organisation, days=[0, 1, 2, 3, 4])
    safeguarding_setting_save(actor=OPERATOR, obj=hours, changed=["days"])
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(duty.lead)
        shifts = text(client.get(admin_url(RotaSlot)))
        staffed = text(client.get(admin_url(StaffedHours)))

    assert '<td class="field-days_words">Every day</td>' in shifts
    assert '<td class="field-days_words">Mon, Wed, Fri</td>' in shifts
    assert '<td class="field-days_words">Monday to Friday</td>' in staffed
    assert "[0, 1, 2, 3, 4]" not in staffed


# Rota changes: only people who handle the organisation's alerts --------------------------------


def _change_form(organisation, person, **changes):
    data = {
        "organisation": organisation.pk,
        "position": "primary",
        "starts_at_0": "2027-03-03",
        "starts_at_1": "08:00",
        "ends_at_0": "2027-03-03",
        "ends_at_1": "22:00",
        "person": person.pk if person is not None else "",
        "reason": "Covering the school run",
        "_save": "Save",
    }
    data.update(changes)
    return data


def _options(html: str, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', html, re.DOTALL)
    assert select is not None, field
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def test_a_rota_change_offers_only_the_people_who_handle_the_organisations_alerts(
    duty, lead, riverside
):
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(duty.lead)
        add = text(client.get(admin_url(RotaOverride, "add")))
        for_the_lead = text(signed_in(lead).get(admin_url(RotaOverride, "add")))

    for html in (add, for_the_lead):
        offered = _options(html, "person")
        assert offered[0] == "---------"  # nobody: a known gap
        assert sorted(offered[1:]) == ["Ash", "Bay", "Cedar", "Hazel"]


def test_choosing_someone_who_cannot_handle_the_alerts_is_refused_beside_the_person(duty):
    with time_machine.travel(IN_HOURS, tick=False):
        refused = signed_in(duty.lead).post(
            admin_url(RotaOverride, "add"), _change_form(duty.organisation, duty.member)
        )

    assert refused.status_code == 200
    assert "Select a valid choice" in text(refused)
    assert not RotaOverride.objects.exists()


def test_a_change_the_service_refuses_shows_its_reason_beside_the_person_and_saves_nothing(
    duty, other_organisation
):
    """Ash handles Harbour's alerts, not Riverside's: an admin of both may pick her, and the
    service's refusal is shown beside her name, with what was typed kept."""
    membership_grant(
        actor=OPERATOR, user=duty.lead, organisation=other_organisation, role=Role.ORG_ADMIN
    )
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(duty.lead)
        audit_rows = AuditEvent.objects.count()
        refused = client.post(
            admin_url(RotaOverride, "add"), _change_form(other_organisation, duty.primary)
        )

    assert refused.status_code == 200
    html = text(refused)
    assert re.search(
        r'errors field-person">\s*<ul class="errorlist[^"]*"[^>]*>\s*<li>That person cannot '
        r"handle this organisation&#x27;s alerts\.</li>",
        html,
    )
    assert 'value="Covering the school run"' in html
    assert re.search(rf'<option value="{duty.primary.pk}" selected>Ash</option>', html)
    assert not RotaOverride.objects.exists()
    assert AuditEvent.objects.count() == audit_rows


def test_a_change_keeps_offering_its_person_and_refuses_her_once_she_no_longer_handles_alerts(
    duty,
):
    change = rota_override_save(
        actor=OPERATOR,
        override=RotaOverride(
            organisation=duty.organisation,
            position=DutyPosition.PRIMARY,
            starts_at=london(2027, 3, 3, 8, 0),
            ends_at=london(2027, 3, 3, 22, 0),
            person=duty.backup,
            reason="Covering the school run",
        ),
        changed=["person"],
    )
    url = admin_url(RotaOverride, "change", change.pk)
    with time_machine.travel(IN_HOURS, tick=False):
        membership_end(actor=OPERATOR, membership=Membership.objects.get(user=duty.backup))
        client = signed_in(duty.lead)
        page = text(client.get(url))
        refused = client.post(url, _change_form(duty.organisation, duty.backup, reason="Moved"))
        saved = client.post(url, _change_form(duty.organisation, duty.primary, reason="Moved"))

    assert re.search(rf'<option value="{duty.backup.pk}" selected>Bay</option>', page)
    assert refused.status_code == 200
    assert "That person cannot handle this organisation&#x27;s alerts." in text(refused)
    assert saved.status_code == 302
    change.refresh_from_db()
    assert change.person == duty.primary
    assert change.reason == "Moved"


def test_a_lead_who_is_not_an_admin_records_a_change(duty, lead):
    with time_machine.travel(IN_HOURS, tick=False):
        saved = signed_in(lead).post(
            admin_url(RotaOverride, "add"), _change_form(duty.organisation, duty.backup)
        )

    assert saved.status_code == 302
    change = RotaOverride.objects.get()
    assert change.person == duty.backup
    event = AuditEvent.objects.get(object_id=str(change.public_id), action=Action.CREATE)
    assert event.actor == lead


# A shift's turns, for its organisation's admins and leads -------------------------------------


def _turns_form(duty, slot, people):
    data = {
        "organisation": duty.organisation.pk,
        "position": "primary",
        "days": ["0", "1", "2", "3", "4", "5", "6"],
        "starts_at": "08:00",
        "ends_at": "22:00",
        "rotation_starts_on": "2027-01-04",
        "weeks_each": "1",
        "turns-TOTAL_FORMS": str(len(people)),
        "turns-INITIAL_FORMS": "0",
        "turns-MIN_NUM_FORMS": "0",
        "turns-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, person in enumerate(people):
        data[f"turns-{index}-slot"] = slot.pk
        data[f"turns-{index}-order"] = str(index)
        data[f"turns-{index}-person"] = person.pk
    return data


@pytest.mark.parametrize("who", ["admin", "lead"])
def test_a_shifts_page_shows_who_takes_turns_to_an_admin_and_to_a_lead(duty, lead, who):
    admin = make_person(duty.organisation, Role.ORG_ADMIN, display_name="Juniper (admin)")
    person = admin if who == "admin" else lead
    slot = RotaSlot.objects.get(organisation=duty.organisation, position="primary")
    url = admin_url(RotaSlot, "change", slot.pk)
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(person)
        page = text(client.get(url))
        saved = client.post(url, _turns_form(duty, slot, [duty.backup, duty.primary]))

    assert "turns-TOTAL_FORMS" in page
    assert re.search(
        rf'name="turns-0-person"[^>]*>.*?<option value="{duty.primary.pk}" selected>Ash<',
        page,
        re.DOTALL,
    )
    assert sorted(set(_options(page, "turns-0-person"))) == sorted(
        {"---------", "Ash", "Bay", "Cedar", "Hazel", "Juniper (admin)"}
    )
    assert saved.status_code == 302
    assert list(RotaTurn.objects.filter(slot=slot).values_list("person", flat=True)) == [
        duty.backup.pk,
        duty.primary.pk,
    ]


def test_a_lead_cannot_open_another_organisations_shift_or_its_turns(duty, lead, riverside):
    slot = riverside["slot"]
    with time_machine.travel(IN_HOURS, tick=False):
        client = signed_in(lead)
        page = client.get(admin_url(RotaSlot, "change", slot.pk))
        posted = client.post(
            admin_url(RotaSlot, "change", slot.pk), _turns_form(duty, slot, [duty.primary])
        )

    assert page.status_code in (302, 404)
    assert posted.status_code in (302, 404)
    assert list(RotaTurn.objects.filter(slot=slot).values_list("person", flat=True)) == [
        riverside["coordinator"].pk
    ]


# The rota page links to these pages, for those who keep the rota ------------------------------


def test_the_rota_page_links_to_the_admin_pages_for_a_lead_only(duty, lead):
    url = reverse("safeguarding:rota", kwargs={"slug": duty.organisation.slug})
    links = [admin_url(model) for model in (RotaSlot, RotaOverride, StaffedHours, AlertTier)] + [
        admin_url(SafeguardingLead)
    ]
    with time_machine.travel(IN_HOURS, tick=False):
        for_the_lead = text(signed_in(lead).get(url))
        for_a_coordinator = text(signed_in(duty.primary).get(url))

    for link in links:
        assert f'href="{link}"' in for_the_lead
        assert f'href="{link}"' not in for_a_coordinator
    assert "edited in the admin site" not in for_the_lead
