"""Top-level URLs. Each app owns its own urls.py."""

from django.urls import include, path

from peerpath.accounts.admin_site import admin_site

urlpatterns = [
    path("", include("peerpath.core.urls")),
    path("", include("peerpath.safeguarding.urls")),
    path("", include("peerpath.accounts.urls")),
    path("", include("peerpath.audit.urls")),
    path("", include("peerpath.notifications.urls")),
    path("", include("peerpath.directory.urls")),
    path("", include("peerpath.bookings.urls")),
    path("", include("peerpath.buddying.urls")),
    path("", include("peerpath.supervision.urls")),
    path("", include("peerpath.checkins.urls")),
    path("auth/", include("allauth.urls")),
    path("admin/", admin_site.urls),
]

handler400 = "peerpath.core.views.bad_request"
handler403 = "peerpath.core.views.permission_denied"
handler404 = "peerpath.core.views.page_not_found"
handler500 = "peerpath.core.views.server_error"
