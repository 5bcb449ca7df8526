"""A member's trend for one check-in measure, drawn on the server as an inline SVG.

No JavaScript, no chart library and no ``style`` attributes (the CSP forbids inline styles):
colours and sizes are SVG presentation attributes. The chart keeps its shape as it scales
(``width="100%"``, fixed aspect), and text sizes are in viewBox units, chosen so that every
label is at least 12 px wherever the chart is 283 px wide or wider: it is 308 px in an NHS.UK
card on a 390 px phone. The chart is a picture with a name and a description; the page shows
the same scores as a table and in words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Band", "Point", "trend_svg", "uk_date"]


@dataclass(frozen=True)
class Point:
    """One completed check-in: the local date she completed it and its total score."""

    when: dt.date
    total: int


@dataclass(frozen=True)
class Band:
    """A score range (inclusive at both ends) drawn as a shaded band, e.g. 5 to 9, "Mild"."""

    low: int
    high: int
    label: str


# The drawing, in viewBox units. Text is 17 units: 12 px or more wherever the chart is 283 px
# wide or wider (it is 308 px in an NHS.UK card on a 390 px phone).
WIDTH = 400.0
HEIGHT = 280.0
FONT = 17.0
LINE_HEIGHT = FONT * 1.2
CHAR_WIDTH = FONT * 0.6  # a generous estimate of the average glyph, to leave room
PAD = 8.0
TOP = 12.0
BOTTOM = HEIGHT - 34.0
TICK = 5.0
LABEL_LINE_CHARS = 12  # band labels wrap at spaces beyond this many characters
DENSE = 60  # with more points than this the markers are smaller, so the line still shows

# NHS.UK palette.
TEXT = "#212b32"
SECONDARY_TEXT = "#4c6272"
LINE = "#005eb8"
BACKGROUND = "#ffffff"
RULE = "#aeb7bd"
# Light tints whose lightness falls steadily from the least to the most severe band (a
# yellow-orange-red sequence, readable with any colour vision). Text keeps at least 8.5:1 on
# every one and the line at least 3.7:1.
TINTS = ("#f4f7f8", "#fdf2c4", "#fddcb0", "#f9c9b4", "#f2b9bf")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def uk_date(day: dt.date) -> str:
    """A date as people in the UK write it: "3 Nov 2026"."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def trend_svg(
    *,
    title: str,
    points: Sequence[Point],
    min_score: int,
    max_score: int,
    bands: Sequence[Band] = (),
    today: dt.date,
    description: str,
) -> Markup:
    """Draw ``points`` over time as an accessible SVG; an empty string when there are none.

    Higher scores are drawn higher. The x-axis runs from the first check-in to ``today`` (or
    to the last check-in, if that is later), in proportion to time. Raises ``ValueError`` for
    a scale with no range, or a score or band outside ``min_score``..``max_score``.
    """
    if max_score <= min_score:
        raise ValueError(f"max_score ({max_score}) must be above min_score ({min_score})")
    for band in bands:
        if not min_score <= band.low <= band.high <= max_score:
            raise ValueError(f"band {band.label!r} ({band.low}-{band.high}) is off the scale")
    if not points:
        return Markup("")
    for point in points:
        if not min_score <= point.total <= max_score:
            raise ValueError(f"total {point.total} on {point.when} is off the scale")

    ordered = sorted(points, key=lambda point: point.when)  # stable: same-day order is kept
    ordered_bands = sorted(bands, key=lambda band: (band.low, band.high))
    label_lines = [_wrap(band.label) for band in ordered_bands]
    ticks = _y_ticks(min_score, max_score, ordered_bands)
    longest = max((len(line) for lines in label_lines for line in lines), default=0)
    frame = _Frame(
        left=max(len(str(value)) for value in ticks) * CHAR_WIDTH + TICK + PAD,
        right=WIDTH - (longest * CHAR_WIDTH + 2 * PAD if ordered_bands else 2 * PAD),
        min_score=min_score,
        max_score=max_score,
        first=ordered[0].when,
        last=max(ordered[-1].when, today),
    )

    base = f"trend-{_slug(title)}-{_digest(title, description, frame, ordered, ordered_bands)}"
    title_id, desc_id = f"{base}-title", f"{base}-desc"
    out: list[str] = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="pp-trend-chart" '
        f'viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" width="100%" '
        'preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f'<rect width="{WIDTH:.0f}" height="{HEIGHT:.0f}" fill="{BACKGROUND}"/>',
    ]
    out.extend(_bands(frame, ordered_bands, label_lines))
    out.extend(_axes(frame, ticks))
    out.extend(_data(frame, ordered))
    out.append("</svg>")
    # Every piece of text above went through escape(); the rest is numbers and constants.
    return Markup("".join(out))  # noqa: S704


