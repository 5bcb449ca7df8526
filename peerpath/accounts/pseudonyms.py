"""Pseudonymous display names for members, so nobody's real name shows in groups by default."""

from __future__ import annotations

import secrets

_WORDS = (
    "Willow",
    "Maple",
    "Rowan",
    "Hazel",
    "Juniper",
    "Aspen",
    "Birch",
    "Clover",
    "Fern",
    "Heather",
    "Ivy",
    "Laurel",
    "Marigold",
    "Poppy",
    "Primrose",
    "Saffron",
    "Sorrel",
    "Wren",
    "Robin",
    "Skylark",
    "Linnet",
    "Otter",
    "Harbour",
    "Meadow",
    "River",
    "Brook",
    "Cove",
)


def pseudonym() -> str:
    return f"{secrets.choice(_WORDS)} {secrets.randbelow(900) + 100}"
