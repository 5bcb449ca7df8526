from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "peerpath.checkins"
    label = "checkins"
    verbose_name = "Check-ins"
