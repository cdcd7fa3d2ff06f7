"""Glossary terms linked in a resource's sanitised body: the first occurrence of each
term, in text only (never inside a link, a heading or code), by parsing the HTML rather
than replacing strings in it; the result is sanitised again (pure, no database)."""

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from resources.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

NO_LINK_INSIDE = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre"}


@dataclass(frozen=True)
class LinkedTerm:
    url: str
    forms: tuple[str, ...]  # the term and its variants (plural...), as written


def term_pattern(terms: list[LinkedTerm]) -> re.Pattern | None:
    forms = sorted({form for term in terms for form in term.forms if form}, key=len, reverse=True)
    if not forms:
        return None
    alternatives = "|".join(re.escape(form) for form in forms)
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)


class TermLinker(HTMLParser):
    def __init__(self, terms: list[LinkedTerm]):
        super().__init__(convert_charrefs=True)
        self.by_form = {form.lower(): term for term in terms for form in term.forms}
        self.pattern = term_pattern(terms)
        self.linked: set[str] = set()
        self.open: list[str] = []
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.pattern is None or NO_LINK_INSIDE.intersection(self.open):
            self.out.append(html.escape(data, quote=False))
            return
        position = 0
        for match in self.pattern.finditer(data):
            term = self.by_form[match.group(1).lower()]
            if term.url in self.linked:
                continue
            self.linked.add(term.url)
            self.out.append(html.escape(data[position : match.start()], quote=False))
            self.out.append(
                f'<a href="{html.escape(term.url)}" title="Voir la définition dans le glossaire">'
                f"{html.escape(match.group(1), quote=False)}</a>"
            )
            position = match.end()
        self.out.append(html.escape(data[position:], quote=False))


def link_terms(body_html: str, terms: list[LinkedTerm]) -> str:
    """The sanitised body with each term's first occurrence linked to its entry."""
    if not body_html or not terms:
        return body_html
    linker = TermLinker(terms)
    linker.feed(body_html)
    linker.close()
    return nh3.clean(
        "".join(linker.out),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
