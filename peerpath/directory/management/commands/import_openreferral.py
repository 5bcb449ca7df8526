import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.accounts.models import Organisation
from peerpath.directory.openreferral import service_from_hsds


class Command(BaseCommand):
    help = (
        "Import Open Referral UK (HSDS 3.0) services from a JSON file: one service, a list of "
        "services, or an API page with 'contents'. Existing listings with the same id are updated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--organisation", required=True, help="Slug of the owning charity.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        try:
            data = json.loads(Path(options["path"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read {options['path']}: {error}") from error
        items = data.get("contents", [data]) if isinstance(data, dict) else data
        for item in items:
            service_from_hsds(item, organisation=organisation)
        self.stdout.write(self.style.SUCCESS(f"Imported {len(items)} services."))
