"""The published parcours that the catalogue's search also finds (registered in
resources.search.OTHER_SOURCES by kit/apps.py)."""

from django.contrib.postgres.search import SearchRank, SearchVector

from kit.models import Parcours
from rameau_site.caching import KIT_VERSION
from resources.models import SEARCH_CONFIG
from resources.search import OtherSource, SearchHit


def parcours_hits(query, limit: int) -> list[SearchHit]:
    """The published parcours whose title, summary or audience match, best first."""
    document = (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", "audience", weight="B", config=SEARCH_CONFIG)
    )  # fmt: skip
    found = (
        Parcours.objects.published()
        .alias(document=document)
        .filter(document=query)
        .annotate(rank=SearchRank(document, query))
        .order_by("-rank", "position", "title")
        .only("title", "slug", "summary")[:limit]
    )
    return [SearchHit(p.title, p.get_absolute_url(), p.summary) for p in found]


PARCOURS = OtherSource("Parcours", "titre-parcours-trouves", parcours_hits, version=KIT_VERSION)
