"""One FilterSet turns the observatory's query string into observations for the
dashboard, the CSV download and the JSON API alike."""

import django_filters
from django import forms
from django.db.models import Q

from observatory.enums import Population
from observatory.models import Indicator, Observation
from territories.models import region_names

VIEWS = [("graphique", "Graphique et tableau"), ("tableau", "Tableau seul")]


class ObservationFilterSet(django_filters.FilterSet):
    indicateur = django_filters.ModelMultipleChoiceFilter(
        field_name="indicator__slug",
        to_field_name="slug",
        queryset=Indicator.objects.all(),
        label="Indicateur",
    )
    population = django_filters.MultipleChoiceFilter(
        choices=Population.choices, label="Population interrogée"
    )
    region = django_filters.MultipleChoiceFilter(
        field_name="region_id", method="filter_region", label="Région"
    )
    vue = django_filters.ChoiceFilter(
        choices=VIEWS, method="filter_noop", label="Affichage", empty_label=None,
        widget=forms.RadioSelect,
    )  # fmt: skip

    FRANCE = "france"

    class Meta:
        model = Observation
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Observation.objects.for_display()
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["region"].extra["choices"] = [(self.FRANCE, "France entière")] + sorted(
            region_names().items(), key=lambda item: item[1]
        )

    def filter_region(self, queryset, name, values):
        codes = [v for v in values if v != self.FRANCE]
        condition = Q(region_id__in=codes)
        if self.FRANCE in values:
            condition |= Q(region__isnull=True)
        return queryset.filter(condition)

    def filter_noop(self, queryset, name, value):
        return queryset

    @property
    def cleaned(self) -> dict:
        """The valid parameters ({} when unbound or invalid)."""
        return self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}

    @property
    def view(self) -> str:
        return self.cleaned.get("vue") or "graphique"

    @property
    def active(self) -> bool:
        return any(self.cleaned.get(name) for name in ("indicateur", "population", "region"))

    @property
    def query(self) -> dict:
        """The population and region chosen, as query parameters (for CSV links)."""
        return {name: self.cleaned[name] for name in ("population", "region")
                if self.cleaned.get(name)}  # fmt: skip
