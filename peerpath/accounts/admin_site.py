"""Django's admin, for organisation admins with two-step verification, scoped to their charity.

A higher app may let others in for its own pages only (``access.admin_entry_rule``:
safeguarding lets its leads keep the rota); every other page stays closed to them. The admin
has no sign-in of its own: everyone signs in through the same pages (with two-step
verification for staff), and anyone signed in without permission gets "page not found".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from peerpath.accounts.access import can_enter_admin_site

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class PeerPathAdminSite(admin.AdminSite):
    site_header = "PeerPath administration"
    site_title = "PeerPath administration"
    index_title = "Your organisation"

    def has_permission(self, request: HttpRequest) -> bool:
        return can_enter_admin_site(request.user)

    def admin_view(self, view: View, cacheable: bool = False) -> View:
        """A model's pages answer "page not found" to someone inside the site whom they do not
        show (a safeguarding lead who is not an admin, at the membership pages)."""
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, BaseModelAdmin):
            page = view

            def shown_only_to_its_people(
                request: HttpRequest, *args: Any, **kwargs: Any
            ) -> HttpResponseBase:
                if not model_admin.has_module_permission(request):
                    raise Http404
                return page(request, *args, **kwargs)

            view = cast("View", update_wrapper(shown_only_to_its_people, page))
        return super().admin_view(view, cacheable)

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
