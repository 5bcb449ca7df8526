"""Load the licensed EPDS wording from a local content file.

The EPDS item text is not free to republish: the Royal College of Psychiatrists requires written
permission to put it online. PeerPath ships the EPDS structure and scoring only
(``peerpath.checkins.instruments.epds``) and takes the words, in printed order, from the JSON
file named by ``settings.CHECKINS_EPDS_CONTENT_FILE``, which an organisation holding permission
supplies and which is never committed::

    {
        "instructions": "...",
        "items": [{"text": "...", "options": ["...", "...", "...", "..."]}, ...],
        "permission": "who granted permission to use the wording",
    }

``items`` holds exactly 10 questions of exactly 4 answers each; every string is 1 to 500
characters; no other keys are allowed. The file is hostile until it has been validated whole
(at most 64 KB, UTF-8, no duplicate keys): any problem raises ``EpdsContentError`` naming the
place (``items[3].options[2]: ...``), and nothing is ever half-loaded. Only words come from the
file: which answers score what, and which item is the risk item, stay in code.
"""

from __future__ import annotations

import json
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from django.conf import settings

SETTING: Final = "CHECKINS_EPDS_CONTENT_FILE"
MAX_BYTES: Final = 64 * 1024
MAX_TEXT_CHARS: Final = 500
ITEM_COUNT: Final = 10
OPTION_COUNT: Final = 4
TOP_LEVEL_KEYS: Final = frozenset({"instructions", "items", "permission"})
ITEM_KEYS: Final = frozenset({"text", "options"})
# Line breaks are allowed in the words; other control characters and lone surrogates are not.
_ALLOWED_CONTROL: Final = frozenset({"\n"})


class EpdsContentError(ValueError):
    """The EPDS content file cannot be used; ``place`` says where in the file, if anywhere."""

    def __init__(self, message: str, *, place: str = "") -> None:
        super().__init__(message)
        self.place = place


@dataclass(frozen=True)
class EpdsItemText:
    """One question's words: its text and its 4 answers, in printed order."""

    text: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class EpdsContent:
    """The EPDS wording, validated whole."""

    instructions: str
    items: tuple[EpdsItemText, ...]
    permission: str


def configured_epds_content() -> EpdsContent | None:
    """The wording from ``settings.CHECKINS_EPDS_CONTENT_FILE``; None when it is unset or empty.

    A configured file that is missing or invalid raises ``EpdsContentError``: the caller decides
    what to do (the registry falls back to placeholder wording and logs a warning).
    """
    value = getattr(settings, SETTING, "")
    if value is None or value == "":
        return None
    if not isinstance(value, str | os.PathLike):
        raise EpdsContentError(f"{SETTING} must be a file path, not {type(value).__name__}.")
    try:
        return load_epds_content(value)
    except EpdsContentError as error:
        raise EpdsContentError(f"{SETTING}: {error}", place=error.place) from None


def load_epds_content(path: str | os.PathLike[str]) -> EpdsContent:
    """Read and validate the EPDS content file at ``path``."""
    file = Path(path)
    prefix = f"EPDS content file {file}"
    try:
        info = file.stat()
    except FileNotFoundError:
        raise EpdsContentError(f"{prefix}: not found.") from None
    except OSError as error:
        raise EpdsContentError(f"{prefix}: cannot be read ({error.strerror}).") from None
    if not stat.S_ISREG(info.st_mode):
        raise EpdsContentError(f"{prefix}: is not a regular file.")
    if info.st_size > MAX_BYTES:
        raise EpdsContentError(f"{prefix}: {_too_large(info.st_size)}")
    try:
        with file.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise EpdsContentError(f"{prefix}: cannot be read ({error.strerror}).") from None
    try:
        return parse_epds_content(raw)
    except EpdsContentError as error:
        raise EpdsContentError(f"{prefix}: {error}", place=error.place) from None


