"""The base every PeerPath model builds on."""

from __future__ import annotations

import uuid

from django.db import models


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
