import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from peerpath.directory.openreferral import service_to_hsds, services_for_export


class Command(BaseCommand):
    help = "Write every active listing as Open Referral UK (HSDS 3.0) JSON: a list of services."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="-", help="File to write (default: stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps([service_to_hsds(s) for s in services_for_export()], indent=2)
        if options["output"] == "-":
            self.stdout.write(text)
        else:
            with open(options["output"], "w", encoding="utf-8") as output:  # noqa: PTH123
                output.write(text)
            self.stdout.write(f"Wrote {options['output']}")
