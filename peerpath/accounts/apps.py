from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peerpath.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"
