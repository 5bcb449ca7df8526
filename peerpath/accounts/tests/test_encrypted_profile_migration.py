"""Stage, due date and baby's date of birth: encrypted at rest, including rows stored before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from conftest import make_person, membership_of
from peerpath.accounts.choices import Role, Stage
from peerpath.accounts.models import ConsentKind, MemberProfile
from peerpath.accounts.services import consent_give, member_profile_update

BEFORE = [("accounts", "0003_remove_settings_nothing_reads")]
AFTER = [("accounts", "0005_encrypt_stage_and_dates")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _raw(profile_id: int) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stage, due_date, baby_birth_date FROM accounts_memberprofile WHERE id = %s",
            [profile_id],
        )
        stage, due, born = cursor.fetchone()
    return str(stage), str(due), str(born)


@pytest.mark.django_db
def test_her_stage_and_dates_are_stored_as_ciphertext_and_read_back_as_dates(organisation):
    mum = make_person(organisation, Role.MEMBER)
    consent_give(actor=mum, user=mum, kind=ConsentKind.HEALTH_DATA)
    profile = membership_of(mum, Role.MEMBER).member_profile
    member_profile_update(
        actor=mum, profile=profile, stage=Stage.BABY_BORN, baby_birth_date=dt.date(2026, 9, 3)
    )

    stage, due, born = _raw(profile.pk)
    assert stage.startswith("gAAAAA")
    assert born.startswith("gAAAAA")
    assert "2026" not in born
    assert due == "None"
    fresh = MemberProfile.objects.get(pk=profile.pk)
    assert (fresh.stage, fresh.baby_birth_date) == (Stage.BABY_BORN, dt.date(2026, 9, 3))


@pytest.mark.django_db
def test_a_pregnant_profile_still_refuses_a_babys_date_of_birth(organisation):
    from django.core.exceptions import ValidationError

    mum = make_person(organisation, Role.MEMBER)
    consent_give(actor=mum, user=mum, kind=ConsentKind.HEALTH_DATA)
    profile = membership_of(mum, Role.MEMBER).member_profile

    with pytest.raises(ValidationError) as refused:
        member_profile_update(
            actor=mum, profile=profile, stage=Stage.PREGNANT, baby_birth_date=dt.date(2026, 9, 3)
        )

    assert "baby_birth_date" in refused.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_rows_stored_in_plain_text_before_are_encrypted_and_decrypted_back():
    old = _migrate(BEFORE)
    try:
        organisation = old.get_model("accounts", "Organisation").objects.create(
            name="Old rows", slug="old-rows"
        )
        user = old.get_model("accounts", "User").objects.create(email="old@example.org")
        membership = old.get_model("accounts", "Membership").objects.create(
            user=user, organisation=organisation, role="member"
        )
        profile = old.get_model("accounts", "MemberProfile").objects.create(
            membership=membership, stage="pregnant", due_date=dt.date(2027, 2, 14)
        )

        _migrate(AFTER)
        stage, due, _born = _raw(profile.pk)
        assert stage.startswith("gAAAAA")
        assert due.startswith("gAAAAA")
        fresh = MemberProfile.objects.get(pk=profile.pk)
        assert (fresh.stage, fresh.due_date) == ("pregnant", dt.date(2027, 2, 14))

        _migrate(BEFORE)
        stage, due, _born = _raw(profile.pk)
        assert (stage, due[:10]) == ("pregnant", "2027-02-14")
    finally:
        _migrate(_leaves())
