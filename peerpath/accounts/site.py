"""Which organisation a public page speaks for."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

from peerpath.accounts.models import Organisation

_CACHE_KEY = "core:site-organisation:v1"
_CACHE_SECONDS = 60


@dataclass(frozen=True)
class SiteIdentity:
    """What the layout needs to know about the organisation: cheap to cache, safe to show."""

    name: str
    organisation_id: int | None
    contact_email: str = ""
    contact_phone: str = ""


def site_identity() -> SiteIdentity:
    """The installation's public organisation: the one named in settings, else the oldest.

    Cached briefly so that ordinary pages cost no query for it; ``forget_site_identity`` is
    called by the services that rename or add organisations.
    """
    cached: SiteIdentity | None = cache.get(_CACHE_KEY)
    if cached is not None:
        return cached
    organisations = Organisation.objects.order_by("created_at", "pk")
    if settings.PEERPATH_DEFAULT_ORGANISATION:
        organisations = organisations.filter(slug=settings.PEERPATH_DEFAULT_ORGANISATION)
    try:
        organisation = organisations.only("pk", "name", "contact_email", "contact_phone").first()
    except DatabaseError:
        # The error pages must still render when the database is down.
        return SiteIdentity(name=settings.PEERPATH_SITE_NAME, organisation_id=None)
    identity = (
        SiteIdentity(
            name=organisation.name,
            organisation_id=organisation.pk,
            contact_email=organisation.contact_email,
            contact_phone=organisation.contact_phone,
        )
        if organisation
        else SiteIdentity(name=settings.PEERPATH_SITE_NAME, organisation_id=None)
    )
    cache.set(_CACHE_KEY, identity, _CACHE_SECONDS)
    return identity


def forget_site_identity() -> None:
    cache.delete(_CACHE_KEY)
