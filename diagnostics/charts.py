"""Geometry of the results radar chart (pure functions; the template draws the SVG).

Readable on a phone: the SVG is never drawn wider than its viewBox (the template gives
it its width), and TEXT_SIZE units are at least 12 CSS px at PHONE_WIDTH, the narrowest
it is drawn on a 375 px screen. Labels wrap on short lines, and the radius is chosen so
that every label, at a generous estimate of its width, stays inside the viewBox."""

import math
from dataclasses import dataclass

PHONE_WIDTH = 343  # 375 px less the page's 16 px margins
MIN_TEXT_PX = 12
WIDTH = 420
TEXT_SIZE = 16  # in viewBox units: 16 x 343 / 420 = 13 px on a 375 px phone
LINE = 20  # line height of the labels
# Generous mean advance of a bold character (DejaVu Sans Bold, the widest font a system
# may fall back on): a label estimated this wide is never wider on screen.
CHAR_WIDTH = 0.68 * TEXT_SIZE
MAX_RADIUS = 140
GAP = 12  # between the 100 % ring and a label
MARGIN = 4
SIDE_CHARACTERS = 11  # a label left or right of the chart wraps at this length
RINGS = (25, 50, 75, 100)


@dataclass(frozen=True)
class Spoke:
    label: str
    score: float | None  # None: not evaluated (drawn at the centre)
    end: tuple[float, float]  # the 100 % point
    point: tuple[float, float]  # the score's point
    lines: list[tuple[str, float]]  # the label's lines and their baselines
    value_at: tuple[float, float]  # the score, written under the label
    anchor: str  # text-anchor of the label
    box: tuple[float, float, float, float]  # estimated left, top, right, bottom of the text


def wrap(text: str, width: int) -> list[str]:
    """Words on lines of at most `width` characters (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def value_text_length(score: float | None) -> int:
    return len("non évalué") if score is None else len(f"{score:.1f}")


def radar(values: list[tuple[str, float | None]]) -> dict:
    """Spokes clockwise from the top, the score polygon and the grid rings.

    A label sits beyond its spoke's end: left of it on the left half, right of it on the
    right half, centred at the top and bottom; above the chart's upper labels, below
    the lower ones. The radius is the largest (up to MAX_RADIUS) that keeps the side
    labels inside the width; the height is what the labels need. Made for the
    questionnaire's five axes, it keeps labels apart up to six (tested)."""
    count = len(values)
    angles = [2 * math.pi * index / count for index in range(count)]
    blocks = []
    for (label, score), angle in zip(values, angles, strict=True):
        sin = math.sin(angle)
        anchor = "middle" if abs(sin) < 0.2 else ("start" if sin > 0 else "end")
        limit = SIDE_CHARACTERS if anchor != "middle" else int(WIDTH / CHAR_WIDTH) - 2
        lines = wrap(label, limit)
        width = max([len(line) for line in lines] + [value_text_length(score)]) * CHAR_WIDTH
        blocks.append((label, score, angle, anchor, lines, width))
    radius = MAX_RADIUS
    for _, _, angle, anchor, _, width in blocks:
        if anchor != "middle":
            radius = min(radius, (WIDTH / 2 - MARGIN - width) / abs(math.sin(angle)) - GAP)
    radius = round(radius, 1)

    def polar(angle: float, distance: float, cy: float) -> tuple[float, float]:
        return (
            round(WIDTH / 2 + distance * math.sin(angle), 1),
            round(cy - distance * math.cos(angle), 1),
        )

    def layout(cy: float) -> list[Spoke]:
        spokes = []
        for label, score, angle, anchor, lines, width in blocks:
            x, y = polar(angle, radius + GAP, cy)
            height = (len(lines) + 1) * LINE  # the label's lines, then the score
            top = y - height * (1 + math.cos(angle)) / 2  # above at the top, below at the foot
            baselines = [round(top + i * LINE + 0.95 * TEXT_SIZE, 1) for i in range(len(lines) + 1)]
            left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
            spokes.append(
                Spoke(
                    label=label,
                    score=score,
                    end=polar(angle, radius, cy),
                    point=polar(angle, radius * (score or 0) / 100, cy),
                    lines=list(zip(lines, baselines, strict=False)),
                    value_at=(x, baselines[-1]),
                    anchor=anchor,
                    box=(
                        round(left, 1),
                        round(top, 1),
                        round(left + width, 1),
                        round(top + height, 1),
                    ),
                )  # fmt: skip
            )
        return spokes

    spokes = layout(0)
    top = min([s.box[1] for s in spokes] + [-radius])
    bottom = max([s.box[3] for s in spokes] + [radius])
    cy = round(MARGIN - top, 1)
    spokes = layout(cy)
    rings = [
        " ".join(f"{x},{y}" for x, y in (polar(a, radius * r / 100, cy) for a in angles))
        for r in RINGS
    ]
    return {
        "width": WIDTH,
        "height": round(bottom - top + 2 * MARGIN, 1),
        "text_size": TEXT_SIZE,
        "center": (WIDTH / 2, cy),
        "radius": radius,
        "spokes": spokes,
        "polygon": " ".join(f"{s.point[0]},{s.point[1]}" for s in spokes),
        "rings": list(zip(RINGS, rings, strict=True)),
    }


@dataclass(frozen=True)
class SpreadRow:
    label: str
    n: int
    value: float | None  # the median (the whole group) or the mean (an actor type)
    box: tuple[float, float] | None  # first quartile and width to the third (the group)


def spread(axis: dict, labels: dict[str, str], participants: int) -> list[SpreadRow]:
    """The rows of an axis's spread chart from its consolidated figures: the whole
    group's middle half (q1 to q3) around its median, then each shown actor type's
    mean. Scores are drawn where they are on a 0-100 track (the template's viewBox is
    100 wide): no geometry to compute beyond picking the figures, which the table
    beside the chart repeats."""
    whole = SpreadRow(
        "Ensemble des participants", participants, axis["mediane"],
        (axis["q1"], round(axis["q3"] - axis["q1"], 1)) if axis["q1"] is not None else None,
    )  # fmt: skip
    rows = [whole]
    for code, figures in axis["par_type"].items():
        rows.append(SpreadRow(labels.get(code, code), figures["n"], figures["moyenne"], None))
    return rows
