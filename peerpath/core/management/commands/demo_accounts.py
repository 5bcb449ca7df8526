from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from peerpath.core import demo


class Command(BaseCommand):
    help = "Print where PeerPath is running and the demo accounts (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        demo.demo_allowed()
        lines = ["", f"  PeerPath is starting at {options['url']}", ""]
        if demo.DEMO_ACCOUNTS:
            lines.append("  Demo accounts (development only):")
            lines.extend(
                f"    {account.role:<16} {account.email:<36} {account.password}"
                for account in demo.DEMO_ACCOUNTS
            )
        else:
            lines.append("  Demo accounts: none yet. The public pages need no sign-in.")
        lines += ["", "  Press Ctrl-C to stop the web server and the worker.", ""]
        self.stdout.write("\n".join(lines))
