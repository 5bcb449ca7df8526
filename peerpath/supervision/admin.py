"""Each organisation's admins keep its training modules and how often supervision is due."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from peerpath.accounts.admin import ServiceAdmin
from peerpath.accounts.admin_site import admin_site
from peerpath.accounts.models import User
from peerpath.supervision.models import SupervisionPolicy, TrainingModule
from peerpath.supervision.services import (
    SupervisionError,
    supervision_policy_save,
    training_module_delete,
    training_module_save,
)


@admin.register(TrainingModule, site=admin_site)
class TrainingModuleAdmin(ServiceAdmin):
    may_add = True
    may_change = True
    may_delete = True
    refusals = (SupervisionError,)
    list_display = ("name", "required_for_matching", "valid_for_months", "in_use", "organisation")
    list_filter = ("required_for_matching", "in_use")
    list_select_related = ("organisation",)
    search_fields = ("name",)
    fields = (
        "organisation",
        "name",
        "description",
        "required_for_matching",
        "valid_for_months",
        "in_use",
    )

    def save_with_service(self, *, actor: User, obj: Any, changed: list[str], adding: bool) -> None:
        training_module_save(actor=actor, obj=obj, changed=changed)

    def delete_with_service(self, *, actor: User, obj: Any) -> None:
        training_module_delete(actor=actor, obj=obj)


@admin.register(SupervisionPolicy, site=admin_site)
class SupervisionPolicyAdmin(ServiceAdmin):
    may_add = True
    may_change = True
    list_display = ("organisation", "interval_days")
    list_select_related = ("organisation",)
    fields = ("organisation", "interval_days")

    def save_with_service(self, *, actor: User, obj: Any, changed: list[str], adding: bool) -> None:
        supervision_policy_save(actor=actor, obj=obj, changed=changed)
