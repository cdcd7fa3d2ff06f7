"""Chart geometry for the observatory (pure functions; templates draw the SVG).
Every bar and point carries its value as text: nothing is said by colour alone.

Readable on a phone, the simplest way that holds at every width:
- Bar charts put their labels and values in HTML (they wrap, at the page's own font
  size); SVG draws only each bar, on a 0-100 scale stretched to the row's width.
- Line charts keep in SVG only the axes' few labels, in a viewBox never drawn wider than
  its own size (the template gives it width and height) and sized so that TEXT_SIZE
  units are at least 12 CSS px at PHONE_WIDTH; the series' names and values are in an
  HTML legend. Each series has its own marker shape, dash pattern and colour."""

import math
from dataclasses import dataclass
from decimal import Decimal

# The narrowest a chart is drawn on a 375 px phone: the page keeps 16 px each side.
PHONE_WIDTH = 343
MIN_TEXT_PX = 12
TEXT_SIZE = 16  # font size of chart text, in viewBox units (set on the <svg>)
CHAR_WIDTH = 0.62 * TEXT_SIZE  # a generous mean advance (DejaVu Sans, the widest fallback)


def text_px(text_size: float, width: float, rendered: float = PHONE_WIDTH) -> float:
    """CSS px of `text_size` viewBox units in a `width`-unit chart drawn `rendered` px
    wide (never scaled up: the SVG's width attribute is its viewBox width)."""
    return text_size * min(1.0, rendered / width)


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    display: str
    share: float  # length of the bar, 0 to 100 (% of the row)
    demo: bool = False


def bar_chart(rows: list[tuple[str, Decimal, str, bool]], maximum: Decimal) -> dict:
    """Horizontal bars, one per (label, value, display text, is_demo) row, scaled to
    `maximum` (100 for percentages, 10 for scores out of 10, else the largest value)."""
    maximum = maximum or max((value for _, value, _, _ in rows), default=Decimal(1)) or 1
    bars = [
        # At least a sliver, so that a zero still shows where its bar starts.
        Bar(label, value, display, max(round(float(value) / float(maximum) * 100, 1), 0.5), demo)
        for label, value, display, demo in rows
    ]
    return {"bars": bars}


# One style per series: colour (each 3:1 or more on white, WCAG 1.4.11), dash pattern
# (None: solid) and marker shape; a ninth series takes the first shape, filled.
PALETTE = ["#1d4f91", "#8a5a00", "#1e6b35", "#b00020", "#6a3d9a", "#00707a", "#a34700", "#1b1b1b"]
DASHES = [None, "10 5", "2 4", "14 4 3 4", "6 3", "1 6", "18 5", "8 3 2 3 2 3"]
SHAPES = ["circle", "square", "triangle", "diamond", "triangle-down", "plus", "cross", "star"]
MARKER_RADIUS = 6


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[float, float, str, int]]  # x, y, value as text, wave
    path: str  # empty for a single point: a marker, never a line
    colour: str
    dash: str | None
    shape: str  # "circle", ... "star", "-plein" after it when filled
    filled: bool

    @property
    def markers(self) -> list[str]:
        return [marker_path(self.shape.removesuffix("-plein"), x, y) for x, y, _, _ in self.points]

    @property
    def key_marker(self) -> str:
        return marker_path(self.shape.removesuffix("-plein"), 22, 8)


def _polygon(points) -> str:
    return "M" + " L".join(f"{round(x, 1)},{round(y, 1)}" for x, y in points) + " Z"


def marker_path(shape: str, x: float, y: float, r: float = MARKER_RADIUS) -> str:
    """The outline of a marker of `shape` centred on (x, y), about 2r across."""
    if shape == "circle":
        return f"M{x - r},{y} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0 Z"
    if shape == "square":
        s = r * 0.85
        return _polygon([(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)])
    if shape in ("triangle", "triangle-down"):
        k = 1 if shape == "triangle" else -1
        return _polygon(
            [(x, y - k * r * 1.15), (x + r, y + k * r * 0.75), (x - r, y + k * r * 0.75)]
        )
    if shape == "diamond":
        return _polygon([(x, y - r * 1.2), (x + r, y), (x, y + r * 1.2), (x - r, y)])
    if shape in ("plus", "cross"):
        a, t = r * 1.1, r * 0.4  # arm length and half-thickness
        arm = [(t, a), (t, t), (a, t), (a, -t), (t, -t), (t, -a),
               (-t, -a), (-t, -t), (-a, -t), (-a, t), (-t, t), (-t, a)]  # fmt: skip
        turn = math.pi / 4 if shape == "cross" else 0
        cos, sin = math.cos(turn), math.sin(turn)
        return _polygon([(x + px * cos - py * sin, y + px * sin + py * cos) for px, py in arm])
    if shape == "star":
        return _polygon([
            (x + (r * 1.25 if i % 2 == 0 else r * 0.55) * math.sin(i * math.pi / 5),
             y - (r * 1.25 if i % 2 == 0 else r * 0.55) * math.cos(i * math.pi / 5))
            for i in range(10)
        ])  # fmt: skip
    raise ValueError(shape)


