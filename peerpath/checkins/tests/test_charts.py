"""The trend chart: an accessible inline SVG whose shapes say what the scores say."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from peerpath.checkins import charts
from peerpath.checkins.charts import Band, Point, trend_svg, uk_date

SVG = "{http://www.w3.org/2000/svg}"
DAY = dt.date(2026, 11, 3)
PHQ9_BANDS = (
    Band(0, 4, "Minimal"),
    Band(5, 9, "Mild"),
    Band(10, 14, "Moderate"),
    Band(15, 19, "Moderately severe"),
    Band(20, 27, "Severe"),
)


def draw(points: list[Point], **overrides: object) -> Markup:
    arguments: dict[str, object] = {
        "title": "Your PHQ-9 scores",
        "points": points,
        "min_score": 0,
        "max_score": 27,
        "bands": PHQ9_BANDS,
        "today": max((point.when for point in points), default=DAY),
        "description": "Your scores since you started.",
    }
    arguments.update(overrides)
    return trend_svg(**arguments)


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own output, not untrusted XML


def markers(svg: ET.Element) -> list[tuple[float, float]]:
    return [(float(c.get("cx", "")), float(c.get("cy", ""))) for c in svg.iter(f"{SVG}circle")]


def one(svg: ET.Element, tag: str) -> ET.Element:
    found = svg.find(f".//{SVG}{tag}")
    assert found is not None, tag
    return found


def inherited(svg: ET.Element, element: ET.Element, name: str) -> str | None:
    parents = {child: parent for parent in svg.iter() for child in parent}
    current: ET.Element | None = element
    while current is not None:
        if current.get(name) is not None:
            return current.get(name)
        current = parents.get(current)
    return None


def group(svg: ET.Element, name: str) -> ET.Element:
    found = svg.find(f".//{SVG}g[@class='pp-trend-chart__{name}']")
    assert found is not None, name
    return found


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def weekly(count: int, start: dt.date = DAY) -> list[Point]:
    return [Point(start + dt.timedelta(weeks=i), (i * 7) % 28) for i in range(count)]


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# Naming and structure -------------------------------------------------------------------------


def test_it_is_an_image_named_by_its_title_and_description():
    svg = parse(draw(weekly(3)))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    title, desc = one(svg, "title"), one(svg, "desc")
    assert title.text == "Your PHQ-9 scores"
    assert desc.text == "Your scores since you started."
    assert svg.get("aria-labelledby", "").split() == [title.get("id"), desc.get("id")]
    assert title.get("id", "").startswith("trend-your-phq-9-scores-")


def test_two_charts_on_one_page_have_different_ids_and_the_same_chart_is_drawn_the_same():
    phq9 = draw(weekly(3))
    gad7 = draw(weekly(3), title="Your GAD-7 scores", max_score=21, bands=())
    same_title = draw(weekly(4))
    ids = [one(parse(chart), "title").get("id") for chart in (phq9, gad7, same_title)]
    assert len(set(ids)) == 3
    assert draw(weekly(3)) == phq9


def test_it_scales_with_the_page_and_its_text_is_readable_on_a_phone():
    svg = parse(draw(weekly(3)))
    assert svg.get("width") == "100%"
    assert svg.get("height") is None  # the viewBox keeps the aspect
    _, _, width, _ = (float(n) for n in svg.get("viewBox", "").split())
    phone_card = 308  # px: an NHS.UK card's content on a 390 px phone
    texts = list(svg.iter(f"{SVG}text"))
    assert len(texts) > 5
    for text in texts:
        size = float(inherited(svg, text, "font-size") or 0)
        assert size * phone_card / width >= 12, text_of(text)


def test_it_has_no_inline_styles_or_scripts_for_the_csp_to_refuse():
    markup = draw(weekly(10))
    svg = parse(markup)
    assert all(element.get("style") is None for element in svg.iter())
    assert svg.find(f".//{SVG}style") is None
    assert "<script" not in markup
    assert not any(name.startswith("on") for element in svg.iter() for name in element.attrib)


def test_coordinates_are_rounded_to_one_decimal_place():
    markup = str(draw(weekly(37, dt.date(2025, 1, 7)), today=dt.date(2026, 2, 1)))
    assert not re.search(r"\d\.\d\d", markup)


# Where the points go -------------------------------------------------------------------------


def test_one_marker_per_point_joined_by_one_line_in_date_order():
    points = [Point(DAY + dt.timedelta(days=14), 9), Point(DAY, 3), Point(DAY + dt.timedelta(7), 6)]
    svg = parse(draw(points))
    drawn = markers(svg)
    assert len(drawn) == 3
    assert [x for x, _ in drawn] == sorted(x for x, _ in drawn)
    (line,) = svg.iter(f"{SVG}polyline")
    pairs = [tuple(float(n) for n in pair.split(",")) for pair in line.get("points", "").split()]
    assert pairs == drawn


def test_markers_are_placed_in_proportion_to_time_not_to_their_order():
    points = [
        Point(DAY, 5),
        Point(DAY + dt.timedelta(weeks=1), 5),
        Point(DAY + dt.timedelta(weeks=4), 5),
    ]
    (x0, _), (x1, _), (x2, _) = markers(parse(draw(points)))
    assert x0 < x1 < x2
    assert (x2 - x1) == pytest.approx(3 * (x1 - x0), abs=0.3)


def test_the_axis_runs_on_to_today_so_a_gap_since_the_last_check_in_shows():
    points = [Point(DAY, 5), Point(DAY + dt.timedelta(weeks=1), 5)]
    until_last = markers(parse(draw(points)))
    until_today = markers(parse(draw(points, today=DAY + dt.timedelta(weeks=2))))
    assert until_today[0][0] == until_last[0][0]
    assert until_today[1][0] == pytest.approx(
        until_last[0][0] + (until_last[1][0] - until_last[0][0]) / 2, abs=0.2
    )
    dates = [text_of(t) for t in group(parse(draw(points, today=DAY + dt.timedelta(14))), "dates")]
    assert dates == ["3 Nov 2026", "17 Nov 2026"]


def test_a_higher_total_is_drawn_higher():
    points = [
        Point(DAY, 4),
        Point(DAY + dt.timedelta(weeks=1), 18),
        Point(DAY + dt.timedelta(14), 11),
    ]
    (_, low), (_, high), (_, middle) = markers(parse(draw(points)))
    assert high < middle < low


def test_the_top_and_bottom_of_the_scale_sit_on_the_plots_top_and_bottom_edges():
    svg = parse(draw([Point(DAY, 27), Point(DAY + dt.timedelta(weeks=1), 0)]))
    y_axis = group(svg, "axes").find(f"{SVG}line")
    assert y_axis is not None
    top, bottom = float(y_axis.get("y1", "")), float(y_axis.get("y2", ""))
    (_, at_max), (_, at_min) = markers(svg)
    assert at_max == top
    assert at_min == bottom
    bands = group(svg, "bands").findall(f"{SVG}rect")
    assert min(float(rect.get("y", "")) for rect in bands) == top
    assert max(float(rect.get("y", "")) + float(rect.get("height", "")) for rect in bands) == (
        pytest.approx(bottom, abs=0.1)
    )


def test_every_whole_score_sits_inside_the_band_it_belongs_to():
    svg = parse(draw([Point(DAY + dt.timedelta(days=score), score) for score in range(28)]))
    rects = group(svg, "bands").findall(f"{SVG}rect")
    for (_, y), score in zip(markers(svg), range(28), strict=True):
        (index,) = [i for i, band in enumerate(PHQ9_BANDS) if band.low <= score <= band.high]
        rect = rects[index]
        assert (
            float(rect.get("y", ""))
            <= y
            <= float(rect.get("y", "")) + float(rect.get("height", ""))
        )


# A single point, and none --------------------------------------------------------------------


def test_a_single_point_is_one_marker_with_no_line():
    svg = parse(draw([Point(DAY, 12)]))
    assert len(markers(svg)) == 1
    assert svg.find(f".//{SVG}polyline") is None
    assert [text_of(t) for t in group(svg, "dates")] == ["3 Nov 2026"]


def test_a_single_point_before_today_starts_the_axis_and_today_ends_it():
    svg = parse(draw([Point(DAY, 12)], today=DAY + dt.timedelta(days=30)))
    assert svg.find(f".//{SVG}polyline") is None
    assert [text_of(t) for t in group(svg, "dates")] == ["3 Nov 2026", "3 Dec 2026"]


def test_check_ins_all_on_one_day_stand_in_the_middle_under_one_date():
    svg = parse(draw([Point(DAY, 3), Point(DAY, 8)]))
    (x0, y0), (x1, y1) = markers(svg)
    assert x0 == x1
    assert y1 < y0  # kept in the order given
    assert [text_of(t) for t in group(svg, "dates")] == ["3 Nov 2026"]


def test_no_points_draw_nothing_at_all():
    drawn = draw([])
    assert isinstance(drawn, Markup)
    assert drawn == ""


# Bands and axis labels -----------------------------------------------------------------------


def test_each_band_is_shaded_and_labelled_and_the_axis_shows_its_edges():
    svg = parse(draw(weekly(5)))
    rects = group(svg, "bands").findall(f"{SVG}rect")
    assert len(rects) == len(PHQ9_BANDS)
    labels = group(svg, "band-labels").findall(f"{SVG}text")
    assert [" ".join("".join(label.itertext()).split()) for label in labels] == [
        b.label for b in PHQ9_BANDS
    ]
    for label, rect in zip(labels, rects, strict=True):  # these bands are tall enough
        top = float(rect.get("y", ""))
        bottom = top + float(rect.get("height", ""))
        assert all(top < float(span.get("y", "")) < bottom for span in label)
    scores = [text_of(t) for t in group(svg, "scores")]
    assert scores == ["0", "5", "10", "15", "20", "27"]


def test_band_edges_too_close_to_another_are_left_off_the_axis_but_the_ends_stay():
    bands = (Band(0, 9, "Unlikely"), Band(10, 12, "Possible"), Band(13, 30, "Likely"))
    svg = parse(draw(weekly(3), max_score=30, bands=bands))
    assert [text_of(t) for t in group(svg, "scores")] == ["0", "10", "13", "30"]
    crowded = (Band(0, 0, "None"), Band(1, 1, "One"), Band(2, 30, "More"))
    svg = parse(draw(weekly(3), max_score=30, bands=crowded))
    assert [text_of(t) for t in group(svg, "scores")] == ["0", "30"]
    labels = group(svg, "band-labels").findall(f"{SVG}text")
    tops = sorted(float(label[0].get("y", "")) for label in labels)
    assert all(b - a >= charts.LINE_HEIGHT - 0.1 for a, b in itertools.pairwise(tops))


def test_a_chart_without_bands_labels_only_the_ends_of_its_scale():
    svg = parse(draw(weekly(3), bands=(), max_score=21))
    assert svg.find(f".//{SVG}g[@class='pp-trend-chart__bands']") is None
    assert [text_of(t) for t in group(svg, "scores")] == ["0", "21"]


def test_bands_darken_with_severity_and_every_colour_keeps_its_contrast():
    svg = parse(draw(weekly(5)))
    tints = [rect.get("fill", "") for rect in group(svg, "bands").findall(f"{SVG}rect")]
    assert len(set(tints)) == len(tints)
    lightness = [luminance(tint) for tint in tints]
    assert lightness == sorted(lightness, reverse=True)  # not by hue alone
    label_colour = group(svg, "band-labels").get("fill", "")
    assert label_colour == "#212b32"
    for tint in charts.TINTS:
        assert contrast(label_colour, tint) >= 4.5
        assert contrast(charts.LINE, tint) >= 3  # the line and markers are graphics
    assert one(svg, "rect").get("fill") == charts.BACKGROUND == "#ffffff"
    for name in ("scores", "dates"):  # on the white margins, outside the bands
        assert group(svg, name).get("fill") == "#4c6272"
        assert contrast("#4c6272", charts.BACKGROUND) >= 4.5
    assert one(svg, "polyline").get("stroke") == "#005eb8"


# Text is text, never markup --------------------------------------------------------------------


def test_titles_descriptions_and_band_labels_are_escaped():
    hostile = '<script>alert("x")</script>'
    markup = draw(
        weekly(3),
        title=hostile,
        description="Scores & <b>notes</b>",
        bands=(Band(0, 13, "Low & <i>ok</i>"), Band(14, 27, hostile)),
    )
    assert "<script" not in markup
    assert "<b>" not in markup
    assert "<i>" not in markup
    svg = parse(markup)
    assert svg.find(f".//{SVG}script") is None
    assert one(svg, "title").text == hostile
    assert one(svg, "desc").text == "Scores & <b>notes</b>"
    labels = [" ".join("".join(t.itertext()).split()) for t in group(svg, "band-labels")]
    assert labels == ["Low & <i>ok</i>", hostile]
    title_id = one(svg, "title").get("id", "")
    assert re.fullmatch(r"trend-script-alert-x-script-[0-9a-f]{8}-title", title_id)


# Bad input is refused --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "overrides"),
    [
        ([Point(DAY, 28)], {}),
        ([Point(DAY, -1)], {}),
        ([Point(DAY, 3)], {"min_score": 5, "max_score": 5, "bands": ()}),
        ([Point(DAY, 3)], {"bands": (Band(20, 30, "Severe"),)}),
        ([Point(DAY, 3)], {"bands": (Band(9, 5, "Backwards"),)}),
        ([], {"min_score": 10, "max_score": 0, "bands": ()}),
    ],
)
def test_scores_and_bands_off_the_scale_are_refused(points, overrides):
    with pytest.raises(ValueError, match=r"off the scale|must be above"):
        draw(points, **overrides)


# Dates and size --------------------------------------------------------------------------------


def test_dates_are_written_the_uk_way():
    assert uk_date(dt.date(2026, 11, 3)) == "3 Nov 2026"
    assert uk_date(dt.date(2027, 9, 30)) == "30 Sep 2027"


def test_five_years_of_weekly_check_ins_draw_every_point_in_a_small_svg():
    points = [Point(dt.date(2021, 11, 1) + dt.timedelta(weeks=i), (i * 5) % 28) for i in range(260)]
    markup = draw(points)
    assert len(markup.encode()) < 40_000
    svg = parse(markup)
    assert len(markers(svg)) == 260
    (line,) = svg.iter(f"{SVG}polyline")
    assert len(line.get("points", "").split()) == 260
    assert [text_of(t) for t in group(svg, "dates")] == ["1 Nov 2021", "19 Oct 2026"]
