"""Observations grouped into figures: a title that states the finding, the chart that
suits the data, its table, sources, n and notes."""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count
from django.utils.formats import get_format, number_format

from observatory import charts
from observatory.enums import POPULATION_LABELS, Unit
from observatory.models import UNIT_RANGES, Indicator, KeyFigure, Observation
from territories.enums import REGION_TILES
from territories.models import region_names

FRANCE = "France entière"


def count_in_words(value: Decimal) -> str | None:
    """A large round count as French writes it ("1,2 million", "3 millions",
    "1,5 milliard"); None when words would round it (then the digits are shown)."""
    for size, word in ((10**9, "milliard"), (10**6, "million")):
        if abs(value) >= size:
            scaled = Decimal(value) / size
            if scaled != scaled.quantize(Decimal("0.01")):
                return None
            number = number_format(scaled.normalize(), force_grouping=True)
            return f"{number}\u00a0{word}{'s' if abs(scaled) >= 2 else ''}"
    return None


def grouped(value: Decimal, decimals: int, separator: str) -> str:
    """`number_format(value, decimal_pos=decimals, force_grouping=True)` for a French
    decimal (decimals cut, not rounded, as Django does; a comma; `separator` every three
    digits), without its lookups of the active language: 2.6 against 9.1 µs a value
    (timeit, 1234.5 with one decimal), 200 to 400 of them a page (tested against
    number_format)."""
    if not isinstance(value, Decimal) or not value.is_finite() or decimals < 0:
        return number_format(value, decimal_pos=decimals, force_grouping=True)
    if abs(value) < (Decimal(1).scaleb(-decimals) if decimals else Decimal("0.1")):
        value = Decimal(0)
    text = f"{value:f}"
    sign = "-" if text[0] == "-" else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    whole = f"{int(whole):,}".replace(",", separator) if len(whole) > 3 else whole
    if decimals:
        return f"{sign}{whole},{fraction[:decimals].ljust(decimals, '0')}"
    return sign + whole


def display_value(value: Decimal, unit: str, decimals: int, separator: str | None = None) -> str:
    if unit == Unit.COUNT and (words := count_in_words(value)):
        return words
    number = grouped(value, decimals, separator or get_format("THOUSAND_SEPARATOR"))
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
    is_part: bool = False  # a part of the row above ("dont ..."), never a bar of its own


@dataclass
class Figure:
    indicator: Indicator
    rows: list[Row]
    row_groups: list[tuple[str, list[Row]]]  # ("", rows) when the values share one source
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
        separator = get_format("THOUSAND_SEPARATOR")  # as number_format groups them
        return ", ".join(f"{n:,}".replace(",", separator) for n in ns)


def row_label(observation: Observation, varying: set[str]) -> str:
    parts = []
    if "population" in varying:
        parts.append(POPULATION_LABELS.get(observation.population, observation.population))
    if "breakdown" in varying and observation.breakdown_value:
        parts.append(observation.breakdown_value)
    if "region" in varying:
        parts.append(region_names()[observation.region_id] if observation.region_id else FRANCE)
    if "wave" in varying:
        parts.append(observation.wave_label or str(observation.wave or "vague non précisée"))
    return " · ".join(parts) or POPULATION_LABELS.get(observation.population, "")


def series_key(observation: Observation) -> tuple:
    """What makes a series, whichever labels the shown subset gives it."""
    o = observation
    return (o.population, o.breakdown, o.breakdown_value, o.region_id or "")


MAX_STYLED_VALUES = 500


def series_keys(indicator_ids) -> dict[int, list[tuple]]:
    """Each indicator's full list of series over the waves, stably sorted: a series'
    style (colour, dash, marker) is its place in this list, so that it is drawn the same
    on the dashboard, filtered or not, and on the indicator's page. One query."""
    # An indicator with more series than styles cycles through them anyway; past this
    # many values its series are styled in the order shown (at 100k generated
    # observations, listing every series took 1.4 s of a dashboard's first render).
    small = (
        Observation.objects.filter(indicator_id__in=indicator_ids)
        .values("indicator_id")
        .annotate(n=Count("pk"))
        .filter(n__lte=MAX_STYLED_VALUES)
        .values("indicator_id")
    )
    rows = (
        Observation.objects.filter(indicator_id__in=small, wave__isnull=False, part_of__isnull=True)
        .values_list("indicator_id", "population", "breakdown", "breakdown_value", "region_id")
        .distinct()
    )
    keys: dict[int, set] = {}
    for indicator_id, population, breakdown, value, region in rows:
        keys.setdefault(indicator_id, set()).add((population, breakdown, value, region or ""))
    return {indicator_id: sorted(found) for indicator_id, found in keys.items()}


