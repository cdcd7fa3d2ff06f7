"""The French plural of a count (pure function, no database)."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from resources.french import french_plural


@pytest.mark.parametrize(
    ("count", "plural"),
    [(0, False), (1, False), (2, True), (20, True), (Decimal("1.5"), False),
     (Decimal("-3.0"), True), (-1, False), ("", False), (None, False)],
)  # fmt: skip
def test_zero_and_one_are_singular(count, plural):
    assert french_plural(count) is plural


def test_the_filter():
    template = Template(
        "{% load french %}{% for n in counts %}{{ n }} point{{ n|pluriel }} ; {% endfor %}"
    )
    rendered = template.render(Context({"counts": [0, 1, 2]}))
    assert rendered == "0 point ; 1 point ; 2 points ; "
