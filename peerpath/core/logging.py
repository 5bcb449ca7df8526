"""Logging that never records request bodies, query strings, passwords or tokens."""

from __future__ import annotations

import logging
import re

# Attributes Django and others attach to records that can carry personal data.
_DROPPED_ATTRIBUTES = ("request", "body", "data", "POST", "GET", "params", "scope")
_SENSITIVE_KEYS = re.compile(
    r"(pass(word)?|secret|token|key|otp|(?<!status_)code|session|csrf|auth|cookie|email|phone|postcode)",
    re.IGNORECASE,
)
# "?anything" up to the next space or quote: query strings can hold postcodes, tokens, emails.
_QUERY = re.compile(r"\?[^\s'\"]*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


# Secret tokens carried in paths: invitations, password resets, email confirmations, her
# private calendar address and a duty person's shifts calendar address.
_PATH_TOKENS = re.compile(
    r"(/invitations/|/auth/password/reset/key/|/auth/confirm-email/|/calendar/|/duty/)"
    r"[^/\s'\"]+"
)


def scrub(text: str) -> str:
    text = _PATH_TOKENS.sub(r"\1[token]", text)
    return _EMAIL.sub("[email]", _QUERY.sub("?[redacted]", text))


class RedactingFilter(logging.Filter):
    """Strips request objects and sensitive extras, and scrubs query strings and emails."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name in _DROPPED_ATTRIBUTES:
            if name in record.__dict__:
                delattr(record, name)
        for name in list(record.__dict__):
            if name not in _STANDARD_ATTRIBUTES and _SENSITIVE_KEYS.search(name):
                setattr(record, name, "[redacted]")
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info:
            # Exception text can quote data (a database error names the duplicate email):
            # format it now, scrubbed, and drop the raw exception.
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime"}
)
