"""The audit log in the admin site: to read, scoped like the audit search, never changed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.access import admin_organisation_ids
from peerpath.accounts.admin import ScopedAdmin
from peerpath.accounts.admin_site import admin_site
from peerpath.audit.models import AuditEvent
from peerpath.audit.querysets import events_for_organisations


@admin.register(AuditEvent, site=admin_site)
class AuditEventAdmin(ScopedAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "fields_changed")
    list_filter = ("action", "object_type")
    search_fields = ("=object_id", "actor_label")
    date_hierarchy = "at"
    fields = (
        "at",
        "organisation",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "fields",
        "detail",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return events_for_organisations(admin_organisation_ids(request.user)).select_related(
            "organisation"
        )

    def in_scope(self, request: HttpRequest, obj: Any) -> bool:
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    @admin.display(description=_("fields changed"))
    def fields_changed(self, obj: AuditEvent) -> str:
        return ", ".join(obj.fields)
