from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.accounts.models import Organisation
from peerpath.core.actors import IMPORT
from peerpath.directory.openreferral_import import (
    MAX_FILE_BYTES,
    ImportRefusedError,
    openreferral_import,
)


class Command(BaseCommand):
    help = (
        "Import Open Referral UK (HSDS 3.0) services from a JSON file into one organisation: "
        "one service, a list of services, or an API page with 'contents'. The whole file is "
        "checked first; if anything is wrong, every problem is listed and nothing is written. "
        "Ids that belong to another organisation are refused. Listings already imported with "
        "the same ids are updated (audited, and people booked are told of changes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--organisation", required=True, help="Slug of the owning charity.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what would be created or changed; write nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        path = Path(options["path"])
        try:
            with path.open("rb") as file:
                raw = file.read(MAX_FILE_BYTES + 1)  # one byte more says it is too big
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error}") from error
        try:
            results = openreferral_import(
                raw, actor=IMPORT, organisation=organisation, dry_run=options["dry_run"]
            )
        except ImportRefusedError as refused:
            count = len(refused.problems)
            raise CommandError(
                f"Nothing was imported from {path}: {count} problem{'s' if count != 1 else ''}.\n"
                + "\n".join(str(problem) for problem in refused.problems)
            ) from None
        for result in results:
            self.stdout.write(str(result))
        if options["dry_run"]:
            self.stdout.write(f"Dry run: nothing was written ({len(results)} services checked).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {len(results)} services."))
