"""One FilterSet turns the query string into results for the catalogue page, the Atom
feed and the JSON API alike, and computes the facet counts shown beside them."""

from dataclasses import dataclass, field

import django_filters
from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.validators import slug_re as SLUG_RE
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from resources.enums import Audience, Form, Impact, Kind, Level, PartnershipMode, Usage
from resources.models import SEARCH_CONFIG, Resource, TaggedResource, Theme
from resources.search import HIGHLIGHT_START, HIGHLIGHT_STOP, unaccent
from territories.enums import SizeBand
from territories.models import region_names

MAX_QUERY_LENGTH = 200
YEARS = [str(year) for year in range(1990, 2101)]


class Sort:
    RELEVANCE = "pertinence"
    RECENT = "recent"
    TITLE = "titre"
    CHOICES = [(RELEVANCE, "Pertinence"), (RECENT, "Les plus récentes"), (TITLE, "Titre (A → Z)")]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int = 0
    selected: bool = False
    children: list = field(default_factory=list)


@dataclass
class Facet:
    param: str
    label: str
    values: list[FacetValue]
    # How many results there would be with this facet's filter removed (None: inactive).
    without_count: int | None = None

    @property
    def selected(self):
        return [v for v in self.values if v.selected] + [
            c for v in self.values for c in v.children if c.selected
        ]


def array_condition(field_name):
    return lambda values: Q(**{f"{field_name}__overlap": list(values)})


def in_condition(field_name):
    return lambda values: Q(**{f"{field_name}__in": list(values)})


def theme_condition(values):
    through = Resource.themes.through.objects.filter(resource_id=OuterRef("pk"))
    return Q(Exists(through.filter(Q(theme__slug__in=values) | Q(theme__parent__slug__in=values))))


IMPACT_FIELDS = {
    Impact.PERFORMANCE: "impact_performance",
    Impact.INNOVATION: "impact_innovation",
    Impact.TRUST: "impact_trust",
}


def tag_condition(values):
    tagged = TaggedResource.objects.filter(content_object_id=OuterRef("pk"), tag__slug__in=values)
    return Q(Exists(tagged))


class SlugListField(forms.MultipleChoiceField):
    """Any list of slugs: tags are free, their list is not known in advance."""

    def valid_value(self, value):
        return len(value) <= 100 and bool(SLUG_RE.match(value))


class SlugListFilter(django_filters.MultipleChoiceFilter):
    field_class = SlugListField


def impact_condition(values):
    condition = Q()
    for value in values:
        condition |= ~Q(**{IMPACT_FIELDS[value]: ""})
    return condition