def parse_epds_content(raw: bytes | str) -> EpdsContent:
    """Validate the whole of ``raw`` (the file's bytes, or its text) as EPDS content."""
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise EpdsContentError(_too_large(size))
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise EpdsContentError(
                f"is not UTF-8 text (byte {error.start} cannot be read)."
            ) from None
    else:
        text = raw
    return _content(_decode_json(text))


def _too_large(size: int) -> str:
    return f"is too large ({size} bytes; at most {MAX_BYTES // 1024} KB)."


def _decode_json(text: str) -> object:
    try:
        return json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except EpdsContentError:
        raise
    except json.JSONDecodeError as error:
        raise EpdsContentError(
            f"is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    except RecursionError:
        raise EpdsContentError("is not valid content: it is nested far too deeply.") from None
    except ValueError as error:  # for example a number with thousands of digits
        raise EpdsContentError(f"is not valid JSON: {error}") from None


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise EpdsContentError(f"is not valid content: the key {_shown(key)} appears twice.")
        found[key] = value
    return found


def _constant(name: str) -> object:
    raise EpdsContentError(f"is not valid JSON: {name} is not allowed.")


def _content(data: object) -> EpdsContent:
    top = _keys(data, "top level", TOP_LEVEL_KEYS)
    instructions = _text(top["instructions"], "instructions")
    raw_items = _array(top["items"], "items", ITEM_COUNT, "questions")
    items = tuple(_item(value, f"items[{index}]") for index, value in enumerate(raw_items))
    permission = _text(top["permission"], "permission")
    return EpdsContent(instructions=instructions, items=items, permission=permission)


def _item(data: object, place: str) -> EpdsItemText:
    item = _keys(data, place, ITEM_KEYS)
    text = _text(item["text"], f"{place}.text")
    raw_options = _array(item["options"], f"{place}.options", OPTION_COUNT, "answers")
    options = tuple(
        _text(value, f"{place}.options[{index}]") for index, value in enumerate(raw_options)
    )
    return EpdsItemText(text=text, options=options)


def _keys(data: object, place: str, allowed: frozenset[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise EpdsContentError(f"{place}: must be an object, not {_kind(data)}.", place=place)
    extra = sorted(set(data) - allowed)
    if extra:
        raise EpdsContentError(
            f"{place}: unexpected key {_shown(extra[0])} (allowed: {', '.join(sorted(allowed))}).",
            place=place,
        )
    missing = sorted(allowed - set(data))
    if missing:
        name = missing[0] if place == "top level" else f"{place}.{missing[0]}"
        raise EpdsContentError(f"{name}: missing.", place=name)
    return data


def _array(data: object, place: str, count: int, what: str) -> list[Any]:
    if not isinstance(data, list):
        raise EpdsContentError(f"{place}: must be an array, not {_kind(data)}.", place=place)
    if len(data) != count:
        raise EpdsContentError(
            f"{place}: must have exactly {count} {what}, not {len(data)}.", place=place
        )
    return data


def _text(data: object, place: str) -> str:
    if not isinstance(data, str):
        raise EpdsContentError(f"{place}: must be a string, not {_kind(data)}.", place=place)
    if len(data) > MAX_TEXT_CHARS:
        raise EpdsContentError(
            f"{place}: must be at most {MAX_TEXT_CHARS} characters, not {len(data)}.",
            place=place,
        )
    words = data.strip()
    if not words:
        raise EpdsContentError(f"{place}: must not be empty.", place=place)
    for character in words:
        if character not in _ALLOWED_CONTROL and unicodedata.category(character) in {"Cc", "Cs"}:
            raise EpdsContentError(
                f"{place}: must not contain control characters (found U+{ord(character):04X}).",
                place=place,
            )
    return words


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _shown(key: str) -> str:
    """A key from the file, quoted and cut short (it is not to be trusted)."""
    limit = 40
    return repr(key if len(key) <= limit else key[:limit] + "...")
