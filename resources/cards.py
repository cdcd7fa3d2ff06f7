"""Resource cards (catalogue, case base, related resources, the diagnostic's tools and
cases) as plain objects, read in one query whatever the number of cards.

Measured on 100,000 resources (a page of 20 cards for "alliance", in-process): model
instances with their prefetched publishers and tags took 11.3 ms, these plain rows
6.6 ms, most of it PostgreSQL's ts_headline."""

from dataclasses import dataclass

from django.core.validators import slug_re as SLUG_RE
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from resources.enums import Kind, Status
from resources.link_kinds import link_kind_label
from resources.models import SEARCH_CONFIG
from resources.search import (
    HEADLINE_MAX_WORDS,
    HEADLINE_MIN_WORDS,
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    highlight,
)

KIND_LABELS = dict(Kind.choices)
SUMMARY_WORDS = 40


@dataclass(frozen=True)
class Card:
    pk: int
    kind: str
    title: str
    summary: str  # shortened
    url: str
    meta: str  # publishers · year · place
    tags: list[tuple[str, str]]  # (slug, name), by name
    is_fictional: bool
    link: str  # what its link leads to: "Document (PDF)", "Document", "Site de l’éditeur"
    title_html: SafeString | None = None  # with the search's words marked
    summary_html: SafeString | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


# One statement, written once: the ORM took about 5 ms of CPU to build the SQL of a
# page of cards (three queries, or one with array subqueries), more than PostgreSQL
# took to answer it; measured at 100k resources, 20 cards of a search for "alliance".
CARDS_SQL = """
SELECT r.id, r.title, r.slug, r.summary, r.kind, r.is_fictional, r.year, r.publication_date,
       coalesce(c.name, r.territory_name), coalesce(g.name, ''), r.external_url, r.document,
       ARRAY(SELECT o.name FROM resources_resource_publishers p
             JOIN resources_organisation o ON o.id = p.organisation_id
             WHERE p.resource_id = r.id ORDER BY o.name),
       ARRAY(SELECT t.slug FROM resources_taggedresource x JOIN resources_tag t ON t.id = x.tag_id
             WHERE x.content_object_id = r.id ORDER BY t.name, t.slug),
       ARRAY(SELECT t.name FROM resources_taggedresource x JOIN resources_tag t ON t.id = x.tag_id
             WHERE x.content_object_id = r.id ORDER BY t.name, t.slug),
       {headlines}
FROM resources_resource r{search}
LEFT JOIN territories_commune c ON c.code = r.commune_id
LEFT JOIN territories_region g ON g.code = r.region_id
WHERE r.id = ANY(%(ids)s) AND r.status = %(published)s AND r.published_at <= %(now)s
"""
HEADLINES_SQL = """
       ts_headline(s.config, r.title, s.query, %(title_options)s),
       ts_headline(s.config, r.summary, s.query, %(summary_options)s)"""
# The query parsed once, not once a headline: with the statement prepared (its
# parameters unknown when planned) PostgreSQL parsed it 40 times a page; 0.1-0.3 ms of
# the database's 1.7-2.0 ms. (OFFSET 0 keeps the planner from inlining it again.)
SEARCH_SQL = """
CROSS JOIN (SELECT %(config)s::regconfig AS config,
                   websearch_to_tsquery(%(config)s::regconfig, %(text)s) AS query OFFSET 0) s"""
HEADLINE_OPTIONS = (
    f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, MaxWords={HEADLINE_MAX_WORDS}, "
    f"MinWords={HEADLINE_MIN_WORDS}, HighlightAll="
)


def cards_of(ids: list[int], filterset=None) -> list[Card]:
    """The cards of the published resources among `ids`, in that order. With a
    searching `filterset`, titles and summaries have its words marked (as in
    ResourceFilterSet.with_highlights). One query."""
    if not ids:
        return []
    params = {"ids": list(ids), "published": Status.PUBLISHED, "now": timezone.now()}
    searching = filterset is not None and filterset.search_query is not None
    if searching:
        params |= {
            "config": SEARCH_CONFIG, "text": filterset.search_text,
            "title_options": HEADLINE_OPTIONS + "true",
            "summary_options": HEADLINE_OPTIONS + "false",
        }  # fmt: skip
    sql = CARDS_SQL.format(
        headlines=HEADLINES_SQL if searching else "NULL, NULL",
        search=SEARCH_SQL if searching else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        by_id = {row[0]: row for row in cursor.fetchall()}
    url_of = detail_urls()
    return [card_of(by_id[pk], url_of) for pk in ids if pk in by_id]


def detail_urls():
    """The address of a resource page from its slug, `reverse` called once for all the
    cards rather than once a card (20 calls: 0.25 ms of a catalogue page's CPU). A slug
    of the `slug` converter's characters goes into the address as it is (reverse quotes
    none of them); any other goes through reverse."""
    prefix, _, suffix = reverse("resources:detail", args=["-"]).rpartition("-")

    def url_of(slug: str) -> str:
        if SLUG_RE.match(slug):
            return f"{prefix}{slug}{suffix}"
        return reverse("resources:detail", args=[slug])

    return url_of


def shortened(summary: str) -> str:
    """`Truncator(summary).words(SUMMARY_WORDS, truncate="…")`, without the Truncator
    for a summary short enough (most): its lazy wrapper cost 20 µs a card, 0.4 ms a
    page. tests/resources/test_catalogue.py compares both."""
    words = summary.split()
    if len(words) <= SUMMARY_WORDS:
        return " ".join(words)
    return Truncator(summary).words(SUMMARY_WORDS, truncate="…")


def card_of(row: tuple, url_of) -> Card:
    (pk, title, slug, summary, kind, is_fictional, year, publication_date, place, region,
     external_url, document, publishers, tag_slugs, tag_names, title_mark,
     summary_mark) = row  # fmt: skip
    year = publication_date.year if publication_date else year
    meta = [", ".join(publishers), str(year) if year else ""]
    if kind == Kind.CASE:
        meta += [place or "", region]
    return Card(
        pk=pk,
        kind=kind,
        title=title,
        summary=shortened(summary),
        url=url_of(slug),
        meta=" · ".join(part for part in meta if part),
        tags=list(zip(tag_slugs, tag_names, strict=True)),
        is_fictional=is_fictional,
        link="Document (PDF)" if document else link_kind_label(external_url),
        title_html=highlight(title_mark) if title_mark is not None else None,
        summary_html=highlight(summary_mark) if summary_mark is not None else None,
    )