class ResourceFilterSet(django_filters.FilterSet):
    """Facets with fixed vocabularies are counted together in one aggregate query;
    themes and years each need one grouped query."""

    q = django_filters.CharFilter(method="filter_search", label="Rechercher")
    type = django_filters.MultipleChoiceFilter(
        choices=Kind.choices, method="filter_facet", label="Type"
    )
    theme = django_filters.MultipleChoiceFilter(method="filter_facet", label="Thème")
    public = django_filters.MultipleChoiceFilter(
        choices=Audience.choices, method="filter_facet", label="Public"
    )
    usage = django_filters.MultipleChoiceFilter(
        choices=Usage.choices, method="filter_facet", label="Usage"
    )
    niveau = django_filters.MultipleChoiceFilter(
        choices=Level.choices, method="filter_facet", label="Niveau de maturité"
    )
    region = django_filters.MultipleChoiceFilter(method="filter_facet", label="Région")
    forme = django_filters.MultipleChoiceFilter(
        choices=Form.choices, method="filter_facet", label="Forme de co-construction"
    )
    mode = django_filters.MultipleChoiceFilter(
        choices=PartnershipMode.choices, method="filter_facet", label="Mode de partenariat"
    )
    tag = SlugListFilter(method="filter_facet", label="Mot-clé")
    annee = django_filters.MultipleChoiceFilter(
        choices=[(y, y) for y in YEARS], method="filter_facet", label="Année"
    )
    tri = django_filters.ChoiceFilter(
        choices=Sort.CHOICES, method="filter_noop", label="Trier par", empty_label=None
    )

    # param -> function(values) -> Q
    CONDITIONS = {
        "type": in_condition("kind"),
        "theme": theme_condition,
        "public": array_condition("audiences"),
        "usage": array_condition("usages"),
        "niveau": array_condition("levels"),
        "region": in_condition("region_id"),
        "forme": array_condition("forms"),
        "mode": array_condition("modes"),
        "annee": lambda values: Q(year__in=[int(v) for v in values]),
        "tag": tag_condition,
    }
    FACETS = [
        "type", "theme", "public", "usage", "niveau", "region", "forme", "mode", "annee", "tag",
    ]  # fmt: skip
    GROUPED_FACETS = {"theme", "annee", "tag"}
    TOP_TAGS = 15

    class Meta:
        model = Resource
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Resource.objects.published()
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["theme"].extra["choices"] = [(t.slug, t.name) for t in self.themes]
        self.filters["region"].extra["choices"] = sorted(
            region_names().items(), key=lambda item: unaccent(item[1])
        )

    @cached_property
    def themes(self) -> list[Theme]:
        return list(Theme.objects.order_by("position", "name"))

    # --- filtering -----------------------------------------------------------------

    @property
    def values(self) -> dict:
        """The valid, active parameters (unknown values are dropped)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {k: v for k, v in self.form.cleaned_data.items() if v}

    @property
    def search_text(self) -> str:
        return self.values.get("q", "").strip()[:MAX_QUERY_LENGTH]

    @property
    def query_was_shortened(self) -> bool:
        return len(self.values.get("q", "").strip()) > MAX_QUERY_LENGTH

    @cached_property
    def search_query(self) -> SearchQuery | None:
        text = self.search_text
        if not text:
            return None
        return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)

    def condition(self, exclude: str | None = None) -> Q:
        """Every active facet filter as one Q, but for the facet `exclude` (the text
        search applies to every count: see `searched`)."""
        condition = Q()
        for param, values in self.values.items():
            if param in self.CONDITIONS and param != exclude:
                condition &= self.CONDITIONS[param](values)
        return condition

    @property
    def searched(self):
        """The base queryset narrowed by the text search, if any."""
        if self.search_query is None:
            return self.queryset
        return self.queryset.filter(
            Q(search_vector=self.search_query) | Q(body_vector=self.search_query)
        )

    def filter_search(self, queryset, name, value):
        if self.search_query is None:
            return queryset
        return queryset.filter(
            Q(search_vector=self.search_query) | Q(body_vector=self.search_query)
        ).annotate(
            # Cover density rewards the query's words appearing close together.
            rank=SearchRank(F("search_vector"), self.search_query, cover_density=True)
        )

    def filter_facet(self, queryset, name, value):
        return queryset.filter(self.CONDITIONS[name](value))

    def filter_noop(self, queryset, name, value):
        return queryset

    @property
    def sort(self) -> str:
        default = Sort.RELEVANCE if self.search_query is not None else Sort.RECENT
        sort = self.values.get("tri", default)
        if sort == Sort.RELEVANCE and self.search_query is None:
            return Sort.RECENT
        return sort

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.sort == Sort.RELEVANCE:
            return queryset.order_by("-rank", "-featured", "-published_at", "-pk")
        if self.sort == Sort.TITLE:
            return queryset.order_by("title", "pk")
        return queryset.order_by("-published_at", "-pk")

    def with_highlights(self, queryset):
        """Annotate the highlighted title and summary (only call it on a page's rows:
        ts_headline is costly)."""
        if self.search_query is None:
            return queryset
        options = {
            "config": SEARCH_CONFIG,
            "start_sel": HIGHLIGHT_START,
            "stop_sel": HIGHLIGHT_STOP,
            "highlight_all": False,
            "max_words": 40,
            "min_words": 20,
        }
        return queryset.annotate(
            title_highlight=SearchHeadline(
                "title", self.search_query, **(options | {"highlight_all": True})
            ),
            summary_highlight=SearchHeadline("summary", self.search_query, **options),
        )

    # --- facets --------------------------------------------------------------------

    def facet_choices(self, param) -> list[tuple[str, str]]:
        return list(self.filters[param].field.choices)

    def aggregate_counts(self) -> dict[str, int]:
        """One query: the total and, for every fixed-vocabulary facet value, the count
        under the other facets' filters; also the count without each active facet."""
        aggregates = {"total": Count("pk", filter=self.condition())}
        for param in self.FACETS:
            if param in self.GROUPED_FACETS:
                continue
            others = self.condition(exclude=param)
            for index, (value, _label) in enumerate(self.facet_choices(param)):
                aggregates[f"{param}_{index}"] = Count(
                    "pk", filter=others & self.CONDITIONS[param]([value])
                )
        for param in self.FACETS:
            if param in self.values:
                aggregates[f"without_{param}"] = Count("pk", filter=self.condition(exclude=param))
        return self.searched.aggregate(**aggregates)

    def theme_counts(self) -> tuple[dict[int, int], dict[int, int]]:
        """Resources per theme, and per top-level theme counting its sub-themes'
        resources once each."""
        matching = self.searched.filter(self.condition(exclude="theme")).values("pk")
        through = Resource.themes.through.objects.filter(resource__in=matching)
        direct = dict(through.values_list("theme_id").annotate(n=Count("resource_id")).order_by())
        roots = dict(
            through.annotate(root=Coalesce("theme__parent_id", "theme_id"))
            .values_list("root")
            .annotate(n=Count("resource_id", distinct=True))
            .order_by()
        )
        return direct, roots

    def year_counts(self) -> dict[int, int]:
        matching = self.searched.filter(self.condition(exclude="annee"), year__isnull=False)
        return dict(matching.values_list("year").annotate(n=Count("pk")).order_by())

    def tag_values(self, chosen: set[str]) -> list[FacetValue]:
        """The most used tags under the other filters, plus any selected tag."""
        matching = self.searched.filter(self.condition(exclude="tag")).values("pk")
        rows = (
            TaggedResource.objects.filter(content_object__in=matching)
            .values_list("tag__slug", "tag__name")
            .annotate(n=Count("content_object_id"))
            .order_by("-n", "tag__name")
        )
        top = list(rows[: self.TOP_TAGS])
        values = [FacetValue(slug, name, n, slug in chosen) for slug, name, n in top]
        shown = {v.value for v in values}
        values += [FacetValue(slug, slug, 0, True) for slug in sorted(chosen - shown)]
        return values

    @cached_property
    def total(self) -> int:
        return self.facets_and_total[1]

    @cached_property
    def facets(self) -> list[Facet]:
        return self.facets_and_total[0]

    @cached_property
    def facets_and_total(self):
        counts = self.aggregate_counts()
        selected = {param: set(values) for param, values in self.values.items()}
        facets = []
        for param in self.FACETS:
            facet = Facet(param, self.filters[param].label, [])
            if param == "theme":
                facet.values = self.theme_values(selected.get("theme", set()))
            elif param == "tag":
                facet.values = self.tag_values(selected.get("tag", set()))
            elif param == "annee":
                years = self.year_counts()
                chosen = selected.get("annee", set())
                facet.values = [
                    FacetValue(str(y), str(y), n, str(y) in chosen)
                    for y, n in sorted(years.items(), reverse=True)
                ]
                facet.values += [
                    FacetValue(y, y, 0, True) for y in sorted(chosen) if int(y) not in years
                ]
            else:
                chosen = selected.get(param, set())
                facet.values = [
                    FacetValue(value, label, counts[f"{param}_{index}"], value in chosen)
                    for index, (value, label) in enumerate(self.facet_choices(param))
                ]
            facet.without_count = counts.get(f"without_{param}")
            facets.append(facet)
        return facets, counts["total"]

    def theme_values(self, chosen: set[str]) -> list[FacetValue]:
        direct, roots = self.theme_counts()
        top = {}
        for theme in self.themes:
            if theme.parent_id is None:
                count = roots.get(theme.pk, 0)
                top[theme.pk] = FacetValue(theme.slug, theme.name, count, theme.slug in chosen)
        for theme in self.themes:
            if theme.parent_id in top:
                top[theme.parent_id].children.append(
                    FacetValue(
                        theme.slug, theme.name, direct.get(theme.pk, 0), theme.slug in chosen
                    )
                )
        return list(top.values())


class CaseFilterSet(ResourceFilterSet):
    """The case base: the same search, with the case facets."""

    taille = django_filters.MultipleChoiceFilter(
        choices=SizeBand.choices, method="filter_facet", label="Taille de commune"
    )
    impact = django_filters.MultipleChoiceFilter(
        choices=Impact.choices, method="filter_facet", label="Impact"
    )

    CONDITIONS = ResourceFilterSet.CONDITIONS | {
        "taille": in_condition("size_band"),
        "impact": impact_condition,
    }
    FACETS = ["region", "taille", "forme", "impact", "theme", "annee", "tag"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Resource.objects.published().cases()
        super().__init__(data, queryset=queryset, **kwargs)
        for name in ("type", "public", "usage", "niveau", "mode"):
            del self.filters[name]
