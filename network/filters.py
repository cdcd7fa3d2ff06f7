import django_filters
from django.db import connection
from django.db.models import Count
from django.utils.functional import cached_property

from network.enums import EventKind, ProfileType, StructureKind, Trade
from network.models import Event, Profile
from resources.filters import Facet, FacetValue
from resources.models import Theme
from resources.search import unaccent
from territories.models import region_names


class EventFilterSet(django_filters.FilterSet):
    """The agenda's query string: a type of event (anything else is ignored, never an
    error page)."""

    type = django_filters.ChoiceFilter(
        field_name="kind", choices=EventKind.choices, label="Type d’événement"
    )

    class Meta:
        model = Event
        fields = []


class ProfileFilterSet(django_filters.FilterSet):
    """The directory's query string: region, trade, theme, kind of structure and type of
    profile. Several values of one facet widen (OR), facets combine (AND), and each
    facet's counts apply every active filter but its own, as in the catalogue. Unknown
    values are dropped, never an error page."""

    region = django_filters.MultipleChoiceFilter(
        label="Région", method="filter_array", field_name="region_codes"
    )
    metier = django_filters.MultipleChoiceFilter(
        label="Métier", choices=Trade.choices, method="filter_array", field_name="trades"
    )
    theme = django_filters.MultipleChoiceFilter(
        label="Thème", field_name="themes__slug", distinct=False, method="filter_theme"
    )
    structure = django_filters.MultipleChoiceFilter(
        label="Type de structure", choices=StructureKind.choices, field_name="structure_kind"
    )
    type = django_filters.MultipleChoiceFilter(
        label="Type de fiche", choices=ProfileType.choices, field_name="profile_type"
    )

    FACETS = ["region", "metier", "theme", "structure", "type"]

    class Meta:
        model = Profile
        fields = []

    def __init__(self, data=None, **kwargs):
        kwargs.setdefault("queryset", Profile.objects.published())
        super().__init__(data, **kwargs)
        self.filters["region"].extra["choices"] = sorted(
            region_names().items(), key=lambda item: unaccent(item[1])
        )
        self.filters["theme"].extra["choices"] = self.theme_choices

    @cached_property
    def theme_choices(self) -> list[tuple[str, str]]:
        return list(Theme.objects.filter(parent=None).values_list("slug", "name"))

    def filter_array(self, queryset, name, value):
        return queryset.filter(**{f"{name}__overlap": value}) if value else queryset

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        linked = Profile.themes.through.objects.filter(theme__slug__in=value)
        return queryset.filter(pk__in=linked.values("profile_id"))

    @cached_property
    def values(self) -> dict:
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {k: v for k, v in self.form.cleaned_data.items() if v}

    def matching(self, exclude: str | None = None):
        queryset = self.queryset
        for param in self.FACETS:
            if param in self.values and param != exclude:
                queryset = self.filters[param].filter(queryset, self.values[param])
        return queryset

    @cached_property
    def qs(self):
        return self.matching().order_by("name", "pk")

    def counts(self, param: str) -> dict[str, int]:
        """Each value's count under every active filter but this facet's: one query."""
        ids = self.matching(exclude=param).order_by().values("pk")
        if param in ("region", "metier"):
            column = "region_codes" if param == "region" else "trades"
            sql, params = ids.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT v, count(*) FROM {Profile._meta.db_table} p, unnest(p.{column}) v "
                    f"WHERE p.id IN ({sql}) GROUP BY v",
                    params,
                )
                return dict(cursor.fetchall())
        if param == "theme":
            rows = (
                Profile.themes.through.objects.filter(profile_id__in=ids)
                .values_list("theme__slug")
                .annotate(n=Count("profile_id"))
            )
            return dict(rows)
        column = "structure_kind" if param == "structure" else "profile_type"
        rows = Profile.objects.filter(pk__in=ids).values_list(column).annotate(n=Count("pk"))
        return dict(rows.order_by())

    @cached_property
    def facets(self) -> list[Facet]:
        facets = []
        for param in self.FACETS:
            counts, chosen = self.counts(param), set(self.values.get(param, []))
            values = [
                FacetValue(str(value), str(label), counts.get(value, 0), value in chosen)
                for value, label in self.filters[param].extra["choices"]
            ]
            facets.append(Facet(param, self.filters[param].label, values))
        return facets
