from typing import Any

from django.core.management.base import BaseCommand

from peerpath.core.crypto import generate_key


class Command(BaseCommand):
    help = "Print a new Fernet key for FIELD_ENCRYPTION_KEYS (put it first in the list)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_key())
