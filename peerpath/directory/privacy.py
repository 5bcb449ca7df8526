"""Her kept searches and the groups she runs: exported; at erasure her searches stop and she
is taken off the groups' facilitators."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from peerpath.core.privacy import PersonalData, register
from peerpath.directory.alerts import saved_search_delete
from peerpath.directory.models import SavedSearch, Service
from peerpath.directory.services import service_update

if TYPE_CHECKING:
    from peerpath.accounts.models import User
    from peerpath.core.actors import Actor


def export(user: User) -> dict[str, Any]:
    return {
        "groups_you_run": sorted(
            Service.objects.filter(facilitators=user).values_list("name", flat=True)
        ),
        "saved_searches": [
            {"search": saved.description, "since": saved.created_at.isoformat()}
            for saved in SavedSearch.objects.filter(user=user)
        ],
    }


def erase(*, actor: Actor, user: User, now: dt.datetime) -> None:
    for saved in SavedSearch.objects.filter(user=user):
        saved_search_delete(actor=actor, saved=saved)
    for service in Service.objects.filter(facilitators=user).prefetch_related("facilitators"):
        service_update(
            actor=actor,
            service=service,
            facilitators=[person for person in service.facilitators.all() if person != user],
        )


register(
    PersonalData(
        app="directory",
        export=export,
        erase=erase,
        models=("directory.SavedSearch", "directory.Service"),
    )
)
