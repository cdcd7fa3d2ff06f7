"""The published parcours that the catalogue's search also finds (registered in
resources.search.OTHER_SOURCES by kit/apps.py)."""

from django.db import connection
from django.urls import reverse

from kit.enums import PublicationStatus
from rameau_site.caching import KIT_VERSION
from resources.models import SEARCH_CONFIG
from resources.search import OtherSource, SearchHit

# Written as SQL: the same query built with the ORM's SearchVector and SearchRank cost
# about 2 ms of CPU a search to build and compile, for a table of a few rows (each
# search nobody made before, 18 ms in all). tests/kit/test_search.py compares both.
PARCOURS_SQL = """
SELECT title, slug, summary FROM (
  SELECT title, slug, summary, position,
         setweight(to_tsvector(%(config)s::regconfig, coalesce(title, '')), 'A')
         || setweight(to_tsvector(%(config)s::regconfig,
                                  coalesce(summary, '') || ' ' || coalesce(audience, '')), 'B')
         AS document
  FROM kit_parcours WHERE status = %(published)s
) p, websearch_to_tsquery(%(config)s::regconfig, %(text)s) query
WHERE document @@ query
ORDER BY ts_rank(document, query) DESC, position, title
LIMIT %(limit)s
"""


def parcours_hits(text: str, limit: int) -> list[SearchHit]:
    """The published parcours whose title, summary or audience match, best first."""
    params = {"config": SEARCH_CONFIG, "published": PublicationStatus.PUBLISHED,
              "text": text, "limit": limit}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(PARCOURS_SQL, params)
        rows = cursor.fetchall()
    return [SearchHit(title, reverse("kit:parcours", args=[slug]), summary)
            for title, slug, summary in rows]  # fmt: skip


PARCOURS = OtherSource("Parcours", "titre-parcours-trouves", parcours_hits, version=KIT_VERSION)
