"""Django's admin, for organisation admins with two-step verification, scoped to their charity."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from peerpath.accounts.access import can_use_admin_site


class PeerPathAdminSite(admin.AdminSite):
    site_header = "PeerPath administration"
    site_title = "PeerPath administration"
    index_title = "Your organisation"

    def has_permission(self, request: HttpRequest) -> bool:
        return can_use_admin_site(request.user)


admin_site = PeerPathAdminSite(name="admin")
