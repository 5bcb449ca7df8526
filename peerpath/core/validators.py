"""Checks shared by forms that take free text from people."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Line breaks and tabs are ordinary typing. The zero-width joiner and non-joiner are part of
# emoji (a family, a skin tone) and of Persian and Indic writing, so they stay too.
_ALLOWED = frozenset("\n\r\t\u200c\u200d")
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf"})


def hidden_characters(value: str) -> list[str]:
    """The control and formatting characters in ``value`` that nobody can see (terminal
    escapes, right-to-left overrides, zero-width spaces), other than line breaks and tabs."""
    return [
        ch for ch in value if ch not in _ALLOWED and unicodedata.category(ch) in _HIDDEN_CATEGORIES
    ]


def no_hidden_characters(value: Any) -> None:
    """A form field validator: refuses text holding invisible control or direction-changing
    characters, which could make what a reader sees differ from what was written."""
    if isinstance(value, str) and hidden_characters(value):
        raise ValidationError(
            _(
                "This has hidden characters in it, perhaps from copying and pasting. Type it "
                "again, or paste it as plain text."
            ),
            code="hidden_characters",
        )
