"""Model fields that keep personal data encrypted at rest."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from peerpath.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored as a Fernet token; Python code only ever sees the plaintext.

    Encrypted values cannot be searched, filtered or ordered in the database: that is the point.
    Keys come from ``settings.FIELD_ENCRYPTION_KEYS`` (newest first); after adding a new key,
    run ``manage.py rotate_encryption_keys`` and then retire the old one.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def to_python(self, value: Any) -> str | None:
        return value if value is None else str(value)

    def get_prep_value(self, value: Any) -> str | None:
        prepared = super().get_prep_value(value)
        if prepared is None or prepared == "":
            return None if prepared is None else ""
        return crypto.encrypt(str(prepared))

    def get_lookup(self, lookup_name: str) -> Any:
        # Comparing ciphertext is meaningless (each encryption differs), so refuse it loudly.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (list or dict) stored encrypted, e.g. the experiences someone shares."""

    description = "JSON encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        if text is None or text == "":
            return None if text is None else self._empty()
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value else self._empty()
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value, sort_keys=True))

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj))

    def _empty(self) -> Any:
        default = self.get_default()
        return default if default is not None else None
