import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.urls import reverse

from peerpath.accounts.choices import Role
from peerpath.accounts.services import membership_grant
from peerpath.accounts.tests.factories import UserFactory
from peerpath.audit.models import Action, AppendOnlyError, AuditEvent
from peerpath.audit.querysets import events_for_organisation
from peerpath.audit.services import audit_record
from peerpath.core.actors import OPERATOR
from peerpath.safeguarding.tests.factories import CrisisContactFactory

LONDON = ZoneInfo("Europe/London")


def staff(organisation, role=Role.ORG_ADMIN, *, mfa=True):
    user = UserFactory()
    membership_grant(actor=OPERATOR, user=user, organisation=organisation, role=role)
    if mfa:
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


def record(*, organisation, action=Action.UPDATE, obj=None, actor=OPERATOR, at=None, fields=()):
    if at is None:
        return audit_record(
            actor=actor, action=action, obj=obj, organisation=organisation, fields=fields
        )
    with time_machine.travel(at, tick=False):
        return audit_record(
            actor=actor, action=action, obj=obj, organisation=organisation, fields=fields
        )


def search_url(organisation, **query):
    url = reverse("audit:audit_search", kwargs={"slug": organisation.slug})
    if query:
        url += "?" + urlencode(query)
    return url


@pytest.fixture
def admin_user(organisation):
    return staff(organisation)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# Append-only -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_audit_event_cannot_be_changed_once_written(organisation):
    event = record(organisation=organisation)
    event.detail = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    event.refresh_from_db()
    assert event.detail == ""


@pytest.mark.django_db
def test_an_audit_event_cannot_be_deleted(organisation):
    event = record(organisation=organisation)
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted_in_bulk(organisation):
    event = record(organisation=organisation)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    event.detail = "tampered"
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["detail"])
    event.refresh_from_db()
    assert event.detail == ""
    assert AuditEvent.objects.count() >= 1


# Who may search ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_audit_search_shows_the_admins_own_organisations_events_only(
    admin_client, organisation, other_organisation
):
    ours = CrisisContactFactory(organisation=organisation)
    theirs = CrisisContactFactory(organisation=other_organisation)
    record(organisation=organisation, obj=ours, fields=["phone"])
    record(organisation=other_organisation, obj=theirs, fields=["phone"])

    response = admin_client.get(search_url(organisation))

    assert response.status_code == 200
    html = response.content.decode()
    assert str(ours.public_id) in html
    assert str(theirs.public_id) not in html
    assert "phone" in html


@pytest.mark.django_db
def test_an_admin_of_another_organisation_sees_none_of_its_events_and_cannot_open_its_log(
    client, organisation, other_organisation
):
    ours = CrisisContactFactory(organisation=organisation)
    record(organisation=organisation, obj=ours)
    client.force_login(staff(other_organisation))

    own = client.get(search_url(other_organisation))
    assert own.status_code == 200
    assert str(ours.public_id) not in own.content.decode()
    assert client.get(search_url(organisation)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MODERATOR, Role.PEER_SUPPORTER])
def test_other_staff_of_the_same_organisation_get_not_found(client, organisation, role):
    client.force_login(staff(organisation, role))
    assert client.get(search_url(organisation)).status_code == 404


@pytest.mark.django_db
def test_a_member_gets_not_found_and_someone_signed_out_is_asked_to_sign_in(
    client, organisation, member
):
    anonymous = client.get(search_url(organisation))
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]

    membership_grant(actor=OPERATOR, user=member, organisation=organisation, role=Role.MEMBER)
    client.force_login(member)
    assert client.get(search_url(organisation)).status_code == 404


@pytest.mark.django_db
def test_an_unknown_organisation_gets_not_found(admin_client):
    assert admin_client.get("/staff/no-such-charity/audit/").status_code == 404


# What it shows -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_ins_of_the_organisations_people_are_included_and_others_are_not(
    client, organisation, other_organisation
):
    ours = staff(organisation, Role.MEMBER, mfa=False)
    both = staff(organisation, Role.MEMBER, mfa=False)
    membership_grant(actor=OPERATOR, user=both, organisation=other_organisation, role=Role.MEMBER)
    theirs = staff(other_organisation, Role.MEMBER, mfa=False)
    for person in (ours, both, theirs):
        audit_record(actor=person, action=Action.LOGIN, obj=person)
    failed_ours = UserFactory()
    membership_grant(actor=OPERATOR, user=failed_ours, organisation=organisation, role=Role.MEMBER)
    audit_record(actor=OPERATOR, action=Action.LOGIN_FAILED, obj=failed_ours)
    audit_record(actor=OPERATOR, action=Action.LOGIN_FAILED, obj=theirs)

    events = list(
        events_for_organisation(organisation).filter(action__in=["login", "login_failed"])
    )

    assert {(e.action, e.object_id) for e in events} == {
        ("login", str(ours.public_id)),
        ("login", str(both.public_id)),
        ("login_failed", str(failed_ours.public_id)),
    }
    assert not events_for_organisation(organisation).filter(actor=theirs).exists()


@pytest.mark.django_db
def test_a_real_sign_in_shows_in_the_search_as_signed_in(admin_client, organisation):
    # The admin's own sign-in (force_login sends Django's user_logged_in signal).
    response = admin_client.get(search_url(organisation, action="login"))
    html = response.content.decode()
    assert "Signed in" in html
    assert "Showing 1 to 1 of 1 event," in html


