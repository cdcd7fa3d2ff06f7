from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from diagnostics.statistics import MIN_GROUP, territory_statistics
from observatory import opendata
from observatory.caching import cache_dashboard_page, cache_observatory_page
from rameau_site.caching import OBSERVATORY_LIVE
from observatory.enums import Theme
from observatory.figures import figure_for
from observatory.filters import ObservationFilterSet
from observatory.models import Indicator, Observation
from resources.api import page_of, read_only_api, valid_filters
from resources.enums import Level
from territories.enums import SizeBand
from territories.models import region_names

PER_FIGURE = 20  # observations per indicator on the dashboard (all on its own page)
FIGURES_PER_THEME = 12  # on the unfiltered dashboard; the others are listed as links
INDICATOR_PAGE_SIZE = 200


def live_statistics() -> dict:
    """The diagnostics' aggregates, refreshed at most every 5 minutes."""
    return OBSERVATORY_LIVE.get_or_compute("all", territory_statistics)


@require_safe
@cache_dashboard_page
def dashboard(request):
    filterset = ObservationFilterSet(request.GET or None)
    observations = (
        filterset.qs.annotate(
            rank=Window(RowNumber(), partition_by=[F("indicator_id")],
                        order_by=[F("wave").asc(nulls_first=True), F("pk").asc()])
        )
        .filter(rank__lte=PER_FIGURE + 1)
        .order_by("indicator__theme", "indicator__position", "indicator__slug", "rank")
    )  # fmt: skip
    query = filterset.query
    figures = []
    for indicator, group in groupby(observations, key=lambda o: o.indicator):
        group = list(group)
        figures.append(figure_for(indicator, group[:PER_FIGURE], query, len(group) > PER_FIGURE))
    # Indicators chosen by name are all shown; otherwise a few per theme, the rest linked.
    limit = None if filterset.cleaned.get("indicateur") else FIGURES_PER_THEME
    themes = []
    for value, label in Theme.choices:
        in_theme = [f for f in figures if f.indicator.theme == value]
        themes.append(
            (label, in_theme[:limit], [f.indicator for f in in_theme[limit:]] if limit else [])
        )
    stats = live_statistics()
    context = {
        "filterset": filterset,
        "themes": [theme for theme in themes if theme[1]],
        "key_figures": key_figures(figures) if not filterset.active else [],
        "view": filterset.view,
        "csv_query": urlencode(query, doseq=True),
        "live": live_tables(stats),
        "min_group": MIN_GROUP,
        "live_total": stats["total"],
    }
    return render(request, "observatory/dashboard.html", context)


def key_figures(figures) -> list:
    """For each theme, the highest national value of its first indicator."""
    chosen, seen = [], set()
    for figure in figures:
        if figure.indicator.theme in seen or figure.has_demo:
            continue
        seen.add(figure.indicator.theme)
        national = [r for r in figure.rows if r.observation.region_id is None]
        if national:
            chosen.append((figure, max(national, key=lambda r: r.observation.value)))
    return chosen


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
    }


@require_safe
@cache_observatory_page
def indicator_detail(request, slug):
    indicator = get_object_or_404(Indicator, slug=slug)
    observations = (
        Observation.objects.for_display()
        .filter(indicator=indicator)
        .order_by(
            F("wave").asc(nulls_first=True),
            "population",
            "breakdown",
            "breakdown_value",
            "region_id",
        )
    )
    page = Paginator(observations, INDICATOR_PAGE_SIZE).get_page(request.GET.get("page"))
    figure = figure_for(indicator, list(page.object_list), {}) if page.object_list else None
    return render(
        request,
        "observatory/indicator.html",
        {"indicator": indicator, "figure": figure, "page": page,
         "embed_url": request.build_absolute_uri(reverse("observatory:embed", args=[slug]))},
    )  # fmt: skip


@require_safe
@xframe_options_exempt
@csp_override(settings.SECURE_CSP | {"frame-ancestors": ["*"]})
@cache_observatory_page
def indicator_embed(request, slug):
    indicator = get_object_or_404(Indicator, slug=slug)
    observations = list(Observation.objects.for_display().filter(indicator=indicator)[:PER_FIGURE])
    figure = figure_for(indicator, observations, {}) if observations else None
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
