from django import forms
from django.contrib import admin
from import_export.formats.base_formats import CSV, XLSX

from observatory.importers import ObservationImport
from observatory.models import Indicator, KeyFigure, Observation, Source
from resources.admin_imports import FrenchImportExportMixin


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "year"]
    search_fields = ["title", "organisation"]
    autocomplete_fields = ["resource"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["title", "headline", "unit", "theme", "position"]
    list_filter = ["theme", "unit"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "slug"]


class ObservationForm(forms.ModelForm):
    class Meta:
        model = Observation
        fields = [
            "indicator", "wave", "wave_label", "region", "population", "breakdown",
            "breakdown_value", "value", "n", "note", "source", "is_demo", "part_of",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("indicator"):
            # The database checks the value against the unit: set it before validating.
            self.instance.unit = cleaned["indicator"].unit
        whole = cleaned.get("part_of")
        if whole and cleaned.get("indicator") and whole.indicator_id != cleaned["indicator"].pk:
            self.add_error("part_of", "La valeur d’ensemble doit être du même indicateur.")
        return cleaned


@admin.register(Observation)
class ObservationAdmin(FrenchImportExportMixin, admin.ModelAdmin):
    form = ObservationForm
    resource_classes = [ObservationImport]
    formats = [CSV, XLSX]
    list_display = ["indicator", "wave", "region", "population", "breakdown_value", "value", "n",
                    "is_demo"]  # fmt: skip
    list_filter = ["indicator", "population", "is_demo", "wave"]
    list_select_related = ["indicator", "region"]
    search_fields = ["indicator__title", "breakdown_value", "note"]
    autocomplete_fields = ["indicator", "source", "part_of"]
    show_facets = admin.ShowFacets.ALWAYS

    def get_queryset(self, request):
        # The observation's name (autocomplete, key figures) shows its indicator.
        return super().get_queryset(request).select_related("indicator")


@admin.register(KeyFigure)
class KeyFigureAdmin(admin.ModelAdmin):
    """The key figures of the home page and the observatory: an observation each (its
    value, source and wave come with it), in the order given, with a short wording."""

    list_display = ["position", "wording", "observation"]
    list_display_links = ["wording"]
    list_editable = ["position"]
    list_select_related = ["observation__indicator"]
    autocomplete_fields = ["observation"]
    fields = ["observation", "wording", "position"]
