from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "peerpath.notifications"
    label = "notifications"
    verbose_name = "Notifications"
