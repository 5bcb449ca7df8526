"""The admin site's accounts pages, and the rules every PeerPath admin page follows.

Only organisation admins with two-step verification get in (``admin_site``); each sees and
changes only the rows of the organisations they administer. Every change made here is written
to the audit log with the names of the fields changed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.access import admin_organisation_ids, can_use_admin_site
from peerpath.accounts.admin_site import admin_site
from peerpath.accounts.choices import STAFF_ROLES
from peerpath.accounts.models import ConsentText, Membership, Organisation, User
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record, audit_record_many
from peerpath.accounts.site import forget_site_identity

if TYPE_CHECKING:
    from django import forms

    ModelAdminBase = admin.ModelAdmin[Any]
else:
    ModelAdminBase = admin.ModelAdmin


def request_actor(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


class ScopedAdmin(ModelAdminBase):
    """Rows of the organisations the person administers; nothing else, not even by address.

    ``organisation_field`` names the model's foreign key to its organisation ("pk" for the
    organisation itself). Adding, changing and deleting are off unless a subclass allows them.
    Django's model permissions are not used: access.py decides.
    """

    organisation_field: ClassVar[str] = "organisation"
    may_add: ClassVar[bool] = False
    may_change: ClassVar[bool] = False
    may_delete: ClassVar[bool] = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        ids = admin_organisation_ids(request.user)
        return super().get_queryset(request).filter(**{f"{self.organisation_field}__in": ids})

    def organisation_id_of(self, obj: Any) -> int | None:
        if self.organisation_field == "pk":
            return int(obj.pk)
        value = getattr(obj, f"{self.organisation_field}_id")
        return int(value) if value is not None else None

    def organisation_of(self, obj: Any) -> Organisation | None:
        if self.organisation_field == "pk":
            return obj if isinstance(obj, Organisation) else None
        value = getattr(obj, self.organisation_field)
        return value if isinstance(value, Organisation) else None

    def in_scope(self, request: HttpRequest, obj: Any) -> bool:
        return self.organisation_id_of(obj) in admin_organisation_ids(request.user)

    def _allowed(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_use_admin_site(request.user) and (obj is None or self.in_scope(request, obj))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.may_add and self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_change and self._allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_delete and self._allowed(request, obj)


class AuditedAdmin(ScopedAdmin):
    """Writes an audit event for every save and delete, naming the fields the form changed."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm[Any], change: bool
    ) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request_actor(request),
                action=Action.UPDATE if change else Action.CREATE,
                obj=obj,
                organisation=self.organisation_of(obj),
                fields=form.changed_data,
                detail="admin site",
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            organisation = self.organisation_of(obj)
            super().delete_model(request, obj)
            audit_record(
                actor=request_actor(request),
                action=Action.DELETE,
                obj=obj,
                organisation=organisation,
                detail="admin site",
            )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """Bulk delete (the "delete selected" action): one audit event per row."""
        with transaction.atomic():
            by_organisation: dict[int | None, list[models.Model]] = defaultdict(list)
            for obj in queryset:
                by_organisation[self.organisation_id_of(obj)].append(obj)
            organisations = Organisation.objects.in_bulk([i for i in by_organisation if i])
            super().delete_queryset(request, queryset)
            for organisation_id, objects in by_organisation.items():
                audit_record_many(
                    actor=request_actor(request),
                    action=Action.DELETE,
                    objects=objects,
                    organisation=organisations.get(organisation_id) if organisation_id else None,
                )


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(AuditedAdmin):
    organisation_field = "pk"
    may_change = True
    list_display = ("name", "slug", "contact_email", "contact_phone")
    search_fields = ("name",)
    readonly_fields = ("slug",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "contact_email", "contact_phone")}),
        (_("Safeguarding"), {"fields": ("safeguarding_lead",)}),
        (_("Moderation"), {"fields": ("moderation_starts", "moderation_ends")}),
        (
            _("Matching and supervision"),
            {
                "fields": (
                    "default_caseload",
                    "match_within_working_days",
                    "first_contact_within_hours",
                    "supervision_interval_days",
                )
            },
        ),
        (_("Keeping records"), {"fields": ("retention_months", "chat_retention_months")}),
    )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        form = super().get_form(request, obj, change=change, **kwargs)
        lead = form.base_fields.get("safeguarding_lead")
        if lead is not None:
            # Only this organisation's current staff, never people from elsewhere.
            staff = Q(
                memberships__organisation=obj,
                memberships__ended_at__isnull=True,
                memberships__role__in=STAFF_ROLES,
            )
            current = Q(pk=obj.safeguarding_lead_id) if obj is not None else Q(pk__in=[])
            lead.queryset = User.objects.filter(staff | current).distinct()  # type: ignore[attr-defined]
        return form

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(forget_site_identity)


@admin.register(Membership, site=admin_site)
class MembershipAdmin(AuditedAdmin):
    """Roles can be ended here; they are given through invitations and registration."""

    may_change = True
    list_display = ("role", "person", "organisation", "ended_at")
    list_filter = ("role", ("organisation", admin.RelatedOnlyFieldListFilter), "ended_at")
    list_select_related = ("user", "organisation")
    search_fields = ("user__display_name",)
    fields = ("user", "organisation", "role", "created_at", "ended_at")
    readonly_fields = ("user", "organisation", "role", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An ended role is not reopened here (it could clash with a newer one): invite again.
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "ended_at") if obj is not None and obj.ended_at else fields

    @admin.display(description=_("person"), ordering="user__display_name")
    def person(self, obj: Membership) -> str:
        return str(obj.user)


@admin.register(ConsentText, site=admin_site)
class ConsentTextAdmin(ModelAdminBase):
    """Published consent texts, to read. New versions are published by a service, never here."""

    list_display = ("kind", "version", "title", "published_at")
    list_filter = ("kind",)
    fields = ("kind", "version", "title", "body", "published_at")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_use_admin_site(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
