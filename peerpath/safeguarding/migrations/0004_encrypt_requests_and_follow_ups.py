"""Encrypt the contact preferences and follow-up descriptions already stored (plain JSON and
plain text after 0003). Raw SQL: the fields now decrypt when read, so the ORM cannot read the
plain values."""

from django.db import migrations

# (table, column): every row's value becomes a Fernet token of the text it holds.
COLUMNS = (
    ("safeguarding_alert", "contact_preference"),
    ("safeguarding_followup", "description"),
)
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - every Fernet token starts so, not a secret


def _convert(schema_editor, change):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in COLUMNS:
            cursor.execute(f"SELECT id, {quote(column)} FROM {quote(table)}")  # noqa: S608
            for row_id, value in cursor.fetchall():
                new = change(value)
                if new != value:
                    cursor.execute(
                        f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
                        [new, row_id],
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
    dependencies = [("safeguarding", "0003_request_and_follow_up_text_encrypted")]

    operations = [migrations.RunPython(encrypt, decrypt)]
