"""Secret tokens in addresses (invitations, private calendar feeds): made here, and kept only
as their hash, so a copy of the database cannot be used to open them."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def secret_token() -> str:
    """A new unguessable token, safe in a URL."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored and looked up instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
