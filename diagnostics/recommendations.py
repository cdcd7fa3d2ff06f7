"""What the results page suggests from the library: tools for the weakest axes (by the
mapping staff edit in the admin) and case studies from similar territories."""

from urllib.parse import urlencode

from django.db.models import Case, Q, When

from diagnostics.models import Recommendation, Response
from kit.models import Parcours
from network.selectors import catalysts_near
from rameau_site.caching import (
    DIAGNOSTIC_SUGGESTIONS,
    DIRECTORY_VERSION,
    KIT_VERSION,
    LIBRARY_VERSION,
    combined_version,
    current_versions,
)
from resources.cards import cards_of
from resources.enums import Kind
from resources.index import bits_of, library_index
from resources.models import Resource

PER_AXIS = 3
# Candidates kept per axis: the tools section shows PER_AXIS, "Et maintenant ?" picks
# further reads for the weakest questions among them.
CANDIDATES = 6
CASES = 3
PARCOURS = 3
# Not tools: news (an article reports, it does not help do) and cases (their own section).
NOT_TOOLS = [Kind.CASE, Kind.ARTICLE]
# Resources presenting the self-diagnostic itself carry this tag: never suggested to
# someone who has just taken it.
DIAGNOSTIC_TAG = "autodiagnostic"


def mapping_for(axis_codes: list[str], level: str) -> dict[str, dict]:
    """Per axis code: the theme and tag slugs of its recommendation for `level` (or for
    all levels), for the catalogue link, and the ids of the resources staff chose for
    it. One query."""
    rows = Recommendation.objects.filter(
        axis_code__in=axis_codes, level__in=[level, ""]
    ).values_list("axis_code", "themes__slug", "tags__slug", "resources__id")
    mapping = {code: {"themes": set(), "tags": set(), "chosen": set()} for code in axis_codes}
    for code, theme, tag, chosen in rows:
        if theme:
            mapping[code]["themes"].add(theme)
        if tag:
            mapping[code]["tags"].add(tag)
        if chosen:
            mapping[code]["chosen"].add(chosen)
    return mapping


def tools_for(axis_code: str, level: str, limit: int = PER_AXIS) -> list[int]:
    """Ids of up to `limit` published tools for an axis (no case, no news article, not
    the diagnostic itself): the ones staff chose first, then those with a mapped theme
    (their own, not a sub-theme's) or tag; in each group featured first, then most
    recent. One query (the mapping); the choice is made in the library index
    (resources/index.py), whose "relevance" order is that order.

    PostgreSQL made the same choice in 200 to 500 ms at 100,000 resources (a scan of
    the whole table with three EXISTS a row, whatever the mapping), and the suggestions
    are kept per level and pair of weakest axes: during `make bench`'s journeys, one
    PostgreSQL backend was busy with it half of the time. In the index: about 1 ms (three
    themes and two tags mapped). tests/diagnostics/test_recommendations.py compares both."""
    return tools_in(library_index(), mapping_for([axis_code], level)[axis_code], limit)


def tools_in(index, mapping: dict, limit: int) -> list[int]:
    """The ids tools_for returns, given the index and the axis's mapping."""
    values = index.values

    def union(param: str, keys) -> int:
        bits = 0
        for key in keys:
            bits |= values.get(param, {}).get(key, 0)
        return bits

    excluded = union("type", NOT_TOOLS) | union("tag", [DIAGNOSTIC_TAG])
    chosen = bits_of(sorted(mapping["chosen"])) & ~excluded
    related = (union("theme-direct", mapping["themes"]) | union("tag", mapping["tags"])) & ~(
        excluded | chosen
    )
    first = index.take(chosen, "relevance", 0, limit)
    return first + index.take(related, "relevance", 0, limit - len(first))


def catalogue_url(mapping: dict) -> str:
    params = [("theme", slug) for slug in sorted(mapping["themes"])]
    params += [("tag", slug) for slug in sorted(mapping["tags"])]
    return "/ressources/?" + urlencode(params) if params else "/ressources/"


