from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peerpath.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from peerpath.accounts import receivers  # noqa: F401  (MFA changes end other sessions)
