"""Chart geometry, without the database: readable on a phone, every series told apart
without colour, a single point drawn as a marker."""

import re
from decimal import Decimal

import pytest

from observatory.charts import (
    DASHES,
    DODGE_MAX,
    MARKER_RADIUS,
    MIN_TEXT_PX,
    PALETTE,
    SHAPES,
    TEXT_SIZE,
    bar_chart,
    dodges,
    line_chart,
    marker_path,
    text_px,
    text_width,
)


def contrast_on_white(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_bars_are_a_share_of_the_scale_and_a_zero_still_shows():
    chart = bar_chart([("A", Decimal(87), "87 %", False), ("B", Decimal(0), "0 %", True)], 100)
    assert [(b.share, b.demo) for b in chart["bars"]] == [(87.0, False), (0.5, True)]
    counts = bar_chart([("A", Decimal(300), "300", False), ("B", Decimal(150), "150", False)], None)
    assert [b.share for b in counts["bars"]] == [100.0, 50.0]  # of the largest value


FRAGILITIES = {  # the demo's shape: 8 series over two waves, three seen at both
    "Emploi": {2015: (Decimal("7.1"), "7,1/10"), 2019: (Decimal("6.4"), "6,4/10")},
    "Environnement": {2015: (Decimal("6.3"), "6,3/10"), 2019: (Decimal("5.9"), "5,9/10")},
    "Pauvreté": {2015: (Decimal("6.3"), "6,3/10")},
    "Sécurité": {2015: (Decimal("7.0"), "7,0/10"), 2019: (Decimal("6.0"), "6,0/10")},
    **{name: {2019: (Decimal("5.9"), "5,9/10")}
       for name in ("Développement économique", "Mobilité", "Niveau de vie", "Transition")},
}  # fmt: skip


def test_every_series_has_its_own_marker_dash_and_colour():
    chart = line_chart([2015, 2019], FRAGILITIES, 10)
    series = chart["series"]
    assert len({s.shape for s in series}) == len({s.colour for s in series}) == 8
    drawn = [s for s in series if s.path]
    assert [s.label for s in drawn] == ["Emploi", "Environnement", "Sécurité"]
    assert len({s.dash for s in drawn}) == len(drawn)
    # A series seen at one wave is a marker, never a line.
    assert all(len(s.points) == 1 for s in series if not s.path)
    # A ninth series and beyond: the shapes again, filled, still all distinct.
    many = line_chart([1, 2], {str(i): {1: (1, "1"), 2: (2, "2")} for i in range(12)}, 10)
    assert len({s.shape for s in many["series"]}) == 12


def test_the_palette_meets_the_contrast_of_graphics_and_the_styles_are_distinct():
    assert all(contrast_on_white(colour) >= 3 for colour in PALETTE), PALETTE
    assert len(set(PALETTE)) == len(set(DASHES)) == len(set(SHAPES)) == len(PALETTE)


def test_points_stay_on_their_year_and_equal_values_sit_side_by_side():
    chart = line_chart([2015, 2019], FRAGILITIES, 10)
    tick = {int(wave): x for x, wave in chart["axis"]}
    points = [(s.label, x, y, wave) for s in chart["series"] for x, y, _, wave in s.points]
    # Never further from its year than one marker's width (it was 49 units, 40 px).
    for label, x, _, wave in points:
        assert abs(x - tick[wave]) <= DODGE_MAX == 2 * MARKER_RADIUS, (label, wave, x)
    # Equal values at a wave are all seen (distinct places), in series order.
    at_59 = [
        x
        for label, x, y, wave in points
        if wave == 2019 and FRAGILITIES[label][2019][1] == "5,9/10"
    ]
    assert len(at_59) == len(set(at_59)) == 5
    # Two markers that would overlap sit exactly a marker's width apart, centred.
    two = line_chart([1, 2], {"A": {1: (5, "5"), 2: (5, "5")}, "B": {1: (5, "5"), 2: (9, "9")}}, 10)
    (a1, a2), (b1, b2) = ([x for x, *_ in s.points] for s in two["series"])
    ticks = [x for x, _ in two["axis"]]
    assert b1 - a1 == 2 * MARKER_RADIUS and (a1 + b1) / 2 == ticks[0]
    assert a2 == b2 == ticks[1]  # 5 and 9 are far apart: no need to move
    # and every marker stays in the plot, right of the value labels
    xs = [x for _, x, _, _ in points]
    assert chart["left"] + MARKER_RADIUS <= min(xs) and max(xs) + MARKER_RADIUS <= chart["right"]


def test_dodges_spread_a_cluster_within_a_marker_width_each_side():
    assert dodges([50, 100]) == [0, 0]
    assert dodges([50, 52]) == [-MARKER_RADIUS, MARKER_RADIUS]
    spread = dodges([50] * 7)
    assert spread == sorted(spread) and spread[0] == -DODGE_MAX and spread[-1] == DODGE_MAX


def test_a_series_keeps_its_style_whichever_series_are_shown():
    order = sorted(FRAGILITIES)
    styles = {label: index for index, label in enumerate(order)}
    everything = line_chart([2015, 2019], FRAGILITIES, 10, styles)["series"]
    subset = {k: FRAGILITIES[k] for k in ("Sécurité", "Environnement", "Emploi")}
    some = line_chart([2015, 2019], subset, 10, styles)["series"]
    style = {s.label: (s.colour, s.dash, s.shape) for s in everything}
    assert all((s.colour, s.dash, s.shape) == style[s.label] for s in some)
    assert len(set(style.values())) == 8


def test_line_chart_text_is_12_px_on_a_phone_and_fits_its_margins():
    chart = line_chart([2015, 2019], FRAGILITIES, 100)
    assert chart["text_size"] == TEXT_SIZE
    assert text_px(TEXT_SIZE, chart["width"]) >= MIN_TEXT_PX
    assert text_width("100 %") <= chart["tick_x"]  # the widest value label, right-aligned
    assert [text for _, _, text in chart["grid"]] == [0, 50, 100]
    big = line_chart([1, 2], {"A": {1: (1_200_000, "1 200 000"), 2: (900_000, "900 000")}}, None)
    assert text_width("1 200 000") <= big["tick_x"]


def test_wave_labels_are_thinned_rather_than_touching():
    waves = list(range(2000, 2025))
    chart = line_chart(waves, {"A": {w: (1, "1") for w in waves}}, 10)
    xs = [x for x, _ in chart["axis"]]
    assert len(xs) < len(waves)
    assert all(b - a >= text_width("2000") for a, b in zip(xs, xs[1:], strict=False))
    two = line_chart([2009, 2015], {"A": {2009: (1, "1"), 2015: (2, "2")}}, 100)
    assert [wave for _, wave in two["axis"]] == ["2009", "2015"]


@pytest.mark.parametrize("shape", SHAPES)
def test_each_marker_is_a_closed_outline_around_its_point(shape):
    path = marker_path(shape, 100, 50)
    assert path.endswith("Z")
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    if shape != "circle":  # polygons: every vertex within 1.3 r of the centre
        xs, ys = numbers[0::2], numbers[1::2]
        assert all(abs(x - 100) <= 1.3 * MARKER_RADIUS for x in xs)
        assert all(abs(y - 50) <= 1.3 * MARKER_RADIUS for y in ys)