def inspiring_cases(response: Response) -> list[Resource]:
    """3 published case studies from the same region or the same commune size band (their
    own or their commune's): real cases first, illustrative ones after, then same region
    first. One query."""
    if not response.region_id and not response.size_band:
        return []
    nothing = Q(pk__in=[])
    same_region = (
        Q(region_id=response.region_id) | Q(commune__region_id=response.region_id)
        if response.region_id
        else nothing
    )
    same_size = (
        Q(size_band=response.size_band) | Q(commune__size_band=response.size_band)
        if response.size_band
        else nothing
    )
    return list(
        Resource.objects.published()
        .cases()
        .filter(same_region | same_size)
        .annotate(same_region=Case(When(same_region, then=True), default=False))
        .order_by("is_fictional", "-same_region", "-featured", "-published_at", "-pk")
        .only("pk", "is_fictional")[:CASES]
    )


def suggestions(response: Response, weakest: list[str], level: str) -> dict:
    """Tools per axis of `weakest` (up to CANDIDATES, best first), their catalogue links
    and inspiring cases, as cards. They depend only on the library, so their cards are
    kept once per process and library version (any content change gives a new version):
    on 100,000 diagnostics, reading the cards again on every results page cost about
    4 ms of the page's 20; a hit makes no query."""
    # The library's and the kit's versions in one cache read (as the library's alone
    # before): a published or edited parcours is proposed at once.
    # The directory's version too: the catalysts near the commune follow its profiles.
    library, kit, directory = current_versions(LIBRARY_VERSION, KIT_VERSION, DIRECTORY_VERSION)
    version = f"{library}-{kit}-{directory}"
    # The tools are chosen in the library index (tools_in): the index that serves now
    # (no query, the version is read), whose version keys them.
    index = library_index(library)

    def compute_tools():
        mapping = mapping_for(weakest, level)
        tools = {code: tools_in(index, mapping[code], CANDIDATES) for code in weakest}
        found = {card.pk: card for card in cards_of([pk for ids in tools.values() for pk in ids])}
        return {
            code: ([found[pk] for pk in ids if pk in found], catalogue_url(mapping[code]))
            for code, ids in tools.items()
        }

    tools = DIAGNOSTIC_SUGGESTIONS.get_or_compute(
        f"tools:{index.version}:{version}:{level}:{','.join(weakest)}", compute_tools
    )
    cases = DIAGNOSTIC_SUGGESTIONS.get_or_compute(
        f"cases:{version}:{response.region_id}:{response.size_band}",
        lambda: cards_of([r.pk for r in inspiring_cases(response)]),
    )
    catalysts = catalysts_for(response.commune, version)
    return {
        "tools": tools,
        "cases": cases,
        "parcours": parcours_suggested(weakest, version),
        "catalysts": catalysts,
    }


def catalysts_for(commune, version: str | None = None) -> list[dict]:
    """The directory's published profiles near the commune (network.selectors), kept
    per process under the directory's version (or `version`, which includes it). One
    cache query when `version` is not given, one more query when they are not kept."""
    if commune is None:
        return []
    if version is None:
        version = str(DIRECTORY_VERSION.current())
    return DIAGNOSTIC_SUGGESTIONS.get_or_compute(
        f"catalysts:{version}:{commune.pk}", lambda: catalysts_near(commune)
    )


def parcours_suggested(weakest: list[str], version: str | None = None) -> list[dict]:
    """The parcours for these axes (parcours_for), kept per process under the library's
    and the kit's versions like the other suggestions: the results page and the roadmap
    pages share them. One cache query for the versions (none when `version` is given),
    one more query when they are not kept yet."""
    if version is None:
        version = combined_version(LIBRARY_VERSION, KIT_VERSION)
    return DIAGNOSTIC_SUGGESTIONS.get_or_compute(
        f"parcours:{version}:{','.join(weakest)}", lambda: parcours_for(weakest)
    )


def parcours_for(axis_codes: list[str]) -> list[dict]:
    """Published parcours that staff tied to one of these axes (Parcours.diagnostic_axes),
    those tied to the weakest axis first, as plain values. One query."""
    found = Parcours.objects.published().filter(diagnostic_axes__overlap=axis_codes)
    rank = {code: n for n, code in enumerate(axis_codes)}
    ordered = sorted(
        found.only("title", "slug", "summary", "diagnostic_axes", "position"),
        key=lambda p: (min(rank.get(c, len(rank)) for c in p.diagnostic_axes), p.position),
    )
    return [
        {"title": p.title, "summary": p.summary, "url": p.get_absolute_url()}
        for p in ordered[:PARCOURS]
    ]
