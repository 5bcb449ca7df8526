"""Re-encrypt every encrypted column with the newest key (key rotation)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from peerpath.core import crypto
from peerpath.core.fields import encrypted_fields


@dataclass(frozen=True)
class RotationResult:
    model: str
    field: str
    examined: int
    rotated: int


def encryption_keys_rotate(*, batch_size: int = 500) -> list[RotationResult]:
    """Rewrite every token not made with the newest key. Safe to run again; safe while live.

    Works on the raw column so nothing passes through model ``save()``; each row is updated
    only if it still holds the token that was read (compare-and-set), so a concurrent edit is
    never overwritten.
    """
    results: list[RotationResult] = []
    quote = connection.ops.quote_name
    for model in apps.get_models():
        for field in encrypted_fields(model):
            table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
            examined = rotated = 0
            last_pk = None
            while True:
                with connection.cursor() as cursor:
                    where = f"WHERE {quote(pk)} > %s " if last_pk is not None else ""
                    cursor.execute(
                        f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} "  # noqa: S608
                        f"{where}ORDER BY {quote(pk)} LIMIT %s",
                        [*([last_pk] if last_pk is not None else []), batch_size],
                    )
                    rows = cursor.fetchall()
                if not rows:
                    break
                with transaction.atomic():
                    for row_pk, token in rows:
                        examined += 1
                        if not token or crypto.is_current(token):
                            continue
                        with connection.cursor() as cursor:
                            cursor.execute(
                                f"UPDATE {quote(table)} SET {quote(column)} = %s "  # noqa: S608
                                f"WHERE {quote(pk)} = %s AND {quote(column)} = %s",
                                [crypto.rotate(token), row_pk, token],
                            )
                            rotated += cursor.rowcount
                last_pk = rows[-1][0]
            results.append(
                RotationResult(
                    model=model._meta.label, field=field.name, examined=examined, rotated=rotated
                )
            )
    return results
