from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.core.backups import BackupError, database_backup, default_path


class Command(BaseCommand):
    help = (
        "Back up the whole database to a checked file (safe while PeerPath runs). The file "
        "holds special category data: keep it encrypted and off this machine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="File to write (default: var/backups/).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["output"] or default_path()
        try:
            backup = database_backup(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Backed up ({backup.engine}, {backup.size} bytes) to {backup.path}")
        )
