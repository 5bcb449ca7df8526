"""Model fields that keep personal data encrypted at rest."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted (a due date, a baby's date of birth): ISO text inside the token.

    Like every encrypted field it cannot be filtered or ordered in the database; forms show
    it as an ordinary date.
    """

    description = "Date encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        return dt.date.fromisoformat(text) if text else None

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError(_("Enter a real date."), code="invalid") from exc

    def get_prep_value(self, value: Any) -> str | None:
        date = self.to_python(value)
        return None if date is None else crypto.encrypt(date.isoformat())

    def value_to_string(self, obj: models.Model) -> str:
        date = self.value_from_object(obj)
        return date.isoformat() if date else ""

    def formfield(
        self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any
    ) -> Any:
        from django import forms

        return models.Field.formfield(self, form_class=form_class or forms.DateField, **kwargs)
