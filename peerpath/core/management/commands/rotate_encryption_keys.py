from typing import Any

from django.core.management.base import BaseCommand

from peerpath.core.rotation import encryption_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the newest key in FIELD_ENCRYPTION_KEYS. "
        "Put the new key first, run this, then remove the old key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        results = encryption_keys_rotate()
        for result in results:
            self.stdout.write(
                f"{result.model}.{result.field}: {result.rotated} of {result.examined} re-encrypted"
            )
        total = sum(r.rotated for r in results)
        self.stdout.write(self.style.SUCCESS(f"Done: {total} values now use the newest key."))
