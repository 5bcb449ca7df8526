from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "peerpath.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from peerpath.audit import receivers  # noqa: F401  (records sign-ins and failures)
