from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Prefetch
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from diagnostics.enums import ActorType
from diagnostics.statistics import MIN_GROUP, territory_statistics
from observatory import opendata
from observatory.enums import POPULATION_LABELS, Theme
from observatory.figures import display_value, figure_for, key_figures, series_keys, wave_text
from observatory.filters import ObservationFilterSet
from observatory.models import Indicator, KeyFigure, Observation, Source
from rameau_site.caching import DASHBOARD_PAGES, OBSERVATORY_LIVE, OBSERVATORY_PAGES
from resources.api import page_of, read_only_api, valid_filters
from resources.enums import Level
from resources.models import Resource
from territories.enums import SizeBand
from territories.models import region_names

PER_FIGURE = 20  # observations per indicator on the dashboard (all on its own page)
FIGURES_PER_THEME = 12  # on the unfiltered dashboard; the others are listed as links
INDICATOR_PAGE_SIZE = 200


def live_statistics() -> dict:
    """The diagnostics' aggregates, refreshed at most every 5 minutes."""
    return OBSERVATORY_LIVE.get_or_compute("all", territory_statistics)


def first_observations(observations):
    """Each indicator's first PER_FIGURE + 1 `observations` (by wave, then as entered),
    as an array of ids: a subquery per indicator stopping at the figure's size, instead
    of numbering every observation of the site (a window over all 100,000 generated ones
    took 183 ms of PostgreSQL a dashboard, most of it sorting them)."""
    return ArraySubquery(
        observations.filter(indicator_id=OuterRef("pk"))
        .order_by(F("wave").asc(nulls_first=True), "pk")
        .values("pk")[: PER_FIGURE + 1]
    )


@require_safe
@DASHBOARD_PAGES
def dashboard(request):
    filterset = ObservationFilterSet(request.GET or None)
    indicators = [
        indicator
        for indicator in Indicator.objects.annotate(firsts=first_observations(filterset.qs))
        .order_by("theme", "position", "slug")
        if indicator.firsts
    ]  # fmt: skip
    # Indicators chosen by name are all shown; otherwise a few per theme, the rest linked.
    limit = None if filterset.cleaned.get("indicateur") else FIGURES_PER_THEME
    by_theme = {value: [] for value, _ in Theme.choices}
    for indicator in indicators:
        by_theme.get(indicator.theme, []).append(indicator)
    shown = [indicator for in_theme in by_theme.values() for indicator in in_theme[:limit]]
    # Only the shown figures' observations are read and drawn (12 of 100 indicators at
    # scale). On the bench data (cpu_page.py, BUST=1, interleaved with the old code, floor
    # 1.1-1.5 ms): from 276-306 to 62-66 ms of CPU, its database time (wall - CPU) from
    # 170-190 to 33-37 ms, with the Jinja2 figures.
    observations = (
        filterset.qs.filter(pk__in=[pk for i in shown for pk in i.firsts])
        .order_by("indicator__theme", "indicator__position", "indicator__slug",
                  F("wave").asc(nulls_first=True), "pk")
    )  # fmt: skip
    query = filterset.query
    # A population or region chosen shows part of each indicator: no headline then.
    complete = not (filterset.cleaned.get("population") or filterset.cleaned.get("region"))
    groups = {
        indicator.pk: list(group)
        for indicator, group in groupby(observations, key=lambda o: o.indicator)
    }
    keys = series_keys([indicator.pk for indicator in shown])
    figures = {
        pk: figure_for(group[0].indicator, group[:PER_FIGURE], query, len(group) > PER_FIGURE,
                       complete, keys.get(pk))
        for pk, group in groups.items()
    }  # fmt: skip
    themes = [
        (label, [figures[i.pk] for i in by_theme[value][:limit] if i.pk in figures],
         by_theme[value][limit:] if limit else [])
        for value, label in Theme.choices
    ]  # fmt: skip
    stats = live_statistics()
    context = {
        "filterset": filterset,
        "themes": [theme for theme in themes if theme[1]],
        "key_figures": key_figures() if not filterset.active else [],
        "view": filterset.view,
        "csv_query": urlencode(query, doseq=True),
        "live": live_tables(stats),
        "min_group": MIN_GROUP,
        "live_total": stats["total"],
    }
    return render(request, "observatory/dashboard.html", context)


def live_tables(stats) -> dict:
    regions = region_names()
    levels = Level.choices
    axes = ["vision", "ecosysteme", "action", "moyens", "evaluation"]

    def rows(groups, names):
        return [
            {"name": names.get(key, key or "Non renseigné"), "group": group,
             "levels": [group["levels"].get(value) for value, _ in levels],
             "axes": [group["axes"].get(code) for code in axes]}
            for key, group in sorted(groups.items(), key=lambda item: names.get(item[0], "") or "")
        ]  # fmt: skip

    return {
        "levels": [label for _, label in levels],
        "axes": ["Vision", "Écosystème", "Action", "Moyens", "Évaluation"],
        "by_region": rows(stats["by_region"], regions),
        "by_size_band": rows(stats["by_size_band"], dict(SizeBand.choices)),
        "by_actor_type": rows(stats["by_actor_type"], dict(ActorType.choices)),
        "collective_total": stats["collective_total"],
        "columns": 1 + len(levels) + len(axes),
    }


