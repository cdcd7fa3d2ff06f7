"""Search helpers: highlighted snippets, "did you mean" suggestions, and the other
content (glossary terms, parcours) the catalogue's search also finds."""

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from rameau_site.caching import LIBRARY_VERSION, ContentVersion, current_versions
from resources.index import library_index

# ts_headline marks matches with these private-use characters; `highlight` turns them
# into <mark> after escaping.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"
# How long a highlighted summary is (ts_headline's MaxWords/MinWords), for the cards'
# SQL (cards.py) and the ORM's SearchHeadline (filters.py) alike.
HEADLINE_MAX_WORDS, HEADLINE_MIN_WORDS = 40, 20
WORD_RE = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
SUGGESTION_MIN_SIMILARITY = 0.35


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def highlight(text: str) -> SafeString:
    """Escape ts_headline output, then turn its sentinels into <mark>: the database
    output itself is never trusted as HTML. (Django's `escape` is `html.escape` behind
    a lazy-text wrapper: called directly, 4.9 -> 1.5 µs a text, 40 texts a search.)"""
    escaped = html.escape(text)
    if escaped.count(HIGHLIGHT_START) != escaped.count(HIGHLIGHT_STOP):
        escaped = escaped.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, "")
    return SafeString(escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))


def words_of(text: str) -> list[str]:
    return WORD_RE.findall(text)


def suggest(text: str) -> str | None:
    """The query with each word unknown to the library's vocabulary replaced by the
    closest known word (trigram similarity), or None when nothing would change."""
    from resources.models import SearchWord

    changed = False
    corrected = text
    for word in dict.fromkeys(words_of(text)):
        key = unaccent(word)
        if SearchWord.objects.filter(key=key).exists():
            continue
        best = (
            SearchWord.objects.annotate(similarity=TrigramSimilarity("key", key))
            .filter(similarity__gte=SUGGESTION_MIN_SIMILARITY)
            .order_by("-similarity", "-frequency")
            .values_list("word", flat=True)
            .first()
        )
        if best:
            corrected = re.sub(rf"\b{re.escape(word)}\b", best, corrected)
            changed = True
    return corrected if changed else None


# --- other content the catalogue's search finds ----------------------------------------

OTHER_RESULTS_LIMIT = 5


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    text: str


@dataclass(frozen=True)
class OtherSource:
    """Content other than resources that the catalogue's search also finds, shown in its
    own block above the resources: the library's glossary, and what the apps above it
    register (the kit's parcours, kit/apps.py), as resources imports none of them."""

    heading: str
    anchor: str  # the block's heading id
    find: Callable  # (websearch text, limit) -> list[SearchHit], one query
    # The content version its writes bump, when it is not the library's (whose index
    # version already keys the search's pages).
    version: ContentVersion | None = None


OTHER_SOURCES: list[OtherSource] = []


def pages_version() -> str:
    """The key of the search's cached pages (INDEX_PAGES): the version of the index
    serving now, so that a page drawn by the old index is never kept under the new
    version, and those of the other sources, so that a parcours published is found at
    once. One cache query, as for the index's alone."""
    others = list(dict.fromkeys(s.version for s in OTHER_SOURCES if s.version is not None))
    library, *rest = current_versions(LIBRARY_VERSION, *others)
    return "-".join(map(str, [library_index(library).version, *rest]))


def other_results(text: str) -> list[tuple[OtherSource, list[SearchHit]]]:
    """The blocks with hits for a websearch query: one query per source, whatever the
    data."""
    blocks = [(source, source.find(text, OTHER_RESULTS_LIMIT)) for source in OTHER_SOURCES]
    return [(source, hits) for source, hits in blocks if hits]


# Written as SQL, as the parcours' (kit/search.py): the ORM's SearchVector and
# SearchRank cost about 2 ms of CPU a search to build and compile.
# tests/resources/test_other_results.py compares both.
GLOSSARY_SQL = """
SELECT name, slug, definition FROM (
  SELECT name, slug, definition,
         setweight(to_tsvector(%(config)s::regconfig,
                               coalesce(name, '') || ' ' || coalesce(variants, '')), 'A')
         || setweight(to_tsvector(%(config)s::regconfig, coalesce(definition, '')), 'B')
         AS document
  FROM resources_glossaryterm
) t, websearch_to_tsquery(%(config)s::regconfig, %(text)s) query
WHERE document @@ query
ORDER BY ts_rank(document, query) DESC, name
LIMIT %(limit)s
"""


def glossary_hits(text: str, limit: int) -> list[SearchHit]:
    """The glossary terms whose name, variants or definition match, best first."""
    from resources.models import SEARCH_CONFIG

    with connection.cursor() as cursor:
        cursor.execute(GLOSSARY_SQL, {"config": SEARCH_CONFIG, "text": text, "limit": limit})
        rows = cursor.fetchall()
    glossary = reverse("kit:glossary")
    return [
        SearchHit(name, f"{glossary}#terme-{slug}", Truncator(definition).words(30, "…"))
        for name, slug, definition in rows
    ]


OTHER_SOURCES.append(OtherSource("Termes du glossaire", "titre-glossaire", glossary_hits))
