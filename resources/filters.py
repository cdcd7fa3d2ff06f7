"""One FilterSet turns the query string into results for the catalogue page, the Atom
feed and the JSON API alike, and computes the facet counts shown beside them.

The form validates the parameters; the matching, counting and ordering are done on the
process's library index (resources/index.py), and only the page's rows are read from
PostgreSQL."""

import re
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.core.validators import slug_re as SLUG_RE
from django.utils.functional import cached_property

from rameau_site.caching import FILTER_FORMS
from resources.cards import cards_of
from resources.enums import Kind
from resources.facets import FacetSpec, facets_of
from resources.index import (
    RANKED_CELL_LIMIT,
    LibraryIndex,
    check_phrases,
    ids_of,
    library_index,
    parse_query,
    positive_words,
    rank_in_database,
)
from resources.models import SEARCH_CONFIG, Resource, Theme
from resources.search import (
    HEADLINE_MAX_WORDS,
    HEADLINE_MIN_WORDS,
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    highlight,
    unaccent,
)
from territories.models import region_names

MAX_QUERY_LENGTH = 200
REPEATED_MINUS = re.compile(r"-[\s-]*-")
YEAR_CHOICES = [(str(year), str(year)) for year in range(1990, 2101)]


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
    def has_choices(self) -> bool:
        """Whether any value is worth a checkbox (no heading over an empty group)."""
        return any(
            v.count or v.selected or any(c.selected for c in v.children) for v in self.values
        )

    @property
    def selected(self):
        return [v for v in self.values if v.selected] + [
            c for v in self.values for c in v.children if c.selected
        ]


class FacetChoiceField(django_filters.fields.MultipleChoiceField):
    """A facet's field, whose choices every form shares: a form deep-copies its fields,
    and copying the choices (111 years, 18 regions...) took 0.45 of the 0.63 ms a
    catalogue page spent building its form (in-process at 100,000 resources; with its
    fields built once, FILTER_FORMS, reading the query string went from 1.60 to 0.75
    ms). No form changes a field's choices."""

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)


class FacetFilter(django_filters.MultipleChoiceFilter):
    field_class = FacetChoiceField


class SlugListField(forms.MultipleChoiceField):
    """Any list of slugs: tags are free, their list is not known in advance."""

    def valid_value(self, value):
        return len(value) <= 100 and bool(SLUG_RE.match(value))


class SlugListFilter(django_filters.MultipleChoiceFilter):
    field_class = SlugListField