@pytest.mark.django_db
def test_the_results_name_fields_changed_but_never_their_values(admin_client, organisation):
    contact = CrisisContactFactory(organisation=organisation, phone="0800 123 4567")
    record(organisation=organisation, obj=contact, fields=["phone", "name"])

    html = admin_client.get(
        search_url(organisation, object_type="safeguarding.CrisisContact")
    ).content.decode()

    assert "name, phone" in html
    assert "0800 123 4567" not in html
    assert f"Crisis contact {contact.public_id}" in html


# Filters ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_filtering_by_action_and_type_of_record(admin_client, organisation):
    contact = CrisisContactFactory(organisation=organisation)
    record(organisation=organisation, obj=contact, action=Action.CREATE)
    updated = CrisisContactFactory(organisation=organisation)
    record(organisation=organisation, obj=updated, action=Action.UPDATE)

    by_action = admin_client.get(search_url(organisation, action="update")).content.decode()
    assert str(updated.public_id) in by_action
    assert str(contact.public_id) not in by_action

    by_type = admin_client.get(
        search_url(organisation, object_type="safeguarding.CrisisContact")
    ).content.decode()
    assert str(updated.public_id) in by_type
    assert str(contact.public_id) in by_type
    assert "Membership" not in by_type.split("<table", 1)[1]

    memberships = admin_client.get(
        search_url(organisation, object_type="accounts.Membership")
    ).content.decode()
    assert str(contact.public_id) not in memberships


@pytest.mark.django_db
def test_filtering_by_dates_includes_both_whole_days_in_local_time(admin_client, organisation):
    contacts = [CrisisContactFactory(organisation=organisation) for _ in range(4)]
    moments = [
        dt.datetime(2025, 6, 30, 23, 30, tzinfo=LONDON),  # the day before
        dt.datetime(2025, 7, 1, 0, 10, tzinfo=LONDON),  # 23:10 UTC on 30 June
        dt.datetime(2025, 7, 2, 23, 50, tzinfo=LONDON),
        dt.datetime(2025, 7, 3, 0, 0, tzinfo=LONDON),  # the day after
    ]
    for contact, moment in zip(contacts, moments, strict=True):
        record(organisation=organisation, obj=contact, at=moment)

    html = admin_client.get(
        search_url(organisation, date_from="1/7/2025", date_to="2/7/2025")
    ).content.decode()

    shown = [str(c.public_id) in html for c in contacts]
    assert shown == [False, True, True, False]
    assert "1 Jul 2025, 00:10:00" in html  # shown in local time


@pytest.mark.django_db
def test_filtering_by_the_person_who_did_it(admin_client, organisation):
    coordinator = staff(organisation, Role.COORDINATOR)
    theirs = CrisisContactFactory(organisation=organisation)
    someone_elses = CrisisContactFactory(organisation=organisation)
    record(organisation=organisation, obj=theirs, actor=coordinator)
    record(organisation=organisation, obj=someone_elses)

    html = admin_client.get(search_url(organisation, actor=coordinator.public_id)).content.decode()

    assert str(theirs.public_id) in html
    assert str(someone_elses.public_id) not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "31/2/2025"}, "Enter a real date, like 31/3/2025"),
        ({"date_to": "next tuesday"}, "Enter a real date, like 30/4/2025"),
        ({"actor": "not-an-id"}, "Enter the whole ID as shown in the results, with its dashes"),
        (
            {"date_from": "2/7/2025", "date_to": "1/7/2025"},
            "The latest date must be the same as or after the earliest date",
        ),
    ],
)
def test_a_bad_filter_is_explained_beside_its_field_and_shows_no_results(
    admin_client, organisation, query, message
):
    contact = CrisisContactFactory(organisation=organisation)
    record(organisation=organisation, obj=contact)

    response = admin_client.get(search_url(organisation, **query))

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "<title>Error: Audit log" in html
    assert html.count(message) == 2  # in the summary and beside the field
    assert "nhsuk-error-message" in html
    assert str(contact.public_id) not in html
    # What was typed is kept.
    for value in query.values():
        assert f'value="{value}"' in html


# Pages and queries -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_results_come_fifty_to_a_page_and_page_links_keep_the_search(admin_client, organisation):
    contact = CrisisContactFactory(organisation=organisation)
    for _ in range(120):
        record(organisation=organisation, obj=contact, action=Action.READ)

    first = admin_client.get(search_url(organisation, action="read")).content.decode()
    third = admin_client.get(search_url(organisation, action="read", page=3)).content.decode()

    assert first.count("<tr") == 51  # a header row and 50 events
    assert "Showing 1 to 50 of 120 events" in first
    assert 'href="?action=read&amp;page=2"' in first
    assert 'aria-current="page"' in first
    assert third.count("<tr") == 21
    assert "Showing 101 to 120 of 120 events" in third


@pytest.mark.django_db
def test_the_search_costs_the_same_number_of_queries_however_many_events(
    admin_client, organisation, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contact = CrisisContactFactory(organisation=organisation)
    record(organisation=organisation, obj=contact)
    url = search_url(organisation)
    admin_client.get(url)  # sessions and caches settle
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)

    for _ in range(130):
        record(organisation=organisation, obj=contact, fields=["name", "phone"])
    with django_assert_max_num_queries(len(few)):
        response = admin_client.get(url)
    with django_assert_max_num_queries(len(few)):
        admin_client.get(search_url(organisation, page=3))

    assert response.content.decode().count("<tr") == 51
    assert len(few) <= 10, [q["sql"] for q in few.captured_queries]