def series_of(observations, rows, varying, keys=None) -> tuple[dict, dict]:
    """Values by series (what varies besides the wave) and wave, and each series' place
    in `keys` (the indicator's full list of series; by default the ones given)."""
    series: dict = OrderedDict()
    key_of: dict = {}
    for observation, row in zip(observations, rows, strict=True):
        if observation.wave is not None:
            label = row_label(observation, varying - {"wave"})
            series.setdefault(label, {})[observation.wave] = (observation.value, row.display)
            key_of[label] = series_key(observation)
    keys = keys or sorted(set(key_of.values()))
    place = {key: index for index, key in enumerate(keys)}
    styles = {label: place[key] for label, key in key_of.items() if key in place}
    return series, styles


def shade(value, top) -> int:
    """0 to 3: the tile's shade (the value is always written on it too)."""
    return min(3, int(4 * float(value) / float(top or 1)))


def ordered_rows(observations, unit, decimals, by_study=False,
                 texts: dict | None = None) -> tuple[list, list[tuple]]:  # fmt: skip
    """The whole values, and the rows of the table: each part ("dont 35 % fortement")
    right under the value it is a part of. `by_study`: values from more than one study
    come in one group per study, titled with it, so that two surveys of two populations
    are never read as one list of bars; each row is then labelled by what varies within
    its group. Otherwise one untitled group. `texts`: each observation's value as
    text by id(), when the caller has them already."""
    if texts is None:
        texts = value_texts(observations, unit, decimals)
    ids = {o.pk for o in observations}
    wholes = [o for o in observations if o.part_of_id is None or o.part_of_id not in ids]
    by_source: dict = OrderedDict()
    for o in wholes:
        by_source.setdefault(o.source_id if by_study else None, []).append(o)
    grouped = len(by_source) > 1
    # Studies in the order of their waves, a study of unknown wave last.
    studies = sorted(by_source.values(), key=wave_order) if grouped else [wholes]
    wholes = [o for members in studies for o in members]
    parts: dict = {}
    for o in observations:
        if o.part_of_id in ids:
            parts.setdefault(o.part_of_id, []).append(o)
    groups = []
    for members in studies:
        varying = varying_of(members)
        rows = []
        for o in members:
            rows.append(Row(o, row_label(o, varying), texts[id(o)]))
            for part in parts.get(o.pk, []):
                label = f"dont {part.breakdown_value.lower() or 'une partie'}"
                rows.append(Row(part, label, texts[id(part)], True))
        groups.append((group_title(members) if grouped else "", rows))
    return wholes, groups


def value_texts(observations, unit, decimals) -> dict[int, str]:
    separator = get_format("THOUSAND_SEPARATOR")
    return {id(o): display_value(o.value, unit, decimals, separator) for o in observations}


def wave_order(observations) -> tuple:
    waves = [o.wave for o in observations if o.wave is not None]
    return (not waves, min(waves, default=0))


def group_title(observations) -> str:
    """The study of a group of values, and its population when they share one."""
    title = observations[0].source.title
    populations = {o.population for o in observations}
    if len(populations) == 1:
        population = populations.pop()
        title += f" · {POPULATION_LABELS.get(population, population)}"
    return title


def varying_of(observations) -> set[str]:
    return {
        name
        for name, key in (
            ("population", lambda o: o.population),
            ("breakdown", lambda o: (o.breakdown, o.breakdown_value)),
            ("region", lambda o: o.region_id),
            ("wave", lambda o: o.wave),
        )
        if len({key(o) for o in observations}) > 1
    }


def finding_of(indicator: Indicator, rows: list[Row], complete: bool) -> str:
    """The figure's title. Staff write it (Indicator.headline) from the indicator's own
    values; it is used only when the figure shows all of them. Otherwise a single value
    is stated with the indicator's title, and several values get the title alone: the
    code never picks a bar to make a claim of it."""
    if indicator.headline and complete:
        return indicator.headline
    wholes = [r for r in rows if not r.is_part]
    if len(wholes) == 1:
        return f"{wholes[0].display}\u00a0: {indicator.title[0].lower()}{indicator.title[1:]}"
    return indicator.title


