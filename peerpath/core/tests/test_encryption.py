import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from peerpath.accounts.models import User
from peerpath.accounts.tests.factories import UserFactory
from peerpath.core import crypto

NEW_KEY = Fernet.generate_key().decode()
OLD_KEY = Fernet.generate_key().decode()
PHONE = "07700 900123"


def _raw_phone(user: User) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_an_encrypted_field_reads_back_as_plaintext_but_is_stored_as_ciphertext():
    user = UserFactory(phone=PHONE)
    assert User.objects.get(pk=user.pk).phone == PHONE
    stored = _raw_phone(user)
    assert PHONE not in stored
    assert crypto.decrypt(stored) == PHONE


@pytest.mark.django_db
def test_a_database_dump_holds_no_plaintext_of_encrypted_fields():
    UserFactory(phone=PHONE)
    if connection.vendor == "sqlite":
        dump = "\n".join(connection.connection.iterdump())
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT row_to_json(u)::text FROM accounts_user u")
            dump = "\n".join(row[0] for row in cursor.fetchall())
    assert "person" in dump  # the dump did include the user row
    assert PHONE not in dump
    assert PHONE.replace(" ", "") not in dump


@pytest.mark.django_db
def test_comparing_ciphertext_is_refused_loudly():
    with pytest.raises(FieldError):
        list(User.objects.filter(phone=PHONE))
    assert list(User.objects.filter(phone__isnull=True)) == []


@pytest.mark.django_db
def test_rotation_moves_every_value_to_the_newest_key_and_the_old_key_can_then_go():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        user = UserFactory(phone=PHONE)
        blank = UserFactory(phone="")
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        assert not crypto.is_current(_raw_phone(user))
        call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: PTH123, SIM115
        assert crypto.is_current(_raw_phone(user))
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        assert User.objects.get(pk=user.pk).phone == PHONE
        assert User.objects.get(pk=blank.pk).phone == ""


@pytest.mark.django_db
def test_a_value_whose_key_was_removed_fails_with_a_clear_error():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        user = UserFactory(phone=PHONE)
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]),
        pytest.raises(crypto.DecryptionError, match="retired key"),
    ):
        User.objects.get(pk=user.pk)
