"""Writing audit events. Services call these for every sensitive write and read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models

from peerpath.audit.models import Action, AuditEvent
from peerpath.core import clock
from peerpath.core.actors import SystemActor, actor_label

if TYPE_CHECKING:
    from peerpath.accounts.models import Organisation
    from peerpath.core.actors import Actor


class MissingActorError(TypeError):
    """An audit row needs a person or a named system actor; there is no silent "system"."""


def _person(actor: Actor) -> Any:
    if actor is None or not (isinstance(actor, SystemActor) or hasattr(actor, "public_id")):
        raise MissingActorError(
            "An audit row needs a person or a named system actor (peerpath.core.actors)."
        )
    if isinstance(actor, SystemActor):
        return None
    return actor if actor.pk else None


def audit_record(
    *,
    actor: Actor,
    action: Action,
    obj: models.Model | None = None,
    organisation: Organisation | None = None,
    fields: Iterable[str] = (),
    detail: str = "",
) -> AuditEvent:
    """Append one event. ``fields`` are names only: values never enter the audit log."""
    person = _person(actor)
    return AuditEvent.objects.create(
        at=clock.now(),
        organisation=organisation,
        actor=person,
        actor_label=actor_label(actor),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(getattr(obj, "public_id", "") or getattr(obj, "pk", "")) if obj else "",
        fields=sorted(fields),
        detail=detail[:200],
    )


def audit_record_many(
    *,
    actor: Actor,
    action: Action,
    objects: Iterable[models.Model],
    organisation: Organisation | None = None,
    fields: Iterable[str] = (),
) -> int:
    """One event per object, written in one statement: for bulk changes."""
    now = clock.now()
    names = sorted(fields)
    person = _person(actor)
    events = [
        AuditEvent(
            at=now,
            organisation=organisation,
            actor=person,
            actor_label=actor_label(actor),
            action=action,
            object_type=obj._meta.label,
            object_id=str(getattr(obj, "public_id", "") or obj.pk),
            fields=names,
        )
        for obj in objects
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)


def changed_fields(before: dict[str, object], after: models.Model) -> list[str]:
    """Names of the fields whose values differ between a snapshot and the saved object."""
    return [name for name, value in before.items() if getattr(after, name) != value]


def save_audited(*, actor: Actor, obj: models.Model, changed: Iterable[str]) -> None:
    """Check, save and audit one row of an organisation's set-up (its ``organisation`` is the
    audit row's): what the admin's settings pages save through their app's service. Call it
    inside that service's transaction."""
    adding = obj._state.adding
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if adding else Action.UPDATE,
        obj=obj,
        organisation=getattr(obj, "organisation", None),
        fields=changed,
    )