def figure_for(indicator: Indicator, observations: list[Observation], query: dict,
               truncated: bool = False, complete: bool = True,
               keys: list[tuple] | None = None) -> Figure:  # fmt: skip
    """`complete`: the figure shows every observation of the indicator (no filter, no
    truncation), so that the staff-written headline describes what is drawn. `keys`:
    the indicator's full list of series (`series_keys`), which fixes each one's style."""
    unit, decimals = indicator.unit, indicator.decimals
    texts = value_texts(observations, unit, decimals)
    # What the chart's kind depends on, before building the rows of the one it needs
    # (bars take their own order, by study), so that a figure of bars over one wave
    # builds its rows once (test-echelle-0042, which needs both: 3.8 -> 3.7 ms).
    ids = {o.pk for o in observations}
    wholes = [o for o in observations if o.part_of_id is None or o.part_of_id not in ids]
    varying = varying_of(wholes)
    maximum = UNIT_RANGES.get(unit)
    regions = {o.region_id for o in wholes if o.region_id}
    waves = sorted({o.wave for o in wholes if o.wave is not None})
    series = {}
    if len(waves) > 1 or (len(regions) > 1 and varying <= {"region"}):
        wholes, row_groups = ordered_rows(observations, unit, decimals, texts=texts)
        rows = [row for _, group in row_groups for row in group]
        drawn = [r for r in rows if not r.is_part]
        if len(waves) > 1:
            series, styles = series_of(wholes, drawn, varying, keys)
    tiles = []
    if len(regions) > 1 and varying <= {"region"}:
        kind, chart = "carte", {}
        by_region = {r.observation.region_id: r for r in drawn}
        top = max(o.value for o in wholes)
        tiles = [
            {"code": code, "short": short, "row": by_region.get(code),
             "level": shade(by_region[code].observation.value, top) if code in by_region else None}
            for code, short in REGION_TILES.items()
        ]  # fmt: skip
    elif series and max(map(len, series.values())) > 1:
        kind = "lignes"
        chart = charts.line_chart(waves, series, maximum, styles)
    else:
        kind = "barres"
        wholes, row_groups = ordered_rows(observations, unit, decimals, by_study=True, texts=texts)
        rows = [row for _, group in row_groups for row in group]
        top = maximum or max(o.value for o in wholes)
        bar_groups = [
            (title, charts.bar_chart(
                [(r.label, r.observation.value, r.display, r.observation.is_demo)
                 for r in group if not r.is_part],
                top,
            )["bars"])
            for title, group in row_groups
        ]  # fmt: skip
        chart = {"bars": [bar for _, bars in bar_groups for bar in bars], "groups": bar_groups}
    finding = finding_of(indicator, rows, complete and not truncated)
    # In the order of the figure's groups (its wholes), then any part's own source.
    sources = list(OrderedDict((o.source_id, o.source) for o in [*wholes, *observations]).values())
    notes = list(OrderedDict.fromkeys(o.note for o in observations if o.note))
    return Figure(
        indicator=indicator, rows=rows, row_groups=row_groups, kind=kind, chart=chart,
        finding=finding,
        sources=sources, notes=notes, has_demo=any(o.is_demo for o in observations),
        csv_query=urlencode({**query, "indicateur": indicator.slug}, doseq=True),
        truncated=truncated, tiles=tiles,
    )  # fmt: skip


def wave_text(observation: Observation) -> str:
    if observation.wave_label:
        return observation.wave_label
    return str(observation.wave) if observation.wave else "vague non précisée"


@dataclass
class KeyFigureShown:
    display: str
    wording: str
    observation: Observation

    @property
    def source(self):
        return self.observation.source

    @property
    def wave(self) -> str:
        return wave_text(self.observation)

    @property
    def source_line(self) -> str:
        """ "Title, organisation, wave", the wave left out when the citation already
        gives its year, and lowercased after the comma ("vague non précisée")."""
        line = self.source.citation
        wave = self.wave
        if self.observation.wave and str(self.observation.wave) in line:
            return line
        if wave.isdigit():
            wave = f"vague {wave}"
        elif wave[1:2].islower():
            wave = wave[0].lower() + wave[1:]
        return f"{line}, {wave}"


def key_figures() -> list[KeyFigureShown]:
    """The figures staff chose (admin: Chiffres clés), in their order. One query."""
    return [
        KeyFigureShown(
            display_value(
                k.observation.value, k.observation.indicator.unit, k.observation.indicator.decimals
            ),
            k.wording,
            k.observation,
        )  # fmt: skip
        for k in KeyFigure.objects.for_display()
    ]
