import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from peerpath.directory.geo import _FULL, normalise
from peerpath.directory.models import PostcodeCentroid

BATCH = 5000
MAX_LATITUDE = 90


class Command(BaseCommand):
    help = (
        "Load postcode centroids from a CSV with postcode, latitude and longitude columns "
        "(ONS Postcode Directory style; other columns are ignored). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"There is no file at {path}.")
        loaded = skipped = 0
        batch: list[PostcodeCentroid] = []
        with path.open(newline="", encoding="utf-8-sig") as source:
            reader = csv.DictReader(source)
            columns = {name.lower().strip(): name for name in reader.fieldnames or []}
            wanted = {
                "postcode": ("postcode", "pcds", "pcd"),
                "lat": ("latitude", "lat"),
                "long": ("longitude", "long", "lng"),
            }
            found = {
                key: next((columns[c] for c in names if c in columns), None)
                for key, names in wanted.items()
            }
            if None in found.values():
                raise CommandError("The CSV needs postcode, latitude and longitude columns.")
            for row in reader:
                postcode = normalise(row[found["postcode"]] or "")
                match = _FULL.match(postcode)
                try:
                    latitude = float(row[found["lat"]])
                    longitude = float(row[found["long"]])
                except (TypeError, ValueError):
                    match = None
                if match is None or not (-MAX_LATITUDE <= latitude <= MAX_LATITUDE):
                    skipped += 1
                    continue
                batch.append(
                    PostcodeCentroid(
                        postcode=postcode,
                        outward=match.group(1),
                        latitude=latitude,
                        longitude=longitude,
                    )
                )
                if len(batch) >= BATCH:
                    loaded += self._save(batch)
                    batch = []
        loaded += self._save(batch)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {loaded} postcodes; skipped {skipped} unusable rows.")
        )

    @staticmethod
    @transaction.atomic
    def _save(batch: list[PostcodeCentroid]) -> int:
        PostcodeCentroid.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=["outward", "latitude", "longitude"],
        )
        return len(batch)
