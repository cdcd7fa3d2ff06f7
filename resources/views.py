import json

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, Value
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from rameau_site.caching import INDEX_PAGES, LIBRARY_PAGES, LIBRARY_VERSION
from resources.cards import cards_of
from resources.filters import CaseFilterSet, ResourceFilterSet
from resources.glossary import LinkedTerm, link_terms
from resources.index import bits_of, library_index
from resources.models import GlossaryTerm, Resource
from resources.search import other_results, suggest
from territories.enums import REGION_TILES

PAGE_SIZE = 20


def paginate(filterset, page_number):
    """The page of results of a FilterSet: only its rows are read, highlighted."""
    return Paginator(filterset.results, PAGE_SIZE).get_page(page_number)


def query_without(params: QueryDict, param: str, value: str | None = None) -> str:
    """The query string with one value (or the whole parameter) removed, and the page."""
    params = params.copy()
    params.pop("page", None)
    if value is None:
        params.pop(param, None)
    else:
        params.setlist(param, [v for v in params.getlist(param) if v != value])
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def catalogue_context(request, filterset) -> dict:
    page = Paginator(filterset.cards, PAGE_SIZE).get_page(request.GET.get("page"))
    chips = [
        {
            "facet": facet.label,
            "label": value.label,
            "remove_url": query_without(request.GET, facet.param, value.value),
        }
        for facet in filterset.facets
        for value in facet.selected
    ]
    if filterset.search_text:
        chips.insert(
            0,
            {
                "facet": "Recherche",
                "label": f"«\u00a0{filterset.search_text}\u00a0»",
                "remove_url": query_without(request.GET, "q"),
            },
        )
    context = {
        "filterset": filterset,
        "page": page,
        "total": filterset.total,
        "chips": chips,
        "page_query": query_without(request.GET, "page").lstrip("?"),
        "sort_choices": filterset.filters["tri"].extra["choices"],
        "current_sort": filterset.sort,
        "has_search": filterset.search_query is not None,
    }
    if not page.object_list:
        context["suggestion"] = suggest(filterset.search_text) if filterset.search_text else None
        context["relaxations"] = [
            {
                "label": facet.label,
                "count": facet.without_count,
                "url": query_without(request.GET, facet.param),
            }
            for facet in filterset.facets
            if facet.without_count
        ]
    return context


@require_safe
@INDEX_PAGES
def resource_list(request):
    filterset = ResourceFilterSet(request.GET)
    context = catalogue_context(request, filterset)
    context["breadcrumbs"] = [("Ressources", None)]
    context["feed_url"] = "/ressources/flux/" + query_without(request.GET, "page")
    if filterset.search_query is not None and context["page"].number == 1:
        context["other_results"] = other_results(filterset.search_text)
    return render(request, "resources/resource_list.html", context)


@require_safe
@INDEX_PAGES
def case_list(request):
    filterset = CaseFilterSet(request.GET)
    context = catalogue_context(request, filterset)
    region_facet = next(f for f in filterset.facets if f.param == "region")
    context["region_tiles"] = [
        {
            "code": value.value,
            "name": value.label,
            "short": REGION_TILES[value.value],
            "count": value.count,
            "url": query_without(request.GET, "region") + f"&region={value.value}",
        }
        for value in region_facet.values
    ]
    context["breadcrumbs"] = [("Cas pratiques", None)]
    context["feed_url"] = "/ressources/flux/?type=cas-pratique"
    return render(request, "resources/case_list.html", context)


def shared_theme_ids(resource: Resource) -> set[int]:
    """The themes a related resource may share with this one: its own and their parents."""
    themes = resource.themes.all()
    return {theme.pk for theme in themes} | {t.parent_id for t in themes if t.parent_id}


def related_resources(resource: Resource, limit: int = 4) -> list[int]:
    """The published resources sharing most themes (a sub-theme's parent counts) and
    tags with this one, then the most recent of the same kind: chosen in the library
    index (resources/index.py). PostgreSQL took 0.6 to 0.7 s a page at 100,000
    resources (a GROUP BY over the whole library), and during `make bench`'s journeys
    these pages, kept once per worker, held the database more than any other; in the
    index, 1.5 to 1.7 ms (the same ids). While the index is being rebuilt after an edit,
    PostgreSQL answers (related_in_database), so the kept page is never older than the
    library. tests/resources/test_related.py compares both."""
    version = LIBRARY_VERSION.current()
    index = library_index(version)
    if index.version != version:
        return related_in_database(resource, limit)
    theme_ids = shared_theme_ids(resource)
    direct = index.values.get("theme-direct", {})
    tags = index.values.get("tag", {})
    weighted = [
        ((theme.pk in theme_ids) + (theme.parent_id in theme_ids), direct.get(theme.slug, 0))
        for theme in index.themes
        if theme.pk in theme_ids or theme.parent_id in theme_ids
    ]
    weighted += [(1, tags.get(tag.slug, 0)) for tag in resource.card_tags]
    same_kind = index.values.get("type", {}).get(resource.kind, 0)
    return index.best_scored(weighted, same_kind, bits_of([resource.pk]), limit)


