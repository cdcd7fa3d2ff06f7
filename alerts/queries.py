"""What an alert watches, kept as the normalised query string of the page it came
from, and read back through that page's own FilterSet: the catalogue's
(resources/filters.py), the agenda's or the directory's (network/filters.py)."""

from urllib.parse import urlencode

from django.http import QueryDict

from network.filters import EventFilterSet, ProfileFilterSet
from resources.filters import ResourceFilterSet
from resources.index import LibraryIndex, library_index

# The order and the page change what is shown first, not which items match.
NOT_SAVED = {"tri", "page"}


def normalised(values: dict) -> str:
    """Valid, active parameters as a query string, keys and values sorted: the same
    search always gives the same text (one alert, not two)."""
    pairs = []
    for key in sorted(values):
        if key in NOT_SAVED:
            continue
        value = values[key]
        items = sorted(str(v) for v in value) if isinstance(value, list | tuple) else [value]
        pairs += [(key, str(item).strip()) for item in items if str(item).strip()]
    return urlencode(pairs)


class SavedSearch(ResourceFilterSet):
    """The catalogue's FilterSet, given the library index to use: many searches (a
    digest run, a page listing several alerts) then read the library's version once,
    not once each. Nothing else differs from the catalogue page."""

    def __init__(self, data, *, index: LibraryIndex):
        self.index = index  # the parent's cached_property, set before it is first read
        super().__init__(data)


def search_filterset(query: str, index: LibraryIndex | None = None) -> ResourceFilterSet:
    return SavedSearch(QueryDict(query), index=index or library_index())


def search_query(params: QueryDict, index: LibraryIndex | None = None) -> str:
    """The catalogue's parameters as an alert keeps them (unknown values dropped, as
    the page drops them)."""
    return normalised(search_filterset(params.urlencode(), index).values)


def search_labels(query: str, index: LibraryIndex | None = None) -> list[str]:
    """The search in words: « Recherche : … », « Thème : … » (the facets' own labels,
    without counting anything)."""
    filterset = search_filterset(query, index)
    labels = []
    if filterset.search_text:
        labels.append(f"Recherche\u00a0: «\u00a0{filterset.search_text}\u00a0»")
    names = filterset.index.tags | {theme.slug: theme.name for theme in filterset.themes}
    for spec in filterset.FACET_SPECS:
        chosen = filterset.values.get(spec.param)
        if chosen:
            choices = dict(filterset.filters[spec.param].field.choices)
            shown = [str(choices.get(value) or names.get(value, value)) for value in chosen]
            labels.append(f"{spec.label}\u00a0: {', '.join(shown)}")
    return labels


def agenda_filterset(query: str, queryset) -> EventFilterSet:
    return EventFilterSet(QueryDict(query), queryset=queryset)


def agenda_query(params: QueryDict) -> str:
    filterset = EventFilterSet(params)
    if not filterset.is_valid():
        return ""
    return normalised({k: v for k, v in filterset.form.cleaned_data.items() if v})


def agenda_labels(query: str) -> list[str]:
    filterset = EventFilterSet(QueryDict(query))
    if filterset.is_valid() and (kind := filterset.form.cleaned_data.get("type")):
        label = dict(filterset.filters["type"].extra["choices"])[kind]
        return [f"Type d’événement\u00a0: {label}"]
    return []


def directory_filterset(query: str, queryset=None) -> ProfileFilterSet:
    if queryset is None:
        return ProfileFilterSet(QueryDict(query))
    return ProfileFilterSet(QueryDict(query), queryset=queryset)


def directory_query(params: QueryDict) -> str:
    """The directory's facets (a region, a trade...) as an alert keeps them."""
    return normalised(directory_filterset(params.urlencode()).values)


def directory_labels(query: str) -> list[str]:
    filterset = directory_filterset(query)
    labels = []
    for param in filterset.FACETS:
        chosen = filterset.values.get(param)
        if chosen:
            choices = dict(filterset.filters[param].extra["choices"])
            shown = [str(choices.get(value, value)) for value in chosen]
            labels.append(f"{filterset.filters[param].label}\u00a0: {', '.join(shown)}")
    return labels
