"""The admin site's accounts pages, and the rules every PeerPath admin page follows.

Only organisation admins with two-step verification get in (``admin_site``); each sees and
changes only the rows of the organisations they administer. A higher app's pages may widen
both for their own rows (``ScopedAdmin.organisation_ids`` and ``access.admin_entry_rule``).
Every change made here goes through the same services as the rest of PeerPath, which write its
audit rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ForeignKey, Q, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.access import admin_organisation_ids, can_use_admin_site
from peerpath.accounts.admin_site import admin_site
from peerpath.accounts.choices import STAFF_ROLES
from peerpath.accounts.models import ConsentText, Membership, Organisation, User
from peerpath.accounts.services import membership_end, organisation_update
from peerpath.core import clock

if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin[Any]
else:
    ModelAdminBase = admin.ModelAdmin

_REFUSAL = "_peerpath_admin_refusal"


def request_actor(request: HttpRequest) -> User:
    """The person making the change (only people let into the admin site reach these pages)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


class ScopedAdmin(ModelAdminBase):
    """Rows of the organisations the person administers; nothing else, not even by address.

    ``organisation_field`` names the model's foreign key to its organisation ("pk" for the
    organisation itself). Adding, changing and deleting are off unless a subclass allows them.
    Django's model permissions are not used: access.py decides. A page whose rows others keep
    too (a higher app's, with its own ``access.admin_entry_rule``) says whose organisations
    they are by overriding ``organisation_ids``.
    """

    organisation_field: ClassVar[str] = "organisation"
    may_add: ClassVar[bool] = False
    may_change: ClassVar[bool] = False
    may_delete: ClassVar[bool] = False

    def organisation_ids(self, request: HttpRequest) -> list[int]:
        """The organisations whose rows she sees here: those she administers."""
        return admin_organisation_ids(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        ids = self.organisation_ids(request)
        return super().get_queryset(request).filter(**{f"{self.organisation_field}__in": ids})

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == self.organisation_field:
            kwargs["queryset"] = Organisation.objects.filter(pk__in=self.organisation_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
        return self.organisation_id_of(obj) in self.organisation_ids(request)

    def may_use(self, request: HttpRequest) -> bool:
        """Through the site's door (two-step verification included), with an organisation
        whose rows this page shows her."""
        return self.admin_site.has_permission(request) and bool(self.organisation_ids(request))

    def _allowed(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_use(request) and (obj is None or self.in_scope(request, obj))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.may_use(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """A filter Django cannot turn into a query (a year of 30 digits) is treated like any
        other bad filter: back to the list with Django's "invalid filter" notice, never a 500."""
        try:
            return super().changelist_view(request, extra_context)
        except (OverflowError, ValueError):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.may_add and self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_change and self._allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_delete and self._allowed(request, obj)


class ServiceAdmin(ScopedAdmin):
    """Saves and deletes through the model's services, never ``obj.save()`` here: the services
    write the audit rows (naming the fields the form changed) and do what every other way in
    does. A subclass that allows changes implements ``save_with_service``; one that allows
    deleting implements ``delete_with_service``.

    A service's refusal (one of ``refusals``, its message in words a person can act on) is
    shown beside ``refusal_field`` (above the form when None), with what she typed kept and
    nothing saved.
    """

    refusals: ClassVar[tuple[type[Exception], ...]] = ()
    refusal_field: ClassVar[str | None] = None

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.refusals as refusal:
            # The change was rolled back with the admin's own transaction. The same form is
            # shown again, refused: its validation now carries the service's reason.
            if request.method != "POST" or hasattr(request, _REFUSAL):
                raise
            setattr(request, _REFUSAL, str(refusal))
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal: str | None = getattr(request, _REFUSAL, None)
        if refusal is None:
            return form
        field = self.refusal_field if self.refusal_field in form.base_fields else None

        class RefusedForm(form):  # type: ignore[valid-type,misc]
            def clean(self) -> dict[str, Any]:
                cleaned: dict[str, Any] = super().clean()
                self.add_error(field, refusal)
                return cleaned

        RefusedForm.__name__ = form.__name__
        return RefusedForm

    def save_with_service(self, *, actor: User, obj: Any, changed: list[str], adding: bool) -> None:
        raise PermissionDenied

    def delete_with_service(self, *, actor: User, obj: Any) -> None:
        raise PermissionDenied

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm[Any], change: bool
    ) -> None:
        with transaction.atomic():
            self.save_with_service(
                actor=request_actor(request), obj=obj, changed=form.changed_data, adding=not change
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self.delete_with_service(actor=request_actor(request), obj=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """Bulk delete (the "delete selected" action): each row through the service."""
        with transaction.atomic():
            for obj in queryset:
                self.delete_with_service(actor=request_actor(request), obj=obj)


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(ServiceAdmin):
    organisation_field = "pk"
    may_change = True
    list_display = ("name", "slug", "contact_email", "contact_phone")
    search_fields = ("name",)
    readonly_fields = ("slug",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "contact_email", "contact_phone")}),
        (_("Safeguarding"), {"fields": ("safeguarding_lead",)}),
        (_("Peer support"), {"fields": ("default_caseload",)}),
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

    def save_with_service(
        self, *, actor: User, obj: Organisation, changed: list[str], adding: bool
    ) -> None:
        current = Organisation.objects.get(pk=obj.pk)
        organisation_update(
            actor=actor,
            organisation=current,
            **{name: getattr(obj, name) for name in changed if name in self.editable},
        )

    editable = frozenset(
        {"name", "contact_email", "contact_phone", "safeguarding_lead", "default_caseload"}
    )


class MembershipEndForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Membership
        fields = ("ended_at",)

    def clean_ended_at(self) -> Any:
        ended_at = self.cleaned_data.get("ended_at")
        if ended_at is not None and ended_at > clock.now():
            raise forms.ValidationError(
                _("A role can only be ended now or in the past. To end it later, come back then.")
            )
        return ended_at


@admin.register(Membership, site=admin_site)
class MembershipAdmin(ServiceAdmin):
    """Roles can be ended here; they are given through invitations and registration."""

    form = MembershipEndForm
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

    def save_with_service(
        self, *, actor: User, obj: Membership, changed: list[str], adding: bool
    ) -> None:
        if "ended_at" in changed and obj.ended_at is not None:
            current = Membership.objects.select_related("user", "organisation").get(pk=obj.pk)
            membership_end(actor=actor, membership=current, ended_at=obj.ended_at)


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