@dataclass(frozen=True)
class _Frame:
    """Where the plot sits in the viewBox, and how scores and dates map into it."""

    left: float
    right: float
    min_score: int
    max_score: int
    first: dt.date
    last: dt.date

    def y(self, score: float) -> float:
        """The height of ``score``: ``max_score`` at the top edge, ``min_score`` at the bottom."""
        share = (score - self.min_score) / (self.max_score - self.min_score)
        return BOTTOM - share * (BOTTOM - TOP)

    def x(self, day: dt.date) -> float:
        """Where ``day`` sits, in proportion to time; in the middle when every day is one."""
        span = (self.last - self.first).days
        if span == 0:
            return (self.left + self.right) / 2
        return self.left + (day - self.first).days * (self.right - self.left) / span


def _y_ticks(min_score: int, max_score: int, bands: Sequence[Band]) -> list[int]:
    """The scale's ends, then each band's lowest score where it fits without overlapping."""
    chosen = [min_score, max_score]
    gap = LINE_HEIGHT * (max_score - min_score) / (BOTTOM - TOP)
    for band in bands:
        if all(abs(band.low - kept) >= gap for kept in chosen):
            chosen.append(band.low)
    return sorted(chosen)


def _wrap(label: str) -> list[str]:
    """Split a band label at spaces into lines of about ``LABEL_LINE_CHARS`` characters."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_LINE_CHARS:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _bands(frame: _Frame, bands: Sequence[Band], label_lines: Sequence[list[str]]) -> list[str]:
    """Shaded bands from the y-axis to the right edge, each labelled in the space on the right.

    A band covers half a score beyond each end, so every whole score sits inside exactly one.
    Labels sit at their band's middle, nudged apart where narrow bands would make them overlap.
    """
    if not bands:
        return []
    out = ['<g class="pp-trend-chart__bands">']
    blocks: list[tuple[float, float]] = []  # (top, height) of each band's label
    for index, band in enumerate(bands):
        tint = TINTS[round(index * (len(TINTS) - 1) / max(len(bands) - 1, 1))]
        top = frame.y(min(band.high + 0.5, frame.max_score))
        bottom = frame.y(max(band.low - 0.5, frame.min_score))
        out.append(
            f'<rect x="{frame.left:.1f}" y="{top:.1f}" width="{WIDTH - frame.left:.1f}" '
            f'height="{bottom - top:.1f}" fill="{tint}"/>'
        )
        height = len(label_lines[index]) * LINE_HEIGHT
        blocks.append(((top + bottom - height) / 2, height))
    for band in bands[1:]:
        edge = frame.y(band.low - 0.5)
        out.append(
            f'<line x1="{frame.left:.1f}" y1="{edge:.1f}" x2="{WIDTH:.0f}" y2="{edge:.1f}" '
            f'stroke="{RULE}" stroke-width="1"/>'
        )
    out.append(f'<g class="pp-trend-chart__band-labels" fill="{TEXT}" font-size="{FONT:.0f}">')
    x = frame.right + PAD
    for lines, top in zip(label_lines, _spread(blocks), strict=True):
        baseline = top + LINE_HEIGHT / 2 + FONT * 0.35
        # A space between wrapped lines, so a screen reader says "Moderately severe".
        spans = " ".join(
            f'<tspan x="{x:.1f}" y="{baseline + row * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
            for row, line in enumerate(lines)
        )
        out.append(f"<text>{spans}</text>")
    out.append("</g></g>")
    return out


def _spread(blocks: Sequence[tuple[float, float]]) -> list[float]:
    """Tops for label blocks (lowest band first) so that none overlap and all stay in view."""
    tops = [top for top, _ in blocks]
    floor = TOP - LINE_HEIGHT / 2
    for i in reversed(range(len(blocks))):  # from the top of the chart down
        tops[i] = max(tops[i], floor)
        floor = tops[i] + blocks[i][1]
    ceiling = BOTTOM + LINE_HEIGHT / 2
    for i in range(len(blocks)):  # then back up, if that pushed any below the plot
        tops[i] = min(tops[i], ceiling - blocks[i][1])
        ceiling = tops[i]
    return tops


def _axes(frame: _Frame, ticks: Sequence[int]) -> list[str]:
    """The y-axis with its scores and the x-axis with its first and last dates."""
    left, right = frame.left, frame.right
    out = [
        f'<g class="pp-trend-chart__axes" stroke="{SECONDARY_TEXT}" stroke-width="1">'
        f'<line x1="{left:.1f}" y1="{TOP:.1f}" x2="{left:.1f}" y2="{BOTTOM:.1f}"/>'
        f'<line x1="{left:.1f}" y1="{BOTTOM:.1f}" x2="{right:.1f}" y2="{BOTTOM:.1f}"/>'
    ]
    for value in ticks:
        y = frame.y(value)
        out.append(f'<line x1="{left - TICK:.1f}" y1="{y:.1f}" x2="{left:.1f}" y2="{y:.1f}"/>')
    out.append(
        f'</g><g class="pp-trend-chart__scores" fill="{SECONDARY_TEXT}" font-size="{FONT:.0f}" '
        'text-anchor="end">'
    )
    out.extend(
        f'<text x="{left - TICK - 3:.1f}" y="{frame.y(value) + FONT * 0.35:.1f}">{value}</text>'
        for value in ticks
    )
    out.append(
        f'</g><g class="pp-trend-chart__dates" fill="{SECONDARY_TEXT}" font-size="{FONT:.0f}">'
    )
    date_y = BOTTOM + TICK + FONT
    if frame.first == frame.last:
        out.append(
            f'<text x="{(left + right) / 2:.1f}" y="{date_y:.1f}" text-anchor="middle">'
            f"{escape(uk_date(frame.first))}</text>"
        )
    else:
        out.append(
            f'<text x="{left:.1f}" y="{date_y:.1f}" text-anchor="start">'
            f"{escape(uk_date(frame.first))}</text>"
            f'<text x="{right:.1f}" y="{date_y:.1f}" text-anchor="end">'
            f"{escape(uk_date(frame.last))}</text>"
        )
    out.append("</g>")
    return out


def _data(frame: _Frame, points: Sequence[Point]) -> list[str]:
    """The line joining the check-ins in date order, and a marker on each."""
    coords = [(frame.x(point.when), frame.y(point.total)) for point in points]
    out: list[str] = []
    if len(coords) > 1:
        joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        out.append(
            f'<polyline class="pp-trend-chart__line" points="{joined}" fill="none" '
            f'stroke="{LINE}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>'
        )
    radius = "5" if len(coords) <= DENSE else "3.5"
    out.append(
        f'<g class="pp-trend-chart__markers" fill="{LINE}" stroke="{BACKGROUND}" '
        'stroke-width="1.5">'
    )
    out.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}"/>' for x, y in coords)
    out.append("</g>")
    return out


def _slug(title: str) -> str:
    """Lower-case ASCII letters and digits from ``title``, joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:32].strip("-") or "chart"


def _digest(
    title: str, description: str, frame: _Frame, points: Sequence[Point], bands: Sequence[Band]
) -> str:
    """Eight hex digits from everything the chart draws, so different charts get different ids."""
    parts = [title, description, repr(frame)]
    parts.extend(f"{point.when.isoformat()}={point.total}" for point in points)
    parts.extend(f"{band.low}-{band.high}={band.label}" for band in bands)
    return hashlib.blake2s("\x1f".join(parts).encode(), digest_size=4).hexdigest()
