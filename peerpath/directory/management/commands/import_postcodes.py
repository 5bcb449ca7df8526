from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerpath.core.actors import OPERATOR
from peerpath.directory.geo import _FULL, normalise
from peerpath.directory.models import PostcodeCentroid
from peerpath.directory.services import postcode_centroids_load

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
        skipped = 0

        def centroids(
            reader: csv.DictReader[str], found: dict[str, str]
        ) -> Iterator[PostcodeCentroid]:
            nonlocal skipped
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
                yield PostcodeCentroid(
                    postcode=postcode,
                    outward=match.group(1),
                    latitude=latitude,
                    longitude=longitude,
                )

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
            loaded = postcode_centroids_load(
                actor=OPERATOR,
                centroids=centroids(reader, {k: v for k, v in found.items() if v}),
            )
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {loaded} postcodes; skipped {skipped} unusable rows.")
        )
