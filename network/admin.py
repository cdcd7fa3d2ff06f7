"""The agenda in the admin, in French: filters by type, publication and date."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from network.models import Event, Registration


class RegistrationInline(admin.TabularInline):
    """Who registered on the site, for administrators (personal data: not editors)."""

    model = Registration
    extra = 0
    fields = ["name", "email", "organisation", "status", "created_at", "confirmed_at"]
    readonly_fields = ["created_at", "confirmed_at"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "where", "is_published", "preview"]
    list_filter = ["kind", "is_published", "online"]
    search_fields = ["title", "description", "organiser", "place"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["resources"]
    inlines = [RegistrationInline]
    view_on_site = False  # an unpublished event has no public page: the preview instead
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "description", "organiser", "is_published"]}),
        ("Quand", {"fields": [("starts_at", "ends_at")]}),
        ("Où", {"fields": ["online", "place", "online_url"]}),
        ("Inscription", {"fields": ["registration_url", "capacity"]}),
        ("Après l’événement", {"fields": ["replay_url", "resources"]}),
    ]

    @admin.display(description="lieu")
    def where(self, event):
        return "En ligne" if event.online else event.place

    @admin.display(description="aperçu")
    def preview(self, event):
        return format_html('<a href="{}">Aperçu</a>', reverse("network:preview", args=[event.slug]))
