from django.apps import AppConfig


class BuddyingConfig(AppConfig):
    name = "peerpath.buddying"
    label = "buddying"
    verbose_name = "One-to-one peer support"
