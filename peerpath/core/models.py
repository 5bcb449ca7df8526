"""The base every PeerPath model builds on."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models


class Sensitive:
    """Marks a model whose rows are about a person: views, API endpoints and websocket
    consumers fetch it only through ``access.py`` (tests/test_protected_fetch_lint.py)."""

    sensitive: ClassVar[bool] = True


class BaseModel(models.Model):
    """A UUID ``public_id`` for URLs and the API, and creation and change times.

    Integer primary keys stay internal: they are never shown in a URL, so nobody can count
    records or guess a neighbour's address.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
