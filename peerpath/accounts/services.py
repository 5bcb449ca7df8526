"""Every change to accounts and organisations goes through a function here."""

from __future__ import annotations

from django.db import transaction

from peerpath.accounts.models import Organisation, User
from peerpath.core.site import forget_site_identity


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    slug: str,
    contact_email: str = "",
    contact_phone: str = "",
) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, slug=slug, contact_email=contact_email, contact_phone=contact_phone
    )
    transaction.on_commit(forget_site_identity)
    return organisation
