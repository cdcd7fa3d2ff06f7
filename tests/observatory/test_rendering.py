"""The observatory's fast paths print what Django prints (pure functions, no database):
values formatted without number_format's lookups, text escaped for the Jinja2 figure.
(The pages themselves were compared byte for byte with the Django templates they
replaced, on the demo and the bench data, when the fragment was written.)"""

from decimal import Decimal

from django.utils import translation
from django.utils.formats import get_format, number_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from observatory.figures import grouped
from observatory.templatetags.observatory_figures import h, shown


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=4),
    st.integers(min_value=0, max_value=3),
)
def test_grouped_values_read_as_number_format_writes_them(value, decimals):
    with translation.override("fr"):
        separator = get_format("THOUSAND_SEPARATOR")
        expected = number_format(value, decimal_pos=decimals, force_grouping=True)
        assert grouped(value, decimals, separator) == expected


def test_grouped_cuts_decimals_and_groups_thousands_as_django_does():
    with translation.override("fr"):
        for text in ["0.04", "-0.04", "0.09", "1234567.891", "-1000", "999.99", "69"]:
            for decimals in (0, 1, 2):
                value = Decimal(text)
                expected = number_format(value, decimal_pos=decimals, force_grouping=True)
                assert grouped(value, decimals, "\u00a0") == expected


def test_the_figure_fragment_escapes_text_as_django_does():
    text = 'Provence-Alpes-Côte d\'Azur "x" <b> & é'
    assert h(text) == conditional_escape(text)
    assert h(mark_safe("<em>déjà sûr</em>")) == "<em>déjà sûr</em>"
    assert shown(2001, "\u00a0") == "2\u00a0001" and shown("l'an", "\u00a0") == "l&#x27;an"
