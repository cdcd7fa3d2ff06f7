"""The agenda in the admin, in French: filters by type, publication and date. The
directory's profiles: moderated once their author has confirmed them, the address never
shown."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from network.admin_registrations import RegistrantsAdminMixin
from network.enums import ProfileStatus, Trade
from network.models import Event, Profile, Registration
from network.services import profile_territory_refresh, profiles_publish, profiles_refuse


class RegistrationInline(admin.TabularInline):
    """Who registered on the site, for administrators (personal data: not editors)."""

    model = Registration
    extra = 0
    fields = ["name", "email", "organisation", "status", "created_at", "confirmed_at",
              "waiting_since", "reminded_at"]  # fmt: skip
    readonly_fields = ["created_at", "confirmed_at", "waiting_since", "reminded_at"]


@admin.register(Event)
class EventAdmin(RegistrantsAdminMixin, admin.ModelAdmin):
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
        ("Inscription", {"fields": ["registration_url", "capacity", "registration_closes_at"]}),
        ("Après l’événement", {"fields": ["replay_url", "resources"]}),
    ]

    @admin.display(description="lieu")
    def where(self, event):
        return "En ligne" if event.online else event.place

    @admin.display(description="aperçu")
    def preview(self, event):
        return format_html('<a href="{}">Aperçu</a>', reverse("network:preview", args=[event.slug]))


class ProfileAdminForm(forms.ModelForm):
    trades = forms.MultipleChoiceField(
        label="Métiers", choices=Trade.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = Profile
        fields = [  # never the address
            "name", "slug", "profile_type", "organisation", "structure_kind", "trades",
            "themes", "regions", "departements", "communes", "presentation", "website",
            "is_demo", "resources",
        ]  # fmt: skip


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = ProfileAdminForm
    list_display = ["name", "profile_type", "structure_kind", "status", "confirmed_at", "page"]
    list_filter = ["status", "profile_type", "structure_kind", "is_demo"]
    search_fields = ["name", "organisation"]
    actions = ["publish", "refuse"]
    autocomplete_fields = ["communes", "themes", "resources"]
    filter_horizontal = ["regions", "departements"]
    readonly_fields = ["status", "created_at", "confirmed_at", "published_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "profile_type", "organisation", "structure_kind"]}),
        ("Métiers et thèmes", {"fields": ["trades", "themes"]}),
        ("Territoire couvert", {"fields": ["regions", "departements", "communes"]}),
        ("Présentation", {"fields": ["presentation", "website", "is_demo"]}),
        ("Liée à", {"fields": ["resources"]}),
        ("Modération", {"fields": readonly_fields}),
    ]

    def get_queryset(self, request):
        # A proposal whose author has not confirmed it yet is nobody's business.
        return super().get_queryset(request).moderated()

    def has_add_permission(self, request):
        return False  # profiles come from their authors (/reseau/proposer/)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        profile_territory_refresh(profile=form.instance)

    @admin.display(description="fiche publique")
    def page(self, profile):
        if profile.status != ProfileStatus.PUBLISHED:
            return "—"
        return format_html('<a href="{}">Voir</a>', profile.get_absolute_url())

    @admin.action(description="Publier les fiches sélectionnées", permissions=["change"])
    def publish(self, request, queryset):
        count = profiles_publish(queryset)
        self.message_user(request, f"{count} fiche(s) publiée(s).", messages.SUCCESS)

    @admin.action(description="Refuser les fiches sélectionnées", permissions=["change"])
    def refuse(self, request, queryset):
        count = profiles_refuse(queryset)
        self.message_user(request, f"{count} fiche(s) refusée(s).", messages.SUCCESS)
