"""Django's admin, for organisation admins with two-step verification, scoped to their charity.

The admin has no sign-in of its own: everyone signs in through the same pages (with two-step
verification for staff), and anyone signed in without permission gets "page not found".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from peerpath.accounts.access import can_use_admin_site


class PeerPathAdminSite(admin.AdminSite):
    site_header = "PeerPath administration"
    site_title = "PeerPath administration"
    index_title = "Your organisation"

    def has_permission(self, request: HttpRequest) -> bool:
        return can_use_admin_site(request.user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.user.is_authenticated:
            if self.has_permission(request):
                target = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = reverse("admin:index")
                return HttpResponseRedirect(target)
            raise Http404
        query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
        return HttpResponseRedirect(f"{reverse('account_login')}?{query}")

    def logout(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:  # type: ignore[override]
        return HttpResponseRedirect(reverse("account_logout"))

    def password_change(  # type: ignore[override]
        self, request: HttpRequest, extra_context: Any = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("account_change_password"))


admin_site = PeerPathAdminSite(name="admin")
