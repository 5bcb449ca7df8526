"""Safeguarding in the admin site: each organisation's admins and safeguarding leads keep its
crisis contacts, tiers, staffed hours, leads and duty rota current.

A safeguarding lead who is not an organisation admin gets into the admin site for these pages
only, and only for the organisations she is a lead of (``can_manage_rota``); every other page
stays closed to her. Two-step verification is required as for everyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Field, ForeignKey, QuerySet
from django.forms import BaseInlineFormSet, ModelChoiceField
from django.http import HttpRequest
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerpath.accounts.access import admin_entry_rule, roles_by_organisation
from peerpath.accounts.admin import ServiceAdmin, request_actor
from peerpath.accounts.admin_site import admin_site
from peerpath.accounts.choices import STAFF_ROLES
from peerpath.accounts.models import User
from peerpath.safeguarding.access import can_handle_alerts, can_manage_rota
from peerpath.safeguarding.models import (
    AlertTier,
    CrisisContact,
    RotaOverride,
    RotaSlot,
    RotaTurn,
    SafeguardingLead,
    StaffedHours,
)
from peerpath.safeguarding.services import (
    AlertError,
    rota_override_save,
    rota_slot_save,
    safeguarding_setting_delete,
    safeguarding_setting_save,
)

if TYPE_CHECKING:
    from peerpath.accounts.access import AnyUser

SUNDAY = 6
SHORTEST_RUN = 3  # days in a row said as "Monday to Wednesday"


def rota_organisation_ids(user: AnyUser) -> list[int]:
    """The organisations whose safeguarding set-up she keeps here: those she administers and
    those she is a safeguarding lead of."""
    return [
        organisation_id
        for organisation_id in roles_by_organisation(user)
        if can_manage_rota(user, organisation_id)
    ]


@admin_entry_rule
def keeps_a_safeguarding_set_up(user: User) -> bool:
    """A safeguarding lead gets into the admin site (for these pages only)."""
    return bool(rota_organisation_ids(user))


# Days of the week ------------------------------------------------------------------------------


class WeekdaysField(forms.TypedMultipleChoiceField):
    """The days of a weekly pattern as ticks, Monday to Sunday, kept as the list of their
    numbers in order (0 is Monday)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": gettext_lazy("Tick at least one day.")})
        super().__init__(
            choices=[(day, WEEKDAYS[day]) for day in range(SUNDAY + 1)], coerce=int, **kwargs
        )

    def clean(self, value: Any) -> list[int]:
        return sorted(set(super().clean(value)))


def days_in_words(days: Iterable[Any]) -> str:
    """ "Every day", "Monday to Friday" (three days or more in a row), "Wednesday", or
    "Mon, Wed, Fri"."""
    chosen = sorted({day for day in days if isinstance(day, int) and 0 <= day <= SUNDAY})
    if not chosen:
        return _("No days")
    if len(chosen) == SUNDAY + 1:
        return _("Every day")
    if len(chosen) == 1:
        return str(WEEKDAYS[chosen[0]])
    if len(chosen) >= SHORTEST_RUN and chosen == list(range(chosen[0], chosen[-1] + 1)):
        return _("%(first)s to %(last)s") % {
            "first": WEEKDAYS[chosen[0]],
            "last": WEEKDAYS[chosen[-1]],
        }
    return ", ".join(str(WEEKDAYS_ABBR[day]) for day in chosen)