class ResourceFilterSet(django_filters.FilterSet):
    """Within a facet, several values widen (OR); facets combine (AND); each facet's
    counts apply every active filter but its own."""

    q = django_filters.CharFilter(label="Rechercher")
    tri = django_filters.ChoiceFilter(choices=Sort.CHOICES, label="Trier par", empty_label=None)

    # The facet filters come from the registry (resources/facets.py), in this page's order.
    FACET_SPECS = facets_of("catalogue")
    TOP_TAGS = 15

    class Meta:
        model = Resource
        fields = []

    def __init__(self, data=None, **kwargs):
        super().__init__(data, queryset=Resource.objects.none(), **kwargs)
        self.facet_choices, self.form_class = FILTER_FORMS.get_or_compute(
            (tuple(spec.param for spec in self.FACET_SPECS), self.index.version,
             self.index.built_at),
            self.form_setup,
        )  # fmt: skip
        for spec in self.FACET_SPECS:
            facet_filter = self.facet_filter(spec, self.facet_choices.get(spec.param))
            facet_filter.model, facet_filter.parent = Resource, self
            self.filters[spec.param] = facet_filter

    @property
    def FACETS(self) -> list[str]:
        return [spec.param for spec in self.FACET_SPECS]

    def form_setup(self) -> tuple[dict, type]:
        """The choices of each facet and the form class validating the query string:
        the same for every search on one library index (FILTER_FORMS)."""
        choices = {
            spec.param: self.choices_of(spec) for spec in self.FACET_SPECS if spec.values != "tags"
        }
        fields = {name: facet_filter.field for name, facet_filter in self.filters.items()}
        fields |= {
            spec.param: self.facet_filter(spec, choices.get(spec.param)).field
            for spec in self.FACET_SPECS
        }
        return choices, type(f"{type(self).__name__}Form", (self._meta.form,), fields)

    def get_form_class(self):
        return self.form_class

    def choices_of(self, spec: FacetSpec) -> list[tuple[str, str]]:
        if spec.values == "themes":
            return [(t.slug, t.name) for t in self.themes]
        if spec.values == "regions":
            return sorted(region_names().items(), key=lambda item: unaccent(item[1]))
        if spec.values == "years":
            return YEAR_CHOICES
        return spec.choices.choices

    def facet_filter(self, spec: FacetSpec, choices) -> django_filters.Filter:
        """The form field of a facet: its valid values (any slug for tags)."""
        if spec.values == "tags":
            return SlugListFilter(label=spec.label)
        return FacetFilter(choices=choices, label=spec.label)

    @cached_property
    def themes(self) -> list[Theme]:
        return self.index.themes

    @cached_property
    def index(self) -> LibraryIndex:
        return library_index()

    def scope(self) -> int:
        """The resources this catalogue shows at most."""
        return self.index.published

    # --- parameters ----------------------------------------------------------------

    @cached_property
    def values(self) -> dict:
        """The valid, active parameters (unknown values are dropped)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {k: v for k, v in self.form.cleaned_data.items() if v}

    @property
    def search_text(self) -> str:
        # A run of "-" means no more than one to websearch_to_tsquery, but overflows its
        # stack from about 33 on.
        return REPEATED_MINUS.sub("-", self.values.get("q", "").strip()[:MAX_QUERY_LENGTH])

    @property
    def query_was_shortened(self) -> bool:
        return len(self.values.get("q", "").strip()) > MAX_QUERY_LENGTH

    @cached_property
    def search_query(self) -> SearchQuery | None:
        text = self.search_text
        if not text:
            return None
        return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)

    @property
    def sort(self) -> str:
        default = Sort.RELEVANCE if self.search_query is not None else Sort.RECENT
        sort = self.values.get("tri", default)
        if sort == Sort.RELEVANCE and self.search_query is None:
            return Sort.RECENT
        return sort

    # --- matching ------------------------------------------------------------------

    @cached_property
    def parsed_query(self):
        return parse_query(self.search_text) if self.search_text else None

    @cached_property
    def searched(self) -> int:
        """The resources in scope matching the text search (all of them without one).
        A query of stop words only ("le", "de") matches nothing, as in PostgreSQL."""
        if not self.search_text:
            return self.scope()
        if self.parsed_query is None:
            return 0
        matches, exact = self.index.evaluate(self.parsed_query)
        matches &= self.scope()
        if not exact:
            matches = check_phrases(matches, self.search_text, self.parsed_query, self.index)
        return matches

    def facet_bits(self, param: str) -> int:
        """The resources having any of the chosen values of one facet."""
        chosen = self.index.values.get(param, {})
        bits = 0
        for value in self.values[param]:
            bits |= chosen.get(str(value), 0)
        return bits

    def matching(self, exclude: str | None = None) -> int:
        """The search's matches under every active facet but `exclude`."""
        bits = self.searched
        for param in self.FACETS:
            if param in self.values and param != exclude:
                bits &= self.facet_bits(param)
        return bits

    @cached_property
    def selected(self) -> int:
        return self.matching()

    @cached_property
    def total(self) -> int:
        return self.selected.bit_count()

    # --- results -------------------------------------------------------------------

    def page_ids(self, offset: int, limit: int) -> list[int]:
        """The ids of results `offset` to `offset + limit`, in the chosen order: by
        relevance, the resources holding the query's words in their title or tags come
        before those holding them in their summary, then in their body (see
        index.FIELD_WEIGHTS); within equal scores, by PostgreSQL's ranking when they
        are few, else by date. The other orders: by date, by title."""
        if limit <= 0 or not self.total:
            return []
        if self.sort != Sort.RELEVANCE:
            order = "title" if self.sort == Sort.TITLE else "recent"
            return self.index.take(self.selected, order, offset, limit)
        ids = []
        words = positive_words(self.parsed_query)
        for _score, bits in self.index.score_cells(self.selected, words):
            count = bits.bit_count()
            if offset >= count:
                offset -= count
                continue
            wanted = limit - len(ids)
            if count <= RANKED_CELL_LIMIT:
                ids += rank_in_database(ids_of(bits), self.search_text, offset, wanted)
            else:
                ids += self.index.take(bits, "relevance", offset, wanted)
            offset = 0
            if len(ids) == limit:
                break
        return ids

    @cached_property
    def results(self) -> "Results":
        return Results(self)

    @cached_property
    def cards(self) -> "Cards":
        return Cards(self)

    @property
    def qs(self):
        return self.results

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
            "max_words": HEADLINE_MAX_WORDS,
            "min_words": HEADLINE_MIN_WORDS,
        }
        return queryset.annotate(
            title_highlight=SearchHeadline(
                "title", self.search_query, **(options | {"highlight_all": True})
            ),
            summary_highlight=SearchHeadline("summary", self.search_query, **options),
        )

    # --- facets --------------------------------------------------------------------

    def counted_values(self, param: str, choices, counts: dict) -> list[FacetValue]:
        chosen = {str(v) for v in self.values.get(param, [])}
        return [
            FacetValue(value, label, counts.get(value, 0), value in chosen)
            for value, label in choices
        ]

    def index_keys(self, spec: FacetSpec) -> list[str]:
        return ["theme", "theme-direct"] if spec.values == "themes" else [spec.param]

    @cached_property
    def facets(self) -> list[Facet]:
        # A facet not filtering counts under the same set as the results (one pass).
        unders = {
            spec.param: self.matching(exclude=spec.param) if spec.param in self.values
            else self.selected
            for spec in self.FACET_SPECS
        }  # fmt: skip
        counts = self.index.value_counts(
            {key: unders[spec.param] for spec in self.FACET_SPECS for key in self.index_keys(spec)}
        )
        facets = []
        for spec in self.FACET_SPECS:
            param = spec.param
            facet = Facet(param, spec.label, [])
            if spec.values == "themes":
                facet.values = self.theme_values(counts["theme"], counts["theme-direct"])
            elif spec.values == "tags":
                facet.values = self.tag_values(counts[param])
            elif spec.values == "years":
                facet.values = self.year_values(counts[param])
            else:
                choices = self.filters[param].extra["choices"]
                facet.values = self.counted_values(param, choices, counts[param])
            if param in self.values:
                facet.without_count = unders[param].bit_count()
            facets.append(facet)
        return facets

    def theme_values(self, every: dict, direct: dict) -> list[FacetValue]:
        """Top-level themes count their sub-themes' resources, each once (`every`: the
        counts of a theme with its sub-themes, `direct`: of a theme alone)."""
        chosen = set(self.values.get("theme", []))
        top = {}
        for theme in self.themes:
            if theme.parent_id is None:
                count = every.get(theme.slug, 0)
                top[theme.pk] = FacetValue(theme.slug, theme.name, count, theme.slug in chosen)
        for theme in self.themes:
            if theme.parent_id in top:
                count = direct.get(theme.slug, 0)
                top[theme.parent_id].children.append(
                    FacetValue(theme.slug, theme.name, count, theme.slug in chosen)
                )
        return list(top.values())

    def year_values(self, counted: dict) -> list[FacetValue]:
        chosen = set(self.values.get("annee", []))
        counts = {year: n for year, n in counted.items() if n}
        values = [
            FacetValue(year, year, n, year in chosen)
            for year, n in sorted(counts.items(), key=lambda item: int(item[0]), reverse=True)
        ]
        return values + [FacetValue(y, y, 0, True) for y in sorted(chosen) if y not in counts]

    def tag_values(self, counted: dict) -> list[FacetValue]:
        """The most used tags under the other filters, plus any selected tag."""
        chosen = set(self.values.get("tag", []))
        names = self.index.tags
        counts = [(n, names.get(slug, slug), slug) for slug, n in counted.items() if n]
        counts.sort(key=lambda item: (-item[0], item[1]))
        values = [
            FacetValue(slug, name, n, slug in chosen) for n, name, slug in counts[: self.TOP_TAGS]
        ]
        shown = {v.value for v in values}
        values += [
            FacetValue(slug, names.get(slug, slug), 0, True) for slug in sorted(chosen - shown)
        ]
        return values


