"""Observations grouped into figures: a title that states the finding, the chart that
suits the data, its table, sources, n and notes."""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.utils.formats import number_format

from observatory import charts
from observatory.enums import POPULATION_LABELS, Unit
from observatory.models import UNIT_RANGES, Indicator, Observation
from territories.enums import REGION_TILES


def display_value(value: Decimal, unit: str, decimals: int) -> str:
    number = number_format(value, decimal_pos=decimals, force_grouping=True)
    if unit == Unit.PERCENT:
        return f"{number}\u00a0%"
    if unit == Unit.SCORE10:
        return f"{number}/10"
    return number


@dataclass
class Row:
    observation: Observation
    label: str
    display: str


@dataclass
class Figure:
    indicator: Indicator
    rows: list[Row]
    kind: str  # "barres", "lignes" or "carte"
    chart: dict
    finding: str
    sources: list
    notes: list[str]
    has_demo: bool
    csv_query: str
    truncated: bool = False
    tiles: list = field(default_factory=list)

    @property
    def n_text(self) -> str:
        ns = sorted({r.observation.n for r in self.rows if r.observation.n})
        return ", ".join(number_format(n, force_grouping=True) for n in ns)


def row_label(observation: Observation, varying: set[str]) -> str:
    parts = []
    if "population" in varying:
        parts.append(POPULATION_LABELS.get(observation.population, observation.population))
    if "breakdown" in varying and observation.breakdown_value:
        parts.append(observation.breakdown_value)
    if "region" in varying:
        parts.append(observation.region.name if observation.region_id else "France entière")
    if "wave" in varying:
        parts.append(observation.wave_label or str(observation.wave or "vague non précisée"))
    return " · ".join(parts) or POPULATION_LABELS.get(observation.population, "")


def series_of(observations, rows, varying) -> dict:
    """Values by series (what varies besides the wave) and wave."""
    series: dict = OrderedDict()
    for observation, row in zip(observations, rows, strict=True):
        if observation.wave is not None:
            label = row_label(observation, varying - {"wave"})
            series.setdefault(label, {})[observation.wave] = (observation.value, row.display)
    return series


def shade(value, top) -> int:
    """0 to 3: the tile's shade (the value is always written on it too)."""
    return min(3, int(4 * float(value) / float(top or 1)))


def figure_for(indicator: Indicator, observations: list[Observation], query: dict,
               truncated: bool = False) -> Figure:  # fmt: skip
    unit, decimals = indicator.unit, indicator.decimals
    varying = {
        name
        for name, key in (
            ("population", lambda o: o.population),
            ("breakdown", lambda o: (o.breakdown, o.breakdown_value)),
            ("region", lambda o: o.region_id),
            ("wave", lambda o: o.wave),
        )
        if len({key(o) for o in observations}) > 1
    }
    rows = [
        Row(o, row_label(o, varying), display_value(o.value, unit, decimals)) for o in observations
    ]
    maximum = UNIT_RANGES.get(unit)
    regions = {o.region_id for o in observations if o.region_id}
    waves = sorted({o.wave for o in observations if o.wave is not None})
    series = series_of(observations, rows, varying) if "wave" in varying else {}
    tiles = []
    if len(regions) > 1 and varying <= {"region"}:
        kind, chart = "carte", {}
        by_region = {o.region_id: r for o, r in zip(observations, rows, strict=True)}
        top = max(o.value for o in observations)
        tiles = [
            {"code": code, "short": short, "row": by_region.get(code),
             "level": shade(by_region[code].observation.value, top) if code in by_region else None}
            for code, short in REGION_TILES.items()
        ]  # fmt: skip
    elif len(waves) > 1 and max(map(len, series.values())) > 1:
        kind = "lignes"
        chart = charts.line_chart(waves, series, maximum)
    else:
        kind = "barres"
        chart = charts.bar_chart(
            [(r.label, r.observation.value, r.display, r.observation.is_demo) for r in rows],
            maximum,
        )
    top_row = max(rows, key=lambda r: r.observation.value)
    if len(rows) == 1:
        finding = f"{top_row.display} : {indicator.title[0].lower()}{indicator.title[1:]}"
    else:
        finding = f"{indicator.title} : jusqu’à {top_row.display} ({top_row.label})"
    sources = list(OrderedDict((o.source_id, o.source) for o in observations).values())
    notes = list(OrderedDict.fromkeys(o.note for o in observations if o.note))
    return Figure(
        indicator=indicator, rows=rows, kind=kind, chart=chart, finding=finding,
        sources=sources, notes=notes, has_demo=any(o.is_demo for o in observations),
        csv_query=urlencode({**query, "indicateur": indicator.slug}, doseq=True),
        truncated=truncated, tiles=tiles,
    )  # fmt: skip
