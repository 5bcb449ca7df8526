"""Encrypt the saved searches already stored and give each its digest. Raw SQL: the fields now
decrypt when read, so the ORM cannot read the plain values."""

from django.db import migrations
from django.utils.crypto import salted_hmac

TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - every Fernet token starts so, not a secret


def _digest(query):
    return salted_hmac("peerpath.saved-search", query, algorithm="sha256").hexdigest()


def _rows(cursor, table):
    cursor.execute(f"SELECT id, query, description FROM {table}")  # noqa: S608 - fixed name
    return cursor.fetchall()


def encrypt(apps, schema_editor):
    from peerpath.core import crypto

    connection = schema_editor.connection
    table = connection.ops.quote_name("directory_savedsearch")
    with connection.cursor() as cursor:
        for row_id, query, description in _rows(cursor, table):
            if str(query).startswith(TOKEN_PREFIX):
                continue
            cursor.execute(
                f"UPDATE {table} SET query = %s, description = %s, query_digest = %s "  # noqa: S608
                "WHERE id = %s",
                [crypto.encrypt(query), crypto.encrypt(description), _digest(query), row_id],
            )


def decrypt(apps, schema_editor):
    from peerpath.core import crypto

    connection = schema_editor.connection
    table = connection.ops.quote_name("directory_savedsearch")
    with connection.cursor() as cursor:
        for row_id, query, description in _rows(cursor, table):
            if not str(query).startswith(TOKEN_PREFIX):
                continue
            cursor.execute(
                f"UPDATE {table} SET query = %s, description = %s WHERE id = %s",  # noqa: S608
                [crypto.decrypt(query), crypto.decrypt(description), row_id],
            )


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_saved_search_query_as_text")]

    operations = [migrations.RunPython(encrypt, decrypt)]
