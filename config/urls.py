"""Top-level URLs. Each app owns its own urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("peerpath.core.urls")),
    path("", include("peerpath.safeguarding.urls")),
]

handler400 = "peerpath.core.views.bad_request"
handler403 = "peerpath.core.views.permission_denied"
handler404 = "peerpath.core.views.page_not_found"
handler500 = "peerpath.core.views.server_error"
