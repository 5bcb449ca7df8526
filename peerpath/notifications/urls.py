from django.urls import path

from peerpath.notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("inbox/<uuid:public_id>/", views.notification_open, name="notification_open"),
    path("account/notifications/", views.preferences, name="notification_preferences"),
    path("account/notifications/mobile/", views.mobile_check, name="mobile_check"),
    path("account/notifications/push/", views.push_subscribe, name="push_subscribe"),
    path("account/notifications/push/stop/", views.push_unsubscribe, name="push_unsubscribe"),
    path("service-worker.js", views.service_worker, name="service_worker"),
    path("staff/<slug:slug>/notifications/failures/", views.failures, name="notification_failures"),
    path(
        "staff/<slug:slug>/notifications/failures/<uuid:public_id>/retry/",
        views.failure_retry,
        name="notification_failure_retry",
    ),
]