@require_safe
def sources(request):
    """Every source the site cites: the surveys behind the observatory's figures (what is
    taken from each, on which indicator) and the documents behind the library's
    resources (which page presents each). Four queries, however many sources."""
    observations = Observation.objects.select_related("indicator").order_by(
        "indicator__theme", "indicator__position", "wave", "pk"
    )
    survey_sources = Source.objects.select_related("resource").prefetch_related(
        Prefetch("observation_set", queryset=observations, to_attr="cited")
    )
    key_ids = set(KeyFigure.objects.values_list("observation_id", flat=True))
    surveys = [
        {"source": source, "indicators": cited_by_indicator(source.cited, key_ids)}
        for source in survey_sources
    ]
    used_by = {}
    for item in surveys:
        if item["source"].resource_id:
            used_by.setdefault(item["source"].resource_id, []).extend(
                indicator for indicator, _ in item["indicators"]
            )
    documents = [
        {"resource": resource, "indicators": used_by.get(resource.pk, []),
         "kind": kind_in_sentence(resource.get_kind_display())}
        for resource in Resource.objects.published()
        .filter(is_fictional=False)
        .prefetch_related("publishers")
        .only("title", "slug", "kind", "year", "publication_date", "external_url", "document")
        .order_by("title")
    ]  # fmt: skip
    context = {"surveys": surveys, "documents": documents,
               "breadcrumbs": [("Sources citées", None)]}  # fmt: skip
    return render(request, "observatory/sources.html", context)


KEY_FIGURE_NOTE = "chiffre clé de la page d’accueil et de l’observatoire"


def cited_by_indicator(observations, key_ids=frozenset()) -> list:
    """[(indicator, ["69 % (Citoyens, PHARE 2015 ; chiffre clé …)", ...])] in the
    indicators' order. A regional value names its region; an indicator's demonstration
    values are summed up in one line ("18 valeurs régionales (données de démonstration)")."""
    grouped: dict = {}
    for o in observations:
        grouped.setdefault(o.indicator, []).append(o)
    return [(indicator, cited_values(values, key_ids)) for indicator, values in grouped.items()]


def cited_values(observations, key_ids) -> list[str]:
    if len(observations) > 1 and all(o.is_demo for o in observations):
        regional = all(o.region_id for o in observations)
        kind = "valeurs régionales" if regional else "valeurs"
        return [f"{len(observations)} {kind} (données de démonstration)"]
    texts = []
    for o in observations:
        text = display_value(o.value, o.indicator.unit, o.indicator.decimals)
        detail = [POPULATION_LABELS.get(o.population, o.population)]
        if o.breakdown_value:
            detail.append(o.breakdown_value)
        if o.region_id:
            detail.append(region_names().get(o.region_id, o.region_id))
        detail.append(wave_text(o))
        if o.is_demo:
            detail.append("donnée de démonstration")
        where = f"\u00a0; {KEY_FIGURE_NOTE}" if o.pk in key_ids else ""
        texts.append(f"{text} ({', '.join(detail)}{where})")
    return texts


def kind_in_sentence(label: str) -> str:
    """ "Étude" reads "étude" inside a sentence; an acronym ("MOOC / formation") stays."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def with_relations(observations: list, indicator: Indicator) -> list:
    """The page's observations given their indicator and their sources (one query for
    the few sources) rather than a copy of each joined to every row: at 200 rows, the
    page's observations read in 5.5-6.7 instead of 9.3-10.8 ms of CPU (in-process, best
    of 5 x 20). Region names come from region_names()."""
    sources = Source.objects.in_bulk({o.source_id for o in observations})
    for o in observations:
        o.indicator, o.source = indicator, sources[o.source_id]
    return observations


@require_safe
@OBSERVATORY_PAGES
def indicator_detail(request, slug):
    indicator = get_object_or_404(Indicator, slug=slug)
    observations = Observation.objects.filter(indicator=indicator).order_by(
        F("wave").asc(nulls_first=True),
        "population",
        "breakdown",
        "breakdown_value",
        "region_id",
    )
    page = Paginator(observations, INDICATOR_PAGE_SIZE).get_page(request.GET.get("page"))
    figure = None
    if page.object_list:
        figure = figure_for(
            indicator, with_relations(list(page.object_list), indicator), {},
            complete=page.paginator.num_pages == 1,
            keys=series_keys([indicator.pk]).get(indicator.pk),
        )  # fmt: skip
    return render(
        request,
        "observatory/indicator.html",
        {"indicator": indicator, "figure": figure, "page": page,
         "embed_url": request.build_absolute_uri(reverse("observatory:embed", args=[slug]))},
    )  # fmt: skip


@require_safe
@xframe_options_exempt
@csp_override(settings.SECURE_CSP | {"frame-ancestors": ["*"]})
@OBSERVATORY_PAGES
def indicator_embed(request, slug):
    indicator = get_object_or_404(Indicator, slug=slug)
    observations = list(
        Observation.objects.for_display().filter(indicator=indicator)[: PER_FIGURE + 1]
    )
    figure = None
    if observations:
        truncated = len(observations) > PER_FIGURE
        keys = series_keys([indicator.pk]).get(indicator.pk)
        figure = figure_for(indicator, observations[:PER_FIGURE], {}, truncated, keys=keys)
    return render(request, "observatory/embed.html", {"indicator": indicator, "figure": figure})


@require_safe
def observations_csv(request):
    filterset = ObservationFilterSet(request.GET or None)
    response = StreamingHttpResponse(
        opendata.csv_rows(filterset.qs), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="observatoire-partenariats.csv"'
    return response


@require_safe
def datapackage(request):
    return JsonResponse(
        opendata.datapackage(request.build_absolute_uri(reverse("observatory:csv"))),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )


@read_only_api
def observations_api(request):
    filterset = valid_filters(ObservationFilterSet(request.GET or None))
    page = page_of(Paginator(filterset.qs.order_by("pk"), 100), request.GET.get("page"))
    base = request.build_absolute_uri(reverse("observatory:api"))
    params = request.GET.copy()

    def link(number):
        params["page"] = number
        return f"{base}?{params.urlencode()}"

    return JsonResponse(
        {
            "count": page.paginator.count,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [opendata.observation_json(o) for o in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )
