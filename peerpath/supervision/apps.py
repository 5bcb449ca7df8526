from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "peerpath.supervision"
    label = "supervision"
    verbose_name = "Training and supervision"
