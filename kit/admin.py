"""The kit in the admin, in French: the order of everything is a number ("ordre")
edited in the lists and inlines."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from kit.models import Parcours, Step, Use, UseItem
from resources.models import GlossaryTerm


class UseItemInline(admin.TabularInline):
    model = UseItem
    extra = 1
    autocomplete_fields = ["resource"]
    fields = ["position", "resource", "why"]


@admin.register(Use)
class UseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "summary", "position"]
    list_editable = ["position"]
    inlines = [UseItemInline]
    fields = ["usage", "summary", "audience", "introduction", "position"]
    view_on_site = True


class StepInline(admin.StackedInline):
    model = Step
    extra = 0
    autocomplete_fields = ["resource"]
    fields = [
        ("position", "kind", "duration_minutes"),
        "resource", "title", "why", "outcome", "body", "link_url",
    ]  # fmt: skip


@admin.register(Parcours)
class ParcoursAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "usage", "level", "start_here", "position", "preview"]
    list_editable = ["position"]
    list_filter = ["status", "usage", "level"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StepInline]
    view_on_site = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "introduction", "status", "position"]}),
        ("Pour qui", {"fields": ["audience", "level", "usage", "start_here", "diagnostic_axes"]}),
        ("Lien et source", {"fields": ["external_url", "external_label", "source"]}),
    ]

    @admin.display(description="aperçu")
    def preview(self, parcours):
        return format_html('<a href="{}">Aperçu</a>', reverse("kit:preview", args=[parcours.slug]))


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["name", "source"]
    search_fields = ["name", "variants", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["resources"]
    fields = ["name", "slug", "variants", "definition", "source", "source_url", "resources"]
