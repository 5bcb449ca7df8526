from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules

# Modules each app may have, discovered at start-up in INSTALLED_APPS order (lowest layer
# first): see docs/architecture.md, "How an app plugs in".
CONTRIBUTION_MODULES = ("access", "reactions", "privacy", "demo", "staff_tools", "health")


class CoreConfig(AppConfig):
    name = "peerpath.core"
    label = "core"
    verbose_name = "PeerPath core"

    def ready(self) -> None:
        from peerpath.core import checks  # noqa: F401  (registers system checks)

        autodiscover_modules(*CONTRIBUTION_MODULES)
