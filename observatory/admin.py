from django import forms
from django.contrib import admin
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from observatory.caching import observatory_changed
from observatory.importers import ObservationImport
from observatory.models import Indicator, Observation, Source


class ChangesObservatory:
    """Any change renews the cached observatory pages."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        observatory_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        observatory_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        observatory_changed()


@admin.register(Source)
class SourceAdmin(ChangesObservatory, admin.ModelAdmin):
    list_display = ["title", "organisation", "year"]
    search_fields = ["title", "organisation"]
    autocomplete_fields = ["resource"]


@admin.register(Indicator)
class IndicatorAdmin(ChangesObservatory, admin.ModelAdmin):
    list_display = ["title", "slug", "unit", "theme", "position"]
    list_filter = ["theme", "unit"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "slug"]


class ObservationForm(forms.ModelForm):
    class Meta:
        model = Observation
        fields = [
            "indicator", "wave", "wave_label", "region", "population", "breakdown",
            "breakdown_value", "value", "n", "note", "source", "is_demo",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("indicator"):
            # The database checks the value against the unit: set it before validating.
            self.instance.unit = cleaned["indicator"].unit
        return cleaned


@admin.register(Observation)
class ObservationAdmin(ChangesObservatory, ImportExportMixin, admin.ModelAdmin):
    form = ObservationForm
    resource_classes = [ObservationImport]
    formats = [CSV, XLSX]
    list_display = ["indicator", "wave", "region", "population", "breakdown_value", "value", "n",
                    "is_demo"]  # fmt: skip
    list_filter = ["indicator", "population", "is_demo", "wave"]
    list_select_related = ["indicator", "region"]
    search_fields = ["indicator__title", "breakdown_value", "note"]
    autocomplete_fields = ["indicator", "source"]
    show_facets = admin.ShowFacets.ALWAYS

    def process_result(self, result, request):
        response = super().process_result(result, request)
        observatory_changed()
        return response