class _OrganisationScoped(ServiceAdmin):
    """Each organisation's admins and safeguarding leads edit its own safeguarding set-up,
    through the services."""

    may_add = True
    may_change = True
    may_delete = True
    list_select_related = ("organisation",)
    weekday_fields: ClassVar[tuple[str, ...]] = ()

    def organisation_ids(self, request: HttpRequest) -> list[int]:
        return rota_organisation_ids(request.user)

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name in self.weekday_fields:
            return WeekdaysField(
                label=capfirst(db_field.verbose_name),
                initial=db_field.default,
                required=True,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "person":
            kwargs["queryset"] = self.person_choices(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def person_choices(self, request: HttpRequest) -> QuerySet[User]:
        """Whom a "person" field offers: people of the organisations she keeps."""
        return User.objects.filter(
            memberships__organisation_id__in=self.organisation_ids(request),
            memberships__ended_at__isnull=True,
        ).distinct()

    @admin.display(description=gettext_lazy("days"))
    def days_words(self, obj: StaffedHours | RotaSlot) -> str:
        return days_in_words(obj.days)

    def save_with_service(self, *, actor: User, obj: Any, changed: list[str], adding: bool) -> None:
        safeguarding_setting_save(actor=actor, obj=obj, changed=changed)

    def delete_with_service(self, *, actor: User, obj: Any) -> None:
        safeguarding_setting_delete(actor=actor, obj=obj)


@admin.register(CrisisContact, site=admin_site)
class CrisisContactAdmin(_OrganisationScoped):
    """Contacts are switched off (``is_active``) rather than deleted."""

    may_delete = False
    list_display = ("name", "organisation", "urgency", "nation", "is_active", "last_verified_on")
    list_filter = (
        "urgency",
        "nation",
        "is_active",
        ("organisation", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name",)
    fieldsets = (
        (None, {"fields": ("organisation", "urgency", "nation", "position", "is_active")}),
        (None, {"fields": ("name", "description", "hours", "open_all_hours")}),
        (None, {"fields": ("phone", "text_number", "text_keyword", "email")}),
        (None, {"fields": ("last_verified_on", "verification_note")}),
    )


@admin.register(AlertTier, site=admin_site)
class AlertTierAdmin(_OrganisationScoped):
    list_display = (
        "number",
        "name",
        "organisation",
        "escalate_after_minutes",
        "close_within_hours",
    )
    may_delete = False


@admin.register(StaffedHours, site=admin_site)
class StaffedHoursAdmin(_OrganisationScoped):
    list_display = ("organisation", "staffed_from", "staffed_until", "days_words")
    weekday_fields = ("days",)


@admin.register(SafeguardingLead, site=admin_site)
class SafeguardingLeadAdmin(_OrganisationScoped):
    """A further lead is one of the organisation's staff (the model's ``clean`` says so
    beside the field); the choice offers only staff."""

    list_display = ("public_id", "organisation", "person")

    def person_choices(self, request: HttpRequest) -> QuerySet[User]:
        return User.objects.filter(
            memberships__organisation_id__in=self.organisation_ids(request),
            memberships__ended_at__isnull=True,
            memberships__role__in=list(STAFF_ROLES),
            is_active=True,
        ).distinct()


def alert_handlers(organisation_ids: list[int]) -> list[int]:
    """The ids of the active staff of these organisations who can handle their alerts."""
    people = (
        User.objects.filter(
            memberships__organisation_id__in=organisation_ids,
            memberships__ended_at__isnull=True,
            memberships__role__in=list(STAFF_ROLES),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    return [
        person.pk
        for person in people
        if any(can_handle_alerts(person, organisation_id) for organisation_id in organisation_ids)
    ]


class RotaTurnFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Each person on a shift must handle the shift's organisation's alerts: said beside her
    row, before anything is saved."""

    def clean(self) -> None:
        super().clean()
        organisation_id = self.instance.organisation_id
        if organisation_id is None:  # the shift's own form says to choose one
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            person = data.get("person")
            if data.get("DELETE") or person is None:
                continue
            if not can_handle_alerts(person, organisation_id):
                form.add_error(
                    "person",
                    _("%(name)s cannot handle this organisation's alerts.") % {"name": person},
                )


class RotaTurnInline(admin.TabularInline):  # type: ignore[type-arg]
    """Who takes a shift in turn: the people of the shift's organisation who can handle its
    alerts, for those who keep that organisation's rota only (the same rules as the shift
    itself)."""

    model = RotaTurn
    formset = RotaTurnFormSet
    extra = 2
    fields = ("order", "person")

    def _allowed(self, request: HttpRequest, obj: Any = None) -> bool:
        ids = rota_organisation_ids(request.user)
        if not ids or not self.admin_site.has_permission(request):
            return False
        return obj is None or obj.organisation_id in ids

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        ids = [obj.organisation_id] if obj is not None else rota_organisation_ids(request.user)
        field = formset.form.base_fields["person"]
        field.queryset = User.objects.filter(pk__in=alert_handlers(ids)).order_by(  # type: ignore[attr-defined]
            "display_name", "pk"
        )
        return formset


@admin.register(RotaSlot, site=admin_site)
class RotaSlotAdmin(_OrganisationScoped):
    list_display = ("__str__", "organisation", "position", "days_words", "rotation_starts_on")
    weekday_fields = ("days",)
    inlines = (RotaTurnInline,)
    refusals = (AlertError,)

    def save_with_service(
        self, *, actor: User, obj: RotaSlot, changed: list[str], adding: bool
    ) -> None:
        rota_slot_save(actor=actor, slot=obj, changed=changed)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """The turns go through the service too, which checks each person may handle alerts."""
        rows = [
            row.cleaned_data
            for row in formset.forms
            if row.cleaned_data
            and not row.cleaned_data.get("DELETE")
            and row.cleaned_data.get("person")
        ]
        rows.sort(key=lambda data: data.get("order") or 0)
        with transaction.atomic():
            rota_slot_save(
                actor=request_actor(request),
                slot=form.instance,
                changed=[],
                people=[data["person"] for data in rows],
            )
        # The turns were replaced by the service; the admin's own history of the change
        # names the shift only.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(RotaOverride, site=admin_site)
class RotaOverrideAdmin(_OrganisationScoped):
    """Who covers instead: one of the change's organisation's people who can handle its alerts
    (or nobody). The person already chosen stays offered, so that saving never drops her
    unseen; if the service refuses her, its reason is shown beside the field."""

    list_display = ("public_id", "organisation", "position", "starts_at", "ends_at", "person")
    refusals = (AlertError,)
    refusal_field = "person"

    def person_choices(self, request: HttpRequest) -> QuerySet[User]:
        return self._alert_handlers(self.organisation_ids(request))

    def _alert_handlers(self, organisation_ids: list[int], *also: int) -> QuerySet[User]:
        return User.objects.filter(pk__in=[*alert_handlers(organisation_ids), *also]).order_by(
            "display_name", "pk"
        )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        form = super().get_form(request, obj, change=change, **kwargs)
        person = form.base_fields.get("person")
        if obj is not None and isinstance(person, ModelChoiceField):
            current = [obj.person_id] if obj.person_id is not None else []
            person.queryset = self._alert_handlers([obj.organisation_id], *current)
        return form

    def save_with_service(
        self, *, actor: User, obj: RotaOverride, changed: list[str], adding: bool
    ) -> None:
        rota_override_save(actor=actor, override=obj, changed=changed)
