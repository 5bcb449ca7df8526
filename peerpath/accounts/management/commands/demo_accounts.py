from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from peerpath.accounts import demo
from peerpath.core.demo import demo_allowed


class Command(BaseCommand):
    help = "Print where PeerPath is running and the demo accounts (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        demo_allowed()
        lines = ["", f"  PeerPath is starting at {options['url']}", ""]
        lines.append(f"  Demo accounts (development only), password {demo.DEMO_PASSWORD!r}:")
        lines.extend(
            f"    {account.role:<29} {account.email}{'  *' if account.two_step else ''}"
            for account in demo.DEMO_ACCOUNTS
        )
        lines += [
            "",
            "  * Staff use two-step verification. Add this key to an authenticator app:",
            f"    {demo.DEMO_TOTP_SECRET}   (or run `.venv/bin/python manage.py demo_totp`",
            "    for the current 6-digit code).",
        ]
        lines += ["", "  Press Ctrl-C to stop the web server and the worker.", ""]
        self.stdout.write("\n".join(lines))
