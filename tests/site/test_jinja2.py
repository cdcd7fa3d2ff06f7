"""The Jinja2 fragments (rameau_site/jinja2.py) print what Django's templates printed."""

from decimal import Decimal

import pytest
from django.template import engines
from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from markupsafe import escape

from rameau_site.jinja2 import decimals, french_spacing_filter, nombre


@pytest.mark.parametrize("value", [0, 1, 7, 999, 1000, 1644, 33412, 100000, 1234567, -4500])
def test_numbers_are_grouped_as_django_prints_them(value):
    assert nombre(value) == number_format(value, force_grouping=True)
    rendered = engines["django"].from_string("{{ n }}").render({"n": value})
    assert nombre(value) == rendered


def test_french_spacing_keeps_safe_text_safe_and_escapes_the_rest():
    safe = french_spacing_filter(mark_safe("<mark>Quoi</mark> ?"))
    assert str(safe) == "<mark>Quoi</mark>\u00a0?"
    assert hasattr(safe, "__html__")
    template = engines["jinja2"].from_string("{{ text|french_spacing }}")
    assert template.render({"text": "<b>Oui</b> !"}) == "&lt;b&gt;Oui&lt;/b&gt;\u00a0!"
    assert template.render({"text": SafeString("<b>Oui</b> !")}) == "<b>Oui</b>\u00a0!"


@pytest.mark.parametrize(
    "value",
    [0, 1, 62.25, "62.25", Decimal("62.25"), 62.35, 0.05, -0.04, -0.05, -12.25, 99.95, 100,
     12.3456, Decimal("1E+2"), 999.96, 1000, 1234.56, -1500.5, None, "", "abc", float("nan")],
)  # fmt: skip
@pytest.mark.parametrize("places", [0, 1, 2])
def test_decimals_prints_what_django_floatformat_prints(value, places):
    assert decimals(value, places) == floatformat(value, places)


def test_h_escapes_as_django_does_and_keeps_safe_text():
    text = 'L\'atelier "x" & <b>é</b>'
    template = engines["jinja2"].from_string("{{ text|h }}|{{ text }}")
    assert template.render({"text": text}) == f"{conditional_escape(text)}|{escape(text)}"
    assert conditional_escape(text) != str(escape(text))  # Jinja2's own: &#39; and &#34;
    assert template.render({"text": mark_safe("<em>sûr</em>")}).startswith("<em>sûr</em>|")
