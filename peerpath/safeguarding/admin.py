"""Crisis contacts in the admin site: each organisation's admins keep their own list current."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from peerpath.accounts.access import admin_organisation_ids
from peerpath.accounts.admin import ServiceAdmin
from peerpath.accounts.admin_site import admin_site
from peerpath.accounts.models import Organisation, User
from peerpath.safeguarding.models import CrisisContact
from peerpath.safeguarding.services import crisis_contact_delete, crisis_contact_save


@admin.register(CrisisContact, site=admin_site)
class CrisisContactAdmin(ServiceAdmin):
    """Contacts are switched off (``is_active``) rather than deleted."""

    may_add = True
    may_change = True
    list_display = ("name", "organisation", "urgency", "nation", "is_active", "last_verified_on")
    list_filter = (
        "urgency",
        "nation",
        "is_active",
        ("organisation", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("organisation",)
    search_fields = ("name",)
    fieldsets = (
        (None, {"fields": ("organisation", "urgency", "nation", "position", "is_active")}),
        (None, {"fields": ("name", "description", "hours")}),
        (None, {"fields": ("phone", "text_number", "text_keyword", "email")}),
        (None, {"fields": ("last_verified_on", "verification_note")}),
    )

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.filter(
                pk__in=admin_organisation_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_with_service(
        self, *, actor: User, obj: CrisisContact, changed: list[str], adding: bool
    ) -> None:
        crisis_contact_save(actor=actor, contact=obj, changed=changed)

    def delete_with_service(self, *, actor: User, obj: CrisisContact) -> None:
        crisis_contact_delete(actor=actor, contact=obj)
