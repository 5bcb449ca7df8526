"""A small, strict reader for environment variables.

Every variable PeerPath reads goes through here so that a typo never silently becomes a default:
booleans accept only true/false/1/0/yes/no/on/off, and any ``NAME`` may instead be given as
``NAME_FILE`` pointing at a file holding the value (for container and systemd secrets).
"""

from __future__ import annotations

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ImproperlyConfiguredError(Exception):
    """Raised when a variable is missing or malformed."""


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfiguredError(f"{name}_FILE points at {file_name!r}: {exc}") from exc
    return os.environ.get(name)


def string(name: str, default: str | None = None) -> str:
    value = _raw(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfiguredError(f"Set the {name} environment variable.")
        return default
    return value


def optional(name: str) -> str | None:
    value = _raw(name)
    return value or None


def boolean(name: str, *, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredError(
        f"{name} must be one of true/false/1/0/yes/no/on/off, not {value!r}."
    )


def integer(name: str, *, default: int) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfiguredError(f"{name} must be a whole number, not {value!r}.") from exc


def string_list(name: str, default: list[str] | None = None, *, separator: str = ",") -> list[str]:
    value = _raw(name)
    if value is None or value.strip() == "":
        if default is None:
            raise ImproperlyConfiguredError(f"Set the {name} environment variable.")
        return list(default)
    return [item.strip() for item in value.split(separator) if item.strip()]
