"""Postcodes to places, and distances in miles."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.db.models import Avg

from peerpath.directory.models import PostcodeCentroid

EARTH_RADIUS_MILES = 3958.8
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def looks_like_postcode(text: str) -> bool:
    value = normalise(text)
    return bool(_FULL.match(value) or _OUTWARD.match(value))


def locate(text: str) -> Point | None:
    """A full postcode's centroid, or the middle of an outward code (e.g. EX4) if that is all."""
    value = normalise(text)
    if _FULL.match(value):
        found = PostcodeCentroid.objects.filter(postcode=value).first()
        if found is not None:
            return Point(found.latitude, found.longitude)
        value = _FULL.match(value).group(1)  # type: ignore[union-attr]
    if _OUTWARD.match(value):
        middle = PostcodeCentroid.objects.filter(outward=value).aggregate(
            latitude=Avg("latitude"), longitude=Avg("longitude")
        )
        if middle["latitude"] is not None:
            return Point(middle["latitude"], middle["longitude"])
    return None


def miles_between(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))
