from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "peerpath.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Each app's tasks.py registers its tasks with peerpath.jobs.registry.task.
        autodiscover_modules("tasks")
