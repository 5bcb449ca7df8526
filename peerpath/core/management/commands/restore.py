from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.core.backups import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a backup made by `manage.py backup`. Stop "
        "the web servers and workers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask: everything now stored is replaced."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not options["yes"]:
            answer = input(f"Replace everything in the database with {path}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was changed.")
        try:
            before = database_restore(path=path)
        except BackupError as exc:
            raise CommandError(f"{exc} Nothing was changed.") from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}."))
        if before is not None:
            self.stdout.write(f"What the database held before is kept in {before.path}.")
        self.stdout.write("Run `manage.py migrate` if the backup came from an older PeerPath.")
