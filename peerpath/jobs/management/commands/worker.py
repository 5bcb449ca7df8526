from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from peerpath.jobs.worker import Worker


class Command(BaseCommand):
    help = "Run background jobs as they fall due. Run several for more throughput."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=10, help="Jobs claimed per pass.")
        parser.add_argument(
            "--until-idle", action="store_true", help="Exit when no job is due (for scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            poll_seconds=settings.JOBS_POLL_SECONDS,
            lease_seconds=settings.JOBS_LEASE_SECONDS,
            batch_size=options["batch"],
            delivery_batch_size=settings.NOTIFICATIONS_BATCH,
        )
        worker.install_signal_handlers()
        self.stdout.write(f"Worker {worker.worker_id} is waiting for jobs.")
        worker.run(until_idle=options["until_idle"])
