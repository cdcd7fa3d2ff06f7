"""Figures of the consolidated view in French ("52,5"): the organiser's page writes
about 130 of them, and `floatformat` (Decimal and locale machinery) took most of its
rendering time at 1,000 participants (see the measurement in diagnostics/views.py)."""

from django import template

register = template.Library()


@register.filter
def decimal_fr(value, places=1) -> str:
    """`value` with `places` decimals and a decimal comma; "–" for None."""
    if value is None or value == "":
        return "–"
    return f"{float(value):.{int(places)}f}".replace(".", ",")