def related_in_database(resource: Resource, limit: int = 4) -> list[int]:
    """What related_resources chooses, chosen by PostgreSQL. (Before the index chose,
    this query gave nothing for a resource without themes or tags, and counted the same
    kind once per joined theme and tag: both fixed.)"""
    theme_ids = shared_theme_ids(resource)
    tag_ids = [tag.pk for tag in resource.card_tags]
    # An empty `__in` would empty the whole query (Django's EmptyResultSet): such a
    # count is 0.
    shared = [
        Count(counted, filter=Q(**{lookup: ids}), distinct=True)
        for counted, lookup, ids in (
            ("themes", "themes__in", theme_ids),
            ("themes", "themes__parent__in", theme_ids),
            ("tags", "tags__in", tag_ids),
        )
        if ids
    ]
    return list(
        Resource.objects.published()
        .exclude(pk=resource.pk)
        .annotate(
            shared=sum(shared[1:], shared[0]) if shared else Value(0),
            same_kind=Count("pk", filter=Q(kind=resource.kind), distinct=True),
        )
        .order_by("-shared", "-same_kind", "-published_at", "-pk")
        .values_list("pk", flat=True)[:limit]
    )


def structured_data(request, resource: Resource) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Article" if not resource.is_case else "CreativeWork",
        "name": resource.title,
        "headline": resource.title,
        "description": resource.summary,
        "url": request.build_absolute_uri(resource.get_absolute_url()),
        "inLanguage": resource.language,
        "dateModified": resource.updated_at.isoformat(),
        "keywords": [tag.name for tag in resource.card_tags],
        "publisher": [
            {"@type": "Organization", "name": org.name} for org in resource.publishers.all()
        ],
    }
    if resource.published_at:
        data["datePublished"] = resource.published_at.isoformat()
    if resource.external_url:
        data["sameAs"] = resource.external_url
    encoded = json.dumps(data, ensure_ascii=False)
    # Nothing in a <script> block may close it: escape <, > and &.
    encoded = encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(encoded)  # noqa: S308 (escaped above)


@require_safe
@LIBRARY_PAGES
def resource_detail(request, slug):
    resource = get_object_or_404(Resource.objects.published().for_detail(), slug=slug)
    return render(request, "resources/resource_detail.html", detail_context(request, resource))


@never_cache
@staff_member_required
@permission_required("resources.view_resource", raise_exception=True)
def resource_preview(request, slug):
    """Any resource, whatever its status, in the public layout: for staff only."""
    resource = get_object_or_404(Resource.objects.for_detail(), slug=slug)
    context = detail_context(request, resource) | {"preview": True}
    response = render(request, "resources/resource_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def resource_document(request, slug):
    """The resource's PDF, streamed from the storage (local disk or S3 alike): only for
    a published resource, or for staff previewing a draft."""
    resources = Resource.objects.exclude(document="")
    if not request.user.has_perm("resources.view_resource"):
        resources = resources.published()
    resource = get_object_or_404(resources, slug=slug)
    try:
        file = resource.document.open("rb")
    except FileNotFoundError:
        raise Http404("Document introuvable") from None
    return FileResponse(
        file, as_attachment=True, filename=f"{slug}.pdf", content_type="application/pdf"
    )


def glossary_terms() -> list[LinkedTerm]:
    return [
        LinkedTerm(term.get_absolute_url(), term.forms)
        for term in GlossaryTerm.objects.only("name", "slug", "variants")
    ]


def detail_context(request, resource: Resource) -> dict:
    parent = (
        ("Cas pratiques", "/cas-pratiques/") if resource.is_case else ("Ressources", "/ressources/")
    )
    return {
        "resource": resource,
        "body_html": link_terms(resource.body_html, glossary_terms()),
        "related": cards_of(related_resources(resource)),
        "structured_data": structured_data(request, resource),
        "canonical_url": request.build_absolute_uri(resource.get_absolute_url()),
        "breadcrumbs": [parent, (resource.title, None)],
        "preview": False,
    }
