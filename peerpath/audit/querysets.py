"""Reading the audit log: which events an organisation's administrators may see."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Func, Q, QuerySet

from peerpath.audit.models import Action, AuditEvent

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType

    from peerpath.accounts.models import Organisation

AUTHENTICATION_ACTIONS = (Action.LOGIN, Action.LOGIN_FAILED, Action.LOGOUT)


class UUIDText(Func):
    """A UUID column as text in its usual hyphenated form (``str(uuid)``), on every database.

    The audit log stores object ids as text. PostgreSQL turns a ``uuid`` into that form
    itself; SQLite keeps UUIDs as 32 hex digits, so the hyphens are put back.
    """

    arity = 1
    output_field = CharField()
    template = "CAST(%(expressions)s AS varchar(36))"

    def as_sqlite(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        **extra_context: Any,
    ) -> _AsSqlType:
        sql, params = compiler.compile(self.source_expressions[0])
        pieces = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
        text = " || '-' || ".join(f"substr({sql}, {start}, {length})" for start, length in pieces)
        return f"lower({text})", tuple(params) * len(pieces)


def events_for_organisations(organisation_ids: Collection[int]) -> QuerySet[AuditEvent]:
    """Events recorded against any of these organisations, and the sign-ins of their people.

    Sign-in, failed sign-in and sign-out events belong to no organisation; they are included
    when the person who signed in (the actor) or whose account was tried (the object) holds,
    or has held, any role in one of the organisations.
    """
    from peerpath.accounts.models import Membership, User

    ids = list(organisation_ids)
    if not ids:
        return AuditEvent.objects.none()
    people = Membership.objects.filter(organisation_id__in=ids).values("user_id")
    people_ids = (
        User.objects.filter(memberships__organisation_id__in=ids)
        .annotate(public_id_text=UUIDText("public_id"))
        .values("public_id_text")
    )
    own = Q(organisation_id__in=ids)
    sign_ins = Q(organisation__isnull=True, action__in=AUTHENTICATION_ACTIONS) & (
        Q(actor_id__in=people) | Q(object_type=User._meta.label, object_id__in=people_ids)
    )
    return AuditEvent.objects.filter(own | sign_ins)


def events_for_organisation(organisation: Organisation) -> QuerySet[AuditEvent]:
    """What an organisation's audit search shows, newest first. See events_for_organisations."""
    return events_for_organisations([organisation.pk]).order_by("-at", "-pk")
