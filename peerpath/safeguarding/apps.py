from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "peerpath.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding and crisis contacts"
