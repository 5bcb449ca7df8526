"""Response headers PeerPath adds on top of Django's security middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class PrivateCacheControlMiddleware:
    """``Cache-Control: no-store`` on every page a signed-in person sees.

    A shared family computer or a phone's back button must never show someone else's (or an
    earlier) view of private pages. Anonymous public pages may still be cached by the browser
    for a short time, but never by shared proxies when they vary on the session cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
