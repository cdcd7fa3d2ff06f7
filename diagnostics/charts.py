"""Geometry of the results radar chart (pure functions; the template draws the SVG)."""

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 680, 440  # wide enough for the labels left and right of the chart
CENTER_X, CENTER_Y = WIDTH / 2, HEIGHT / 2
RADIUS = 140
RINGS = (25, 50, 75, 100)


@dataclass(frozen=True)
class Spoke:
    label: str
    score: float | None  # None: not evaluated (drawn at the centre)
    end: tuple[float, float]  # the 100 % point
    point: tuple[float, float]  # the score's point
    label_at: tuple[float, float]
    value_at: tuple[float, float]  # the score, written under the label
    anchor: str  # text-anchor of the label


def polar(angle: float, distance: float) -> tuple[float, float]:
    return (
        round(CENTER_X + distance * math.sin(angle), 1),
        round(CENTER_Y - distance * math.cos(angle), 1),
    )


def radar(values: list[tuple[str, float | None]]) -> dict:
    """Spokes clockwise from the top, the score polygon and the grid rings."""
    count = len(values)
    spokes = []
    for index, (label, score) in enumerate(values):
        angle = 2 * math.pi * index / count
        x, y = polar(angle, RADIUS + 28)
        anchor = "middle" if abs(x - CENTER_X) < 10 else ("start" if x > CENTER_X else "end")
        spokes.append(
            Spoke(
                label=label,
                score=score,
                end=polar(angle, RADIUS),
                point=polar(angle, RADIUS * (score or 0) / 100),
                label_at=(x, y),
                value_at=(x, round(y + 18, 1)),
                anchor=anchor,
            )
        )
    rings = [
        " ".join(f"{x},{y}" for x, y in (polar(2 * math.pi * i / count, RADIUS * r / 100)
                                         for i in range(count)))
        for r in RINGS
    ]  # fmt: skip
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "center": (CENTER_X, CENTER_Y),
        "spokes": spokes,
        "polygon": " ".join(f"{s.point[0]},{s.point[1]}" for s in spokes),
        "rings": list(zip(RINGS, rings, strict=True)),
    }