def series_style(index: int) -> tuple[str, str | None, str, bool]:
    filled = (index // len(SHAPES)) % 2 == 1
    shape = SHAPES[index % len(SHAPES)] + ("-plein" if filled else "")
    return PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)], shape, filled


LINE_WIDTH, PLOT_HEIGHT, TOP, RIGHT, AXIS_HEIGHT = 420, 200, 14, 14, 34
# The furthest a marker moves sideways from its wave: one marker's width, so that a point
# always reads as its own year (the values themselves are in the legend and the table).
DODGE_MAX = 2 * MARKER_RADIUS


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def dodges(ys: list[float]) -> list[float]:
    """Sideways offsets of the markers at one wave, in the order given: markers that would
    overlap (nearer than a marker's height) sit side by side, a marker's width apart when
    there is room, never further than DODGE_MAX from the wave; the others stay on it."""
    offsets = [0.0] * len(ys)
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    clusters, current = [], order[:1]
    for i in order[1:]:
        if ys[i] - ys[current[-1]] < 2 * MARKER_RADIUS:
            current.append(i)
        else:
            clusters.append(current)
            current = [i]
    clusters.append(current)
    for cluster in clusters:
        if len(cluster) < 2:
            continue
        gap = min(2 * MARKER_RADIUS, 2 * DODGE_MAX / (len(cluster) - 1))
        for rank, i in enumerate(sorted(cluster)):  # in series order, left to right
            offsets[i] = round((rank - (len(cluster) - 1) / 2) * gap, 1)
    return offsets


def line_chart(
    waves: list[int],
    series: dict[str, dict[int, tuple[Decimal, str]]],
    maximum,
    styles: dict[str, int] | None = None,
) -> dict:
    """One line per series over the waves (x evenly spaced, in wave order), on a scale
    from 0 to `maximum` with three labelled gridlines. A series' style is
    `styles[label]` (its place in the indicator's full list of series, so that it is
    drawn the same whichever of them are shown), else its place here. Markers that would
    hide one another at a wave sit side by side (`dodges`); a series seen at a single
    wave is a marker alone."""
    maximum = float(maximum or max(
        (float(v) for points in series.values() for v, _ in points.values()), default=1
    ) or 1)  # fmt: skip
    ticks = (0, maximum / 2, maximum)  # the template writes them with their unit
    # Room for the widest tick: its digits, a separator per thousand, and " %" or "/10".
    left = max(text_width(f"{value:,g}") for value in ticks) + text_width("/10") + 12
    margin = DODGE_MAX + MARKER_RADIUS + 4
    first, last = left + margin, LINE_WIDTH - RIGHT - margin
    step = (last - first) / max(len(waves) - 1, 1)
    x_of = {wave: first + index * step for index, wave in enumerate(waves)}
    if len(waves) == 1:
        x_of = {waves[0]: (first + last) / 2}
    baseline = TOP + PLOT_HEIGHT

    def y_of(value) -> float:
        return round(TOP + (1 - float(value) / maximum) * PLOT_HEIGHT, 1)

    labels = list(series)
    offsets = {}  # (label, wave) -> sideways offset
    for wave in waves:
        here = [label for label in labels if wave in series[label]]
        shifts = dodges([y_of(series[label][wave][0]) for label in here])
        offsets.update({(label, wave): shift for label, shift in zip(here, shifts, strict=True)})
    lines = []
    for index, (label, points) in enumerate(series.items()):
        coords = [
            (round(x_of[w] + offsets[label, w], 1), y_of(v), text, w)
            for w, (v, text) in sorted(points.items())
        ]
        path = ""
        if len(coords) > 1:
            path = " ".join(f"{'L' if i else 'M'}{x},{y}" for i, (x, y, _, _) in enumerate(coords))
        style = styles[label] if styles and label in styles else index
        lines.append(Series(label, coords, path, *series_style(style)))
    # Wave labels: every k-th one when they would touch.
    every = max(1, math.ceil((text_width("0000") + 8) / step)) if len(waves) > 1 else 1
    return {
        "series": lines,
        "width": LINE_WIDTH,
        "height": baseline + AXIS_HEIGHT,
        "text_size": TEXT_SIZE,
        "left": round(left, 1),
        "right": LINE_WIDTH - RIGHT,
        "axis": [(round(x_of[w], 1), str(w)) for i, w in enumerate(waves) if i % every == 0],
        "axis_y": baseline + 24,
        # Gridlines with their value, written left of the plot (centred on the line).
        "grid": [(y_of(value), round(y_of(value) + 0.35 * TEXT_SIZE, 1), value) for value in ticks],
        "tick_x": round(left - 8, 1),
        "baseline": baseline,
    }
