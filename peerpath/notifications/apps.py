from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "peerpath.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Each app's purposes.py registers what it tells people about with
        # peerpath.notifications.purposes.register_purpose.
        autodiscover_modules("purposes")
