"""Aggregates over completed diagnostics: the peer comparison of the results page and
the one function the observatory reads."""

from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Avg, Count

from diagnostics.models import AxisResult, Response
from rameau_site.caching import DIAGNOSTIC_PEERS
from resources.enums import Level

MIN_GROUP = 5  # below this, a figure is not shown ("secret statistique")
LEVELS = [value for value, _ in Level.choices]


def peer_quartiles(size_band: str) -> dict[str, dict]:
    """Per axis code: n, first quartile, median and third quartile of the completed,
    consenting responses of a commune size band (cached 5 minutes per process)."""
    return DIAGNOSTIC_PEERS.get_or_compute(size_band, lambda: _peer_quartiles(size_band))


def _peer_quartiles(size_band: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.axis_code, count(*),
                   percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY r.score)
            FROM diagnostics_axisresult r
            JOIN diagnostics_response p ON p.id = r.response_id
            WHERE p.size_band = %s AND p.completed_at IS NOT NULL AND p.consent
                  AND NOT p.is_demo AND r.score IS NOT NULL
            GROUP BY r.axis_code
            """,
            [size_band],
        )
        result = {
            code: {
                "n": n,
                "q1": Decimal(str(round(q[0], 1))),
                "median": Decimal(str(round(q[1], 1))),
                "q3": Decimal(str(round(q[2], 1))),
            }
            for code, n, q in cursor.fetchall()
        }
    return result


def territory_statistics() -> dict:
    """For the observatory: completed, consenting, non-demonstration responses counted
    by region and by commune size band (and shared diagnostics' participants by actor
    type), with their level distribution and mean axis
    scores. Groups of fewer than MIN_GROUP responses are reported as hidden."""
    responses = Response.objects.for_statistics()
    collective = responses.filter(campaign__isnull=False)
    result = {"total": responses.count(), "by_region": {}, "by_size_band": {},
              "collective_total": collective.count(), "by_actor_type": {}}  # fmt: skip
    for dimension, field, counted in (
        ("by_region", "region_id", responses),
        ("by_size_band", "size_band", responses),
        # Participants of shared diagnostics, by actor type (total: collective_total).
        ("by_actor_type", "actor_type", collective),
    ):
        groups: dict = defaultdict(lambda: {"n": 0, "levels": {}, "axes": {}})
        for row in counted.values(field, "level").annotate(n=Count("pk")).order_by():
            group = groups[row[field]]
            group["n"] += row["n"]
            group["levels"][row["level"]] = row["n"]
        axes = (
            AxisResult.objects.filter(response__in=counted, score__isnull=False)
            .values(f"response__{field}", "axis_code")
            .annotate(mean=Avg("score"))
            .order_by()
        )
        for row in axes:
            groups[row[f"response__{field}"]]["axes"][row["axis_code"]] = round(row["mean"], 1)
        counts = {key: group["n"] for key, group in groups.items()}
        hidden_groups = suppressed(counts)
        for key, group in groups.items():
            group["hidden"] = key in hidden_groups
            if group["hidden"]:
                group["n"], group["levels"], group["axes"] = None, {}, {}
            else:
                # Every level is a cell of the row (a level nobody reached counts 0).
                levels = {level: group["levels"].get(level, 0) for level in LEVELS}
                hidden_levels = suppressed(levels)
                group["levels"] = {
                    level: (None if level in hidden_levels else n) for level, n in levels.items()
                }
            result[dimension][key] = dict(group)
    return result


def suppressed(cells: dict) -> set:
    """The cells of a line whose total is published to hide (secret statistique).
    Primary: every cell under MIN_GROUP. Complementary: while the hidden cells could be
    told apart from the total (a single one), or add up to less than MIN_GROUP, hide the
    smallest shown cell too. So no hidden count is ever the total minus what is shown."""
    hidden = {key for key, n in cells.items() if n < MIN_GROUP}
    shown = sorted((n, str(key), key) for key, n in cells.items() if key not in hidden)
    while hidden and shown and (len(hidden) < 2 or sum(cells[k] for k in hidden) < MIN_GROUP):
        hidden.add(shown.pop(0)[2])
    return hidden
