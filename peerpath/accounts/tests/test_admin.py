"""The admin site: org admins with two-step verification only, each in their own charity."""

import datetime as dt

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.admin.sites import all_sites
from django.test import RequestFactory
from django.urls import reverse

from peerpath.accounts.admin_site import admin_site
from peerpath.accounts.choices import Role
from peerpath.accounts.models import ConsentKind, ConsentText, Membership
from peerpath.accounts.services import membership_grant
from peerpath.accounts.tests.factories import UserFactory
from peerpath.audit.models import Action, AuditEvent
from peerpath.audit.services import audit_record
from peerpath.core import clock
from peerpath.core.actors import OPERATOR
from peerpath.safeguarding.models import CrisisContact
from peerpath.safeguarding.tests.factories import CrisisContactFactory


def staff(organisation, role=Role.ORG_ADMIN, *, mfa=True, **fields):
    user = UserFactory(**fields)
    membership_grant(actor=OPERATOR, user=user, organisation=organisation, role=role)
    if mfa:
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


def admin_url(model, view="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_user(organisation):
    return staff(organisation, display_name="Birch (harbour admin)")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def theirs(other_organisation):
    """Another charity with its own admin, a coordinator, a crisis contact and an audit event."""
    admin = staff(other_organisation, display_name="Oak (riverside admin)")
    coordinator = staff(other_organisation, Role.COORDINATOR, display_name="Ash (riverside)")
    contact = CrisisContactFactory(organisation=other_organisation, name="Riverside Listening Line")
    event = audit_record(
        actor=admin, action=Action.UPDATE, obj=contact, organisation=other_organisation
    )
    return {"admin": admin, "coordinator": coordinator, "contact": contact, "event": event}


# Who gets in ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_a_coordinator_with_two_step_verification_is_turned_away(client, organisation):
    client.force_login(staff(organisation, Role.COORDINATOR))

    response = client.get(reverse("admin:index"))

    assert response.status_code in (302, 403, 404)
    assert client.get(reverse("admin:index"), follow=True).status_code in (403, 404)
    assert client.get(admin_url(CrisisContact)).status_code in (302, 403, 404)


@pytest.mark.django_db
def test_an_org_admin_without_two_step_verification_is_sent_to_set_it_up(client, organisation):
    client.force_login(staff(organisation, mfa=False))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_an_org_admin_with_an_authenticator_app_gets_in(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    html = response.content.decode()
    for model in (CrisisContact, Membership, AuditEvent, ConsentText):
        assert admin_url(model) in html


@pytest.mark.django_db
def test_the_admin_pages_are_registered_on_peerpaths_admin_site_only():
    from django.contrib import admin

    assert CrisisContact in admin_site._registry
    assert AuditEvent in admin_site._registry
    for site in all_sites:
        if site is not admin_site:
            assert CrisisContact not in site._registry
            assert AuditEvent not in site._registry
            assert Membership not in site._registry
    assert admin.site is not admin_site


# Each admin sees their own organisation --------------------------------------------------------


@pytest.mark.django_db
def test_the_organisation_list_shows_only_the_admins_own(admin_client, theirs):
    html = admin_client.get(admin_url(type(theirs["contact"].organisation))).content.decode()

    assert "Harbour Parents Peer Support" in html
    assert "Riverside Mums Network" not in html


@pytest.mark.django_db
def test_the_membership_list_shows_only_the_admins_own_organisation(
    admin_client, organisation, theirs
):
    staff(organisation, Role.COORDINATOR, display_name="Clover (harbour)")

    response = admin_client.get(admin_url(Membership))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Clover (harbour)" in html
    assert "Birch (harbour admin)" in html
    assert "Oak (riverside admin)" not in html
    assert "Ash (riverside)" not in html
    assert "Riverside Mums Network" not in html


@pytest.mark.django_db
def test_the_crisis_contact_list_shows_only_the_admins_own_organisation(
    admin_client, organisation, theirs
):
    CrisisContactFactory(organisation=organisation, name="Harbour Night Line")

    html = admin_client.get(admin_url(CrisisContact)).content.decode()

    assert "Harbour Night Line" in html
    assert "Riverside Listening Line" not in html


@pytest.mark.django_db
def test_the_audit_list_shows_only_the_admins_own_organisation(admin_client, organisation, theirs):
    contact = CrisisContactFactory(organisation=organisation)
    audit_record(actor=OPERATOR, action=Action.UPDATE, obj=contact, organisation=organisation)

    html = admin_client.get(admin_url(AuditEvent)).content.decode()

    assert str(contact.public_id) in html
    assert str(theirs["contact"].public_id) not in html
    assert str(theirs["admin"].public_id) not in html


@pytest.mark.django_db
def test_another_organisations_rows_cannot_be_opened_by_their_address(admin_client, theirs):
    contact = theirs["contact"]
    membership = Membership.objects.get(user=theirs["coordinator"])
    for url in (
        admin_url(CrisisContact, "change", contact.pk),
        admin_url(Membership, "change", membership.pk),
        admin_url(type(contact.organisation), "change", contact.organisation_id),
        admin_url(AuditEvent, "change", theirs["event"].pk),
        admin_url(CrisisContact, "history", contact.pk),
    ):
        response = admin_client.get(url)
        assert response.status_code in (302, 404), url
        assert response.status_code == 404 or response["Location"] == reverse("admin:index")

    response = admin_client.post(
        admin_url(CrisisContact, "change", contact.pk),
        {"organisation": contact.organisation_id, "name": "Hijacked", "phone": "1"},
    )
    contact.refresh_from_db()
    assert contact.name == "Riverside Listening Line"


# Changes are limited and audited ---------------------------------------------------------------


def crisis_contact_form(contact, **changes):
    data = {
        "organisation": contact.organisation_id,
        "urgency": contact.urgency,
        "nation": contact.nation,
        "position": contact.position,
        "is_active": "on",
        "name": contact.name,
        "description": contact.description,
        "hours": contact.hours,
        "phone": contact.phone,
        "text_number": contact.text_number,
        "text_keyword": contact.text_keyword,
        "email": contact.email,
        "last_verified_on": "",
        "verification_note": contact.verification_note,
        "_save": "Save",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_changing_a_crisis_contact_writes_an_audit_row_naming_the_fields_changed(
    admin_client, admin_user, organisation
):
    contact = CrisisContactFactory(organisation=organisation, name="Harbour Night Line")

    response = admin_client.post(
        admin_url(CrisisContact, "change", contact.pk),
        crisis_contact_form(contact, name="Harbour Night Line (new)", phone="0800 111 222"),
    )

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "0800 111 222"
    event = AuditEvent.objects.get(object_id=str(contact.public_id), action=Action.UPDATE)
    assert event.fields == ["name", "phone"]
    assert event.actor == admin_user
    assert event.organisation == organisation
    assert "0800 111 222" not in str(event.__dict__)


@pytest.mark.django_db
def test_adding_a_crisis_contact_offers_only_the_admins_organisations_and_is_audited(
    admin_client, organisation, other_organisation
):
    form_page = admin_client.get(admin_url(CrisisContact, "add")).content.decode()
    assert "Harbour Parents Peer Support" in form_page
    assert "Riverside Mums Network" not in form_page

    template = CrisisContact(organisation=other_organisation, urgency="support", name="Sneaky")
    refused = admin_client.post(
        admin_url(CrisisContact, "add"), crisis_contact_form(template, phone="0800 000 001")
    )
    assert refused.status_code == 200  # the form again, with an error
    assert not CrisisContact.objects.filter(name="Sneaky").exists()

    template.organisation = organisation
    template.name = "Harbour Day Line"
    added = admin_client.post(
        admin_url(CrisisContact, "add"), crisis_contact_form(template, phone="0800 000 002")
    )
    assert added.status_code == 302
    contact = CrisisContact.objects.get(name="Harbour Day Line")
    assert contact.organisation == organisation
    event = AuditEvent.objects.get(object_id=str(contact.public_id), action=Action.CREATE)
    assert "phone" in event.fields
    assert "name" in event.fields


@pytest.mark.django_db
def test_changing_the_organisation_writes_an_audit_row_and_keeps_its_address(
    admin_client, organisation
):
    data = {
        "name": "Harbour Parents",
        "contact_email": organisation.contact_email,
        "contact_phone": "01632 960 222",
        "safeguarding_lead": "",
        "moderation_starts": "09:00",
        "moderation_ends": "21:00",
        "default_caseload": 6,
        "match_within_working_days": 5,
        "first_contact_within_hours": 48,
        "supervision_interval_days": 30,
        "retention_months": 72,
        "chat_retention_months": 12,
        "slug": "somewhere-else",
        "_save": "Save",
    }

    response = admin_client.post(admin_url(type(organisation), "change", organisation.pk), data)

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Harbour Parents"
    assert organisation.slug == "harbour-parents"
    event = AuditEvent.objects.filter(
        object_id=str(organisation.public_id), action=Action.UPDATE
    ).get()
    assert event.fields == ["contact_phone", "name"]


@pytest.mark.django_db
def test_the_safeguarding_lead_can_only_be_one_of_the_organisations_own_staff(
    admin_client, organisation, theirs
):
    staff(organisation, Role.COORDINATOR, display_name="Clover (harbour)")

    html = admin_client.get(
        admin_url(type(organisation), "change", organisation.pk)
    ).content.decode()

    assert "Clover (harbour)" in html
    assert "Ash (riverside)" not in html
    assert "Oak (riverside admin)" not in html


@pytest.mark.django_db
def test_ending_a_membership_is_audited_and_its_role_cannot_be_changed(admin_client, organisation):
    coordinator = staff(organisation, Role.COORDINATOR)
    membership = Membership.objects.get(user=coordinator)
    # Noon, today or yesterday: a time the form can read on any day (1:30am is twice on the
    # night the clocks go back, and the admin cannot tell which one is meant).
    ended = clock.local_now().replace(hour=12, minute=0, second=0, microsecond=0)
    if ended > clock.local_now():
        ended -= dt.timedelta(days=1)

    response = admin_client.post(
        admin_url(Membership, "change", membership.pk),
        {
            "role": Role.ORG_ADMIN,
            "ended_at_0": ended.strftime("%d/%m/%Y"),
            "ended_at_1": ended.strftime("%H:%M:%S"),
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at == ended
    assert membership.role == Role.COORDINATOR
    event = AuditEvent.objects.get(object_id=str(membership.public_id), action=Action.UPDATE)
    assert event.fields == ["ended_at"]
    assert event.organisation == organisation


@pytest.mark.django_db
def test_nothing_can_be_deleted_and_organisations_cannot_be_added(admin_client, organisation):
    contact = CrisisContactFactory(organisation=organisation)
    membership = Membership.objects.filter(organisation=organisation).first()
    event = audit_record(actor=OPERATOR, action=Action.READ, obj=contact, organisation=organisation)

    for url in (
        admin_url(type(organisation), "delete", organisation.pk),
        admin_url(Membership, "delete", membership.pk),
        admin_url(CrisisContact, "delete", contact.pk),
        admin_url(AuditEvent, "delete", event.pk),
        admin_url(type(organisation), "add"),
        admin_url(Membership, "add"),
        admin_url(AuditEvent, "add"),
    ):
        assert admin_client.get(url).status_code == 403, url
        assert admin_client.post(url, {"post": "yes"}).status_code == 403, url
    assert CrisisContact.objects.filter(pk=contact.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", [type(None), Membership, CrisisContact, AuditEvent, ConsentText])
def test_no_list_offers_a_bulk_delete(admin_client, organisation, model):
    if model is type(None):
        model = type(organisation)
    CrisisContactFactory(organisation=organisation)

    html = admin_client.get(admin_url(model)).content.decode()

    assert "delete_selected" not in html


@pytest.mark.django_db
def test_audit_events_can_be_read_in_the_admin_but_never_changed(admin_client, organisation):
    contact = CrisisContactFactory(organisation=organisation)
    event = audit_record(
        actor=OPERATOR,
        action=Action.UPDATE,
        obj=contact,
        organisation=organisation,
        fields=["name"],
    )

    page = admin_client.get(admin_url(AuditEvent, "change", event.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()

    refused = admin_client.post(
        admin_url(AuditEvent, "change", event.pk), {"detail": "tampered", "_save": "Save"}
    )
    assert refused.status_code == 403
    event.refresh_from_db()
    assert event.detail == ""


@pytest.mark.django_db
def test_consent_texts_can_be_read_but_not_added_changed_or_deleted(admin_client):
    text = ConsentText.objects.create(
        kind=ConsentKind.PRIVACY_NOTICE,
        version=99,
        title="Privacy notice, test version",
        body="What we hold and why.",
        published_at=clock.now(),
    )

    assert admin_client.get(admin_url(ConsentText)).status_code == 200
    page = admin_client.get(admin_url(ConsentText, "change", text.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get(admin_url(ConsentText, "add")).status_code == 403
    assert admin_client.get(admin_url(ConsentText, "delete", text.pk)).status_code == 403
    refused = admin_client.post(
        admin_url(ConsentText, "change", text.pk), {"title": "Changed", "_save": "Save"}
    )
    assert refused.status_code == 403
    text.refresh_from_db()
    assert text.title == "Privacy notice, test version"


@pytest.mark.django_db
def test_deleting_rows_in_bulk_through_the_admin_code_audits_every_row(admin_user, organisation):
    """Bulk delete is switched off, but were it ever allowed each row would still be logged."""
    contacts = [CrisisContactFactory(organisation=organisation) for _ in range(3)]
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    model_admin = admin_site._registry[CrisisContact]

    model_admin.delete_queryset(
        request, CrisisContact.objects.filter(pk__in=[c.pk for c in contacts])
    )

    assert not CrisisContact.objects.filter(pk__in=[c.pk for c in contacts]).exists()
    deleted = AuditEvent.objects.filter(
        action=Action.DELETE, object_type="safeguarding.CrisisContact"
    )
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(
        str(c.public_id) for c in contacts
    )
    assert set(deleted.values_list("organisation_id", flat=True)) == {organisation.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "at__year=99999999999999999999999999",
        "at__year=2026&at__month=99999999999999999999",
        "at__year=2026&at__month=13",
        "at__year=nonsense",
    ],
)
def test_a_filter_too_big_for_a_date_sends_her_back_to_the_list_not_an_error(
    admin_client, organisation, query
):
    response = admin_client.get(f"{admin_url(AuditEvent, 'changelist')}?{query}")

    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert response["Location"].endswith("?e=1")
        assert admin_client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_role_cannot_be_ended_in_the_future(admin_client, organisation):
    coordinator = staff(organisation, Role.COORDINATOR)
    membership = Membership.objects.get(user=coordinator)

    response = admin_client.post(
        admin_url(Membership, "change", membership.pk),
        {"ended_at_0": "31/12/9999", "ended_at_1": "00:00:00", "_save": "Save"},
    )

    assert response.status_code == 200
    assert "only be ended now or in the past" in response.content.decode()
    membership.refresh_from_db()
    assert membership.ended_at is None


# A higher app may open the door for its own pages only -----------------------------------------

FIXED = dt.datetime(2027, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def only_fern_by_rule(monkeypatch):
    """Only this test's rule, letting in anyone called Fern (the apps' own rules are set
    aside)."""
    from peerpath.accounts import access

    monkeypatch.setattr(access, "_ADMIN_ENTRY_RULES", [])
    access.admin_entry_rule(lambda user: user.display_name == "Fern")


@pytest.mark.django_db
def test_an_entry_rule_opens_the_site_but_its_other_pages_are_not_found(
    client, organisation, only_fern_by_rule
):
    from peerpath.accounts.access import can_enter_admin_site

    fern = staff(organisation, Role.COORDINATOR, display_name="Fern")
    membership = Membership.objects.get(user=fern)
    assert can_enter_admin_site(fern)
    assert not can_enter_admin_site(
        staff(organisation, Role.COORDINATOR, mfa=False, display_name="Fern")
    )
    assert not can_enter_admin_site(staff(organisation, Role.COORDINATOR, display_name="Gorse"))
    with time_machine.travel(FIXED, tick=False):
        client.force_login(fern)
        index = client.get(reverse("admin:index"))
        refused = [
            client.get(url)
            for url in (
                admin_url(type(organisation)),
                admin_url(Membership),
                admin_url(AuditEvent),
                admin_url(ConsentText),
                admin_url(CrisisContact),
                admin_url(Membership, "change", membership.pk),
                admin_url(type(organisation), "change", organisation.pk),
            )
        ]

    assert index.status_code == 200
    for model in (type(organisation), Membership, AuditEvent, ConsentText, CrisisContact):
        assert admin_url(model) not in index.content.decode()
    assert [page.status_code for page in refused] == [404] * len(refused)


@pytest.mark.django_db
def test_an_entry_rule_does_not_let_in_an_inactive_account(organisation, only_fern_by_rule):
    from peerpath.accounts.access import can_enter_admin_site

    fern = staff(organisation, Role.COORDINATOR, display_name="Fern", is_active=False)

    assert not can_enter_admin_site(fern)
