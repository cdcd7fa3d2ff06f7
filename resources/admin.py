"""A first curation admin for the library (workflow, roles, history, import and link
checking come with the staff-curation work)."""

from django import forms
from django.contrib import admin

from resources.enums import Audience, Form, Level, PartnershipMode, Usage
from resources.models import Organisation, Resource, Theme
from resources.services import resource_refresh_derived


def choice_list_field(choices, label):
    return forms.TypedMultipleChoiceField(
        choices=choices, label=label, required=False, widget=forms.CheckboxSelectMultiple
    )


FIELDSETS = [
    (None, {"fields": ["title", "slug", "kind", "summary", "body"]}),
    (
        "Accès",
        {
            "fields": [
                "external_url",
                "document",
                "publishers",
                "year",
                "publication_date",
                "language",
                "duration",
                "cost",
            ]
        },
    ),
    (
        "Classement",
        {"fields": ["themes", "tags", "audiences", "usages", "levels", "forms", "modes"]},
    ),
    (
        "Cas pratique",
        {
            "classes": ["collapse"],
            "fields": [
                "commune",
                "region",
                "size_band",
                "territory_name",
                "is_fictional",
                "actor_types",
                "start_year",
                "actions",
                "impact_performance",
                "impact_innovation",
                "impact_trust",
            ],
        },
    ),
    ("Publication", {"fields": ["status", "published_at", "featured"]}),
]


class ResourceAdminForm(forms.ModelForm):
    audiences = choice_list_field(Audience.choices, "Publics")
    usages = choice_list_field(Usage.choices, "Usages")
    levels = choice_list_field(Level.choices, "Niveaux de maturité")
    forms = choice_list_field(Form.choices, "Formes de co-construction")
    modes = choice_list_field(PartnershipMode.choices, "Modes de partenariat")
    actor_types = choice_list_field(Audience.choices, "Acteurs impliqués")

    class Meta:
        model = Resource
        fields = [name for _, options in FIELDSETS for name in options["fields"]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == "publie" and not cleaned.get("published_at"):
            self.add_error("published_at", "Indiquez la date de publication.")
        return cleaned


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    list_display = ["title", "kind", "status", "year", "published_at", "featured"]
    list_filter = ["kind", "status", "featured", "year", "themes"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes", "publishers"]
    autocomplete_fields = ["commune"]
    date_hierarchy = "published_at"
    list_select_related = []
    fieldsets = FIELDSETS

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        resource_refresh_derived(resource=form.instance)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "position"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "url"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
