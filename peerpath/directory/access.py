"""The directory is public: anyone may see active listings. Saved searches are hers alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from peerpath.accounts.models import User
from peerpath.directory.models import SavedSearch, Service

if TYPE_CHECKING:
    from peerpath.accounts.access import AnyUser


def get_public_service(public_id: str) -> Service:
    return get_object_or_404(
        Service.objects.select_related("location", "organisation").prefetch_related(
            "schedules__service"
        ),
        public_id=public_id,
        is_active=True,
    )


def own_saved_searches(user: AnyUser) -> QuerySet[SavedSearch]:
    if not isinstance(user, User):
        raise Http404
    return SavedSearch.objects.filter(user=user)


def get_own_saved_search(user: AnyUser, public_id: str) -> SavedSearch:
    saved: SavedSearch = get_object_or_404(own_saved_searches(user), public_id=public_id)
    return saved
