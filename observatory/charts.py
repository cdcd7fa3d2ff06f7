"""Chart geometry for the observatory (pure functions; templates draw the SVG).
Every bar and point carries its value as text: nothing is said by colour alone."""

from dataclasses import dataclass
from decimal import Decimal

BAR_WIDTH = 560  # plot width of a bar chart, in SVG units
LABEL_HEIGHT = 22
BAR_HEIGHT = 24
ROW_GAP = 14


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    display: str
    y: float
    width: float
    demo: bool = False


def bar_chart(rows: list[tuple[str, Decimal, str, bool]], maximum: Decimal) -> dict:
    """Horizontal bars, one per (label, value, display text, is_demo) row, scaled to
    `maximum` (100 for percentages, 10 for scores out of 10, else the largest value)."""
    maximum = maximum or max((value for _, value, _, _ in rows), default=Decimal(1)) or 1
    bars, y = [], 0.0
    for label, value, display, demo in rows:
        width = round(float(value) / float(maximum) * BAR_WIDTH, 1)
        bars.append(Bar(label, value, display, y, max(width, 1.0), demo))
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    return {"bars": bars, "width": BAR_WIDTH + 90, "height": round(y, 1),
            "label_height": LABEL_HEIGHT, "bar_height": BAR_HEIGHT}  # fmt: skip


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[float, float, str]]  # x, y, value as text
    path: str
    marker: str  # a distinct shape per series, so that colour is not needed


LINE_WIDTH, LINE_HEIGHT, PADDING = 560, 260, 40
MARKERS = ["circle", "square", "triangle", "diamond"]


def line_chart(
    waves: list[int], series: dict[str, dict[int, tuple[Decimal, str]]], maximum
) -> dict:
    """One line per series over the waves (x evenly spaced, in wave order)."""
    maximum = float(maximum or max(
        (float(v) for points in series.values() for v, _ in points.values()), default=1
    ) or 1)  # fmt: skip
    step = (LINE_WIDTH - 2 * PADDING) / max(len(waves) - 1, 1)
    x_of = {wave: PADDING + index * step for index, wave in enumerate(waves)}
    lines = []
    for index, (label, points) in enumerate(series.items()):
        plot = LINE_HEIGHT - 2 * PADDING
        coords = [
            (round(x_of[w], 1), round(PADDING + (1 - float(v) / maximum) * plot, 1), text)
            for w, (v, text) in sorted(points.items())
        ]
        path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y, _) in enumerate(coords))
        lines.append(Series(label, coords, path, MARKERS[index % len(MARKERS)]))
    return {
        "series": lines,
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "axis": [(round(x_of[w], 1), str(w)) for w in waves],
        "baseline": LINE_HEIGHT - PADDING,
    }