class Results:
    """The results of a FilterSet as a sequence that a Paginator slices: a slice reads
    only its rows from PostgreSQL (cards, with highlights when searching)."""

    def __init__(self, filterset: ResourceFilterSet):
        self.filterset = filterset

    def __len__(self):
        return self.filterset.total

    count = __len__

    def __getitem__(self, item):
        if isinstance(item, int):
            rows = self[item : item + 1]
            if not rows:
                raise IndexError(item)
            return rows[0]
        start, stop, _step = item.indices(len(self))
        ids = self.filterset.page_ids(start, max(stop - start, 0))
        if not ids:
            return []
        rows = self.filterset.with_highlights(Resource.objects.filter(pk__in=ids)).for_cards()
        by_id = {resource.pk: resource for resource in rows}
        page = [by_id[pk] for pk in ids if pk in by_id]
        for resource in page:
            if hasattr(resource, "title_highlight"):
                resource.title_html = highlight(resource.title_highlight)
                resource.summary_html = highlight(resource.summary_highlight)
        return page

    def __iter__(self):
        return iter(self[:])

    def first(self):
        return self[0] if len(self) else None


class Cards(Results):
    """The results as cards (plain objects) for the catalogue's pages."""

    def __getitem__(self, item):
        if isinstance(item, int):
            return super().__getitem__(item)
        start, stop, _step = item.indices(len(self))
        return cards_of(self.filterset.page_ids(start, max(stop - start, 0)), self.filterset)


class CaseFilterSet(ResourceFilterSet):
    """The case base: the same search, with the case facets."""

    FACET_SPECS = facets_of("cases")

    def scope(self) -> int:
        return self.index.values.get("type", {}).get(Kind.CASE.value, 0) & self.index.published
