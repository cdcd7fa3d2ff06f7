"""Non-breaking spaces for text typed with ordinary ones (pure function, no database)."""

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString, mark_safe
from hypothesis import given
from hypothesis import strategies as st

from resources import french
from resources.french import french_spacing

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sont-elles identifiées ?", f"Sont-elles identifiées{NBSP}?"),
        ("Vision : enjeux ; action !", f"Vision{NBSP}: enjeux{NBSP}; action{NBSP}!"),
        ("Un « 360° » du territoire", f"Un «{NBSP}360°{NBSP}» du territoire"),
        ("répondre «oui»", f"répondre «{NBSP}oui{NBSP}»"),
        ("« Non concerné ».", f"«{NBSP}Non concerné{NBSP}»."),
        ("deux espaces  :", f"deux espaces{NBSP}:"),
        ("à la ligne\n:", f"à la ligne{NBSP}:"),
        ("Vraiment ?!", f"Vraiment{NBSP}?!"),
        # Already right: unchanged (a narrow non-breaking space too).
        (f"Source{NBSP}: étude", f"Source{NBSP}: étude"),
        ("Quoi\u202f?", "Quoi\u202f?"),
        (f"«{NBSP}oui{NBSP}»", f"«{NBSP}oui{NBSP}»"),
        # No space before the sign: a URL, a time, a ratio stay as they are.
        ("https://exemple.fr/page?q=1&r=2", "https://exemple.fr/page?q=1&r=2"),
        ("la réunion de 10:30", "la réunion de 10:30"),
        ("Note:", "Note:"),
        ("", ""),
    ],
)
def test_french_spacing(text, expected):
    assert french_spacing(text) == expected


def test_the_filter_keeps_escaping_as_it_was():
    template = Template("{% load french %}{{ text|french_spacing }}|{{ html|french_spacing }}")
    html = mark_safe("<em>Pourquoi</em> ?")
    rendered = template.render(Context({"text": "<b>Qui</b> ?", "html": html}))

    assert rendered == f"&lt;b&gt;Qui&lt;/b&gt;{NBSP}?|<em>Pourquoi</em>{NBSP}?"
    assert isinstance(rendered, SafeString)


def test_the_filter_takes_what_is_not_a_string():
    assert Template("{% load french %}{{ n|french_spacing }}").render(Context({"n": 3})) == "3"


@given(st.text(alphabet=st.sampled_from("ab :;?!«»\u00a0\u202f\n.,'"), max_size=30))
def test_the_shortcut_for_texts_without_signs_changes_nothing(text):
    """french_spacing returns early when none of the signs is there: the same text as
    the three substitutions give."""
    full = french._SPACE_BEFORE.sub(NBSP, text)
    full = french._CLOSING_AGAINST_WORD.sub(f"{NBSP}»", full)
    assert french_spacing(text) == french._OPENING.sub(f"«{NBSP}", full)
