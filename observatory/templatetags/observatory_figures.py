"""`{% observatory_figure figure prefix view %}`: a figure of the observatory (chart,
table, sources), the Jinja2 fragment templates/observatory/includes/figure.jinja.

Why Jinja2 (see rameau_site/jinja2.py): an indicator's page of 200 values printed some
16,000 variables and 1,200 localised numbers in Django's template language. Measured
on the bench database (cpu_page.py, BUST=1, N=10, in-process CPU, floor
/_bench/plancher/ 1.0-1.6 ms in the same runs): with this fragment alone,
/observatoire/indicateurs/test-echelle-0042/ from 52.6 to 24.7 ms, /observatoire/ from
281 to 179 ms. Same HTML as the Django templates it replaced (compared byte for byte on
the demo and bench data, CSP nonces aside); the escaping is Django's
(tests/observatory/test_rendering.py)."""

from django import template
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse

from rameau_site.jinja2 import django_escape, nombre, render_fragment, thousands
from territories.models import region_names

register = template.Library()


# Django's `conditional_escape` without its lazy-string wrapper: a call for each text
# of the table.
h = django_escape


def shown(value, separator: str):
    """A value as Django's `{{ value }}` prints it: an integer grouped, text escaped."""
    if isinstance(value, int) and not isinstance(value, bool):
        return nombre(value, separator)
    return h(value)


@register.simple_tag(takes_context=True)
def observatory_figure(context, figure, prefix, view):
    # What every figure of the page shares, prepared once per page.
    shared = context.render_context.get("observatory_figure")
    if shared is None:
        separator = thousands()
        shared = context.render_context["observatory_figure"] = {
            "h": h,
            "separator": separator,
            "shown": lambda value: shown(value, separator),
            "floatformat": floatformat,
            "csv_url": reverse("observatory:csv"),
            "regions": region_names(),
            "table_hint": render_to_string("includes/table_hint.html"),
        }
    return render_fragment(
        "observatory/includes/figure.jinja",
        context.get("request"),
        figure=figure, prefix=prefix, view=view, **shared,
    )  # fmt: skip
