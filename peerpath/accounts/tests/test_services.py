"""Accounts services: roles, consent before health details, invitations, erasure, export."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.db import connection

from conftest import make_person, membership_of
from peerpath.accounts import access
from peerpath.accounts.choices import Role, Stage
from peerpath.accounts.models import (
    ConsentDecision,
    ConsentKind,
    ConsentMethod,
    ConsentRecord,
    Invitation,
    MemberProfile,
    Membership,
)
from peerpath.accounts.services import (
    ConsentRequiredError,
    consent_give,
    consent_withdraw,
    has_consent,
    invitation_accept,
    invitation_create,
    invitation_for_token,
    member_create_on_behalf,
    member_profile_update,
    membership_grant,
)
from peerpath.accounts.subject_rights import member_data_export, user_erase
from peerpath.accounts.tests.factories import UserFactory
from peerpath.audit.models import Action, AuditEvent
from peerpath.core.actors import OPERATOR

pytestmark = pytest.mark.django_db


def _profile(user) -> MemberProfile:
    return membership_of(user, Role.MEMBER).member_profile


def test_health_details_are_refused_until_she_agrees_to_their_use(member):
    profile = _profile(member)
    with pytest.raises(ConsentRequiredError):
        member_profile_update(
            actor=member, profile=profile, stage=Stage.PREGNANT, due_date=dt.date(2027, 3, 1)
        )
    member_profile_update(actor=member, profile=profile, area="Exeter")  # not health: fine
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    member_profile_update(
        actor=member,
        profile=profile,
        stage=Stage.PREGNANT,
        due_date=dt.date(2027, 3, 1),
        experiences=["hyperemesis"],
    )
    profile.refresh_from_db()
    assert profile.experiences == ["hyperemesis"]


def test_withdrawing_consent_deletes_the_health_details_and_keeps_the_record(member):
    profile = _profile(member)
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    member_profile_update(
        actor=member,
        profile=profile,
        stage=Stage.BABY_BORN,
        baby_birth_date=dt.date(2026, 9, 1),
        experiences=["nicu"],
        area="Exeter",
    )
    consent_withdraw(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    profile.refresh_from_db()
    assert (profile.stage, profile.baby_birth_date, profile.experiences) == ("", None, [])
    assert profile.area == "Exeter"
    assert not has_consent(member, ConsentKind.HEALTH_DATA)
    decisions = list(
        ConsentRecord.objects.filter(user=member, text__kind=ConsentKind.HEALTH_DATA)
        .order_by("created_at", "pk")
        .values_list("decision", flat=True)
    )
    assert decisions == [ConsentDecision.GIVEN, ConsentDecision.WITHDRAWN]


def test_every_profile_change_is_audited_with_field_names_never_values(member):
    profile = _profile(member)
    member_profile_update(actor=member, profile=profile, area="Topsham", contact_notes="No calls")
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(profile.public_id)).get()
    assert event.fields == ["area", "contact_notes"]
    assert event.actor == member
    row = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert "Topsham" not in str(row)
    assert "No calls" not in str(row)


def test_a_person_can_hold_several_roles_and_granting_twice_changes_nothing(organisation):
    person = make_person(organisation, Role.MEMBER)
    again = membership_grant(
        actor=OPERATOR, user=person, organisation=organisation, role=Role.MEMBER
    )
    membership_grant(
        actor=OPERATOR, user=person, organisation=organisation, role=Role.PEER_SUPPORTER
    )
    assert again == membership_of(person, Role.MEMBER)
    assert access.roles_in(person, organisation) == {Role.MEMBER, Role.PEER_SUPPORTER}
    assert (
        Membership.objects.get(user=person, role=Role.PEER_SUPPORTER).supporter_profile.capacity
        == 6
    )


def test_an_invitation_stores_only_a_hash_and_works_once_for_seven_days(organisation, org_admin):
    invitation, token = invitation_create(
        actor=org_admin,
        organisation=organisation,
        email="New.Volunteer@example.org",
        role=Role.PEER_SUPPORTER,
    )
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    with time_machine.travel(invitation.expires_at + dt.timedelta(seconds=1)):
        assert invitation_for_token(token) is None
    assert invitation_for_token(token) == invitation
    stranger = UserFactory(email="someone.else@example.org")
    with pytest.raises(PermissionError):
        invitation_accept(invitation=invitation, user=stranger)
    volunteer = UserFactory(email="new.volunteer@example.org")
    invitation_accept(invitation=invitation, user=volunteer)
    assert access.roles_in(volunteer, organisation) == {Role.PEER_SUPPORTER}
    assert invitation_for_token(token) is None


def test_an_invitation_cannot_make_a_member(organisation, org_admin):
    with pytest.raises(ValueError, match="staff roles"):
        invitation_create(
            actor=org_admin, organisation=organisation, email="a@example.org", role=Role.MEMBER
        )


def test_a_coordinator_makes_an_account_on_her_behalf_with_her_consent_recorded(
    organisation, coordinator
):
    user = member_create_on_behalf(
        actor=coordinator,
        organisation=organisation,
        email="Amira@example.org",
        display_name="Amira",
        consent_method=ConsentMethod.PHONE,
    )
    assert user.email == "amira@example.org"
    assert not user.has_usable_password()
    record = ConsentRecord.objects.get(user=user)
    assert (record.method, record.recorded_by, record.text.kind) == (
        ConsentMethod.PHONE,
        coordinator,
        ConsentKind.PRIVACY_NOTICE,
    )
    assert access.roles_in(user, organisation) == {Role.MEMBER}


def test_her_export_holds_everything_about_her_and_is_itself_audited(member):
    profile = _profile(member)
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    member_profile_update(
        actor=member,
        profile=profile,
        stage=Stage.PREGNANT,
        due_date=dt.date(2027, 1, 5),
        experiences=["birth_trauma"],
        contact_notes="Texts only please",
    )
    data = member_data_export(actor=member, user=member)
    assert data["account"]["email"] == member.email
    (membership,) = data["memberships"]
    assert membership["profile"]["due_date"] == "2027-01-05"
    assert membership["profile"]["experiences"] == ["birth_trauma"]
    assert membership["profile"]["contact_notes"] == "Texts only please"
    assert [c["decision"] for c in data["consents"]].count("given") == 1
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=member).exists()


def test_erasure_anonymises_her_keeps_what_the_law_needs_and_widens_nothing(  # noqa: PLR0917
    organisation, member, coordinator, supporter_matched, other_member, outsider
):
    profile = _profile(member)
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    member_profile_update(actor=member, profile=profile, area="Exmouth", experiences=["feeding"])
    member.phone = "07700 900123"
    member.save()
    everyone = [coordinator, supporter_matched, other_member, outsider]
    membership = membership_of(member, Role.MEMBER)
    could_see = {p.pk for p in everyone if access.can_view_member(p, membership)}
    old_email = member.email

    user_erase(actor=member, user=member)

    member.refresh_from_db()
    profile.refresh_from_db()
    assert member.email != old_email
    assert member.email.endswith("@erased.invalid")
    assert (member.display_name, member.phone, member.is_active) == ("Former member", "", False)
    assert (profile.area, profile.experiences) == ("", [])
    assert authenticate(email=old_email, password="correct horse battery staple") is None
    assert ConsentRecord.objects.filter(user=member).exists()  # kept as proof of consent
    assert AuditEvent.objects.filter(action=Action.DELETE, object_id=str(member.public_id)).exists()
    membership.refresh_from_db()
    assert membership.ended_at is not None
    # The bulk changes are audited row by row, with field names only.
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(membership.public_id), fields=["ended_at"]
    ).exists()
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(profile.public_id), detail="erasure"
    ).exists()
    can_see_now = {p.pk for p in everyone if access.can_view_member(p, membership)}
    assert can_see_now <= could_see


def test_a_database_dump_holds_no_plaintext_of_health_details_notes_or_mfa_secrets(
    member, coordinator
):
    profile = _profile(member)
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    member_profile_update(
        actor=member,
        profile=profile,
        experiences=["baby_loss"],
        contact_notes="My partner reads my texts",
    )
    if connection.vendor == "sqlite":
        dump = "\n".join(connection.connection.iterdump())
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT row_to_json(p)::text FROM accounts_memberprofile p")
            dump = "\n".join(r[0] for r in cursor.fetchall())
            cursor.execute("SELECT data::text FROM mfa_authenticator")
            dump += "\n".join(r[0] for r in cursor.fetchall())
    assert "area" in dump or "accounts_memberprofile" in dump or "contact_methods" in dump
    for secret in ("baby_loss", "My partner reads my texts", "JBSWY3DPEHPK3PXP"):
        assert secret not in dump
