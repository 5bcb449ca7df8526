from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.accounts import demo
from peerpath.core.demo import demo_allowed, seed_demo


class Command(BaseCommand):
    help = "Load the invented demo charity and its content (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any organisation exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo_allowed()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if options["if_empty"] and not demo.database_is_empty():
            self.stdout.write("Demo data: the database already has data, so nothing was added.")
            return
        organisation = seed_demo().organisation
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded for {organisation.name}."))
