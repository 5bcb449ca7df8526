"""Encrypt the stage, due dates and babies' dates of birth already stored (plain ISO text after
0004). Raw SQL: the fields now decrypt when read, so the ORM cannot read the plain values."""

from django.db import migrations

COLUMNS = ("stage", "due_date", "baby_birth_date")
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - every Fernet token starts so, not a secret


def _convert(schema_editor, change):
    connection = schema_editor.connection
    table = connection.ops.quote_name("accounts_memberprofile")
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {columns} FROM {table}")  # noqa: S608 - fixed names
        rows = cursor.fetchall()
        for row_id, *values in rows:
            new = [change(value) for value in values]
            if new != values:
                assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in COLUMNS)
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                    [*new, row_id],
                )


def encrypt(apps, schema_editor):
    from peerpath.core import crypto

    def change(value):
        if value in (None, "") or str(value).startswith(TOKEN_PREFIX):
            return value
        return crypto.encrypt(str(value))

    _convert(schema_editor, change)


def decrypt(apps, schema_editor):
    from peerpath.core import crypto

    def change(value):
        if value in (None, "") or not str(value).startswith(TOKEN_PREFIX):
            return value
        return crypto.decrypt(value)

    _convert(schema_editor, change)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_stage_and_dates_as_text")]

    operations = [migrations.RunPython(encrypt, decrypt)]
