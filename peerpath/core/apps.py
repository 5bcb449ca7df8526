from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "peerpath.core"
    label = "core"
    verbose_name = "PeerPath core"

    def ready(self) -> None:
        from peerpath.core import checks  # noqa: F401  (registers system checks)
