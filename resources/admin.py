"""The library's newsroom: resources and cases with their workflow (roles decide who
publishes), history, import/export, tag hygiene and link state."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from taggit.models import Tag as TaggitTag

from resources.admin_imports import FrenchImportExportMixin
from resources.enums import Audience, Form, Kind, Level, PartnershipMode, Status, Usage
from resources.french import french_date
from resources.goals import Goal
from resources.importers import ResourceImportExport
from resources.link_kinds import HOME_PAGE_REGEX, link_kind_label
from resources.models import Organisation, Resource, StatusChange, Tag, Theme
from resources.services import (
    resource_refresh_derived,
    resources_set_featured,
    resources_set_status,
    status_change_record,
    tags_merge,
)
from resources.workflow import (
    PUBLISH_PERMISSION,
    TransitionRefused,
    allowed_statuses,
    transition_check,
)


def choice_list_field(choices, label):
    return forms.TypedMultipleChoiceField(
        choices=choices, label=label, required=False, widget=forms.CheckboxSelectMultiple
    )


def goal_list_field():
    return forms.TypedMultipleChoiceField(
        choices=Goal.choices,
        coerce=int,
        label="Objectifs de développement durable (ODD)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
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
        {
            "fields": [
                "themes",
                "tags",
                "new_tags",
                "audiences",
                "usages",
                "levels",
                "forms",
                "modes",
                "goals",
            ]
        },  # fmt: skip
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


class TagAutocomplete(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attrs=None):
        # A forged or mistyped value must redisplay the form, not crash the widget.
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attrs)


class ResourceAdminForm(forms.ModelForm):
    tags = forms.ModelMultipleChoiceField(
        Tag.objects.all(),
        label="Mots-clés",
        required=False,
        widget=TagAutocomplete(Resource._meta.get_field("tags"), admin.site),
        help_text="Tapez quelques lettres : les mots-clés existants, les plus utilisés d’abord.",
    )
    new_tags = forms.CharField(
        label="Nouveaux mots-clés",
        required=False,
        help_text="Seulement s’il n’existe rien d’approchant ci-dessus ; séparés par des virgules.",
    )

    audiences = choice_list_field(Audience.choices, "Publics")
    usages = choice_list_field(Usage.choices, "Usages")
    levels = choice_list_field(Level.choices, "Niveaux de maturité")
    forms = choice_list_field(Form.choices, "Formes de co-construction")
    modes = choice_list_field(PartnershipMode.choices, "Modes de partenariat")
    goals = goal_list_field()
    actor_types = choice_list_field(Audience.choices, "Acteurs impliqués")
    # Set by ResourceAdmin.get_form from the person's role and the resource's status.
    can_publish = False
    current_status = None

    class Meta:
        model = Resource
        fields = [
            name for _, options in FIELDSETS for name in options["fields"] if name != "new_tags"
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = [tag.pk for tag in self.instance.tags.all()]
        if "status" in self.fields:
            allowed = allowed_statuses(self.current_status, can_publish=self.can_publish)
            self.fields["status"].choices = [c for c in Status.choices if c[0] in allowed]

    def clean_status(self):
        status = self.cleaned_data["status"]
        try:
            transition_check(self.current_status, status, can_publish=self.can_publish)
        except TransitionRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return status

    def clean_new_tags(self):
        names = [n.strip() for n in self.cleaned_data["new_tags"].split(",") if n.strip()]
        if any(len(name) > 100 for name in names):
            raise forms.ValidationError("Un mot-clé fait au plus 100 caractères.")
        return names

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Status.PUBLISHED and not cleaned.get("published_at"):
            if "published_at" in self.fields:
                cleaned["published_at"] = timezone.now()
            self.instance.published_at = self.instance.published_at or timezone.now()
        return cleaned

    def all_tags(self) -> list:
        tags = list(self.cleaned_data.get("tags") or [])
        for name in self.cleaned_data.get("new_tags") or []:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            tags.append(tag)
        return tags


class ConditionsFilter(admin.SimpleListFilter):
    """A list filter whose choices are the named conditions of CONDITIONS, with counts."""

    CONDITIONS: dict[str, Q] = {}

    def queryset(self, request, queryset):
        if self.value() in self.CONDITIONS:
            return queryset.filter(self.CONDITIONS[self.value()])
        return queryset

    def get_facet_counts(self, pk_attname, filtered_qs):
        return {
            f"{i}__c": Count(pk_attname, filter=self.CONDITIONS[value])
            for i, (value, _label) in enumerate(self.lookup_choices)
        }


class LinkStateFilter(ConditionsFilter):
    title = "état du lien"
    parameter_name = "lien"
    CONDITIONS = {
        "casse": Q(link_checked_at__isnull=False)
        & (Q(link_status__isnull=True) | Q(link_status__gte=400)),
        "ok": Q(link_checked_at__isnull=False, link_status__lt=400),
        "non-verifie": Q(link_checked_at__isnull=True) & ~Q(external_url=""),
        "sans-lien": Q(external_url=""),
    }

    def lookups(self, request, model_admin):
        return [
            ("casse", "Cassé"),
            ("ok", "Vérifié, valide"),
            ("non-verifie", "Jamais vérifié"),
            ("sans-lien", "Sans lien externe"),
        ]


class ToCompleteFilter(ConditionsFilter):
    """Resources whose access staff should complete: a link to a site's home page rather
    than the document, no year, or no document at all (neither a deep link nor a PDF)."""

    title = "à compléter"
    parameter_name = "a_completer"
    HOME_PAGE_LINK = Q(external_url__iregex=HOME_PAGE_REGEX)
    NO_DOCUMENT = (Q(external_url="") | HOME_PAGE_LINK) & Q(document="")
    CONDITIONS = {
        "tout": HOME_PAGE_LINK | Q(year__isnull=True) | NO_DOCUMENT,
        "lien-accueil": HOME_PAGE_LINK,
        "sans-annee": Q(year__isnull=True),
        "sans-document": NO_DOCUMENT,
    }

    def lookups(self, request, model_admin):
        return [
            ("tout", "Au moins un point à compléter"),
            ("lien-accueil", "Lien vers la page d’accueil d’un site"),
            ("sans-annee", "Sans année"),
            ("sans-document", "Sans document (ni lien direct, ni PDF)"),
        ]


class CaseFilter(admin.SimpleListFilter):
    title = "nature"
    parameter_name = "nature"

    def lookups(self, request, model_admin):
        return [("ressources", "Ressources"), ("cas", "Cas pratiques")]

    def queryset(self, request, queryset):
        if self.value() == "cas":
            return queryset.filter(kind=Kind.CASE)
        if self.value() == "ressources":
            return queryset.exclude(kind=Kind.CASE)
        return queryset

    def get_facet_counts(self, pk_attname, filtered_qs):
        return {
            "0__c": Count(pk_attname, filter=~Q(kind=Kind.CASE)),
            "1__c": Count(pk_attname, filter=Q(kind=Kind.CASE)),
        }


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Parcours éditorial (qui a changé le statut, et quand)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


def history_value_label(field, value) -> str:
    """A stored value as staff read it in the history: the label of a code ("Publié",
    not "publie"), a French date, "(vide)" rather than None."""
    if value is None or value == "" or value == []:
        return "(vide)"
    if isinstance(value, list | tuple):
        return ", ".join(history_value_label(field, item) for item in value)
    choices = getattr(field, "choices", None) or getattr(
        getattr(field, "base_field", None), "choices", None
    )
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return french_date(value, with_time=True)
    if isinstance(value, datetime.date):
        return french_date(value)
    return str(value)


class FrenchHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        return history_value_label(field, super().prepare_delta_change_value(change, value))


@admin.register(Resource)
class ResourceAdmin(FrenchImportExportMixin, SimpleHistoryAdmin):
    form = ResourceAdminForm
    resource_classes = [ResourceImportExport]
    formats = [CSV, XLSX]
    list_display = [
        "title", "kind", "status_badge", "year_display", "published_at", "featured", "link_kind",
        "link_state",
    ]  # fmt: skip
    list_filter = [
        CaseFilter, ToCompleteFilter, "kind", "status", "themes", "year", LinkStateFilter,
        "featured", "region", "size_band",
    ]  # fmt: skip
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["title", "summary", "slug", "external_url"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes", "publishers"]
    autocomplete_fields = ["commune"]
    date_hierarchy = "published_at"
    list_per_page = 50
    fieldsets = FIELDSETS
    inlines = [StatusChangeInline]
    actions = ["submit_for_review", "publish", "unpublish", "archive", "feature", "unfeature"]
    object_history_list_template = "admin/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return FrenchHistoryHelper(self.model, historical_record)

    # --- roles ---------------------------------------------------------------------

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_change_permission(self, request, obj=None):
        # Published content changes only through review: an editor reads a published
        # resource or case (scheduled ones included) but cannot save it.
        if obj is not None and obj.pk and not self.has_publish_permission(request):
            stored = Resource.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
            if stored == Status.PUBLISHED:
                return False
        return super().has_change_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a version is a change: the same rule as the change form.
        if request.method == "POST":
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        resource = self.get_object(request, object_id)
        if (
            resource is not None
            and request.method == "GET"
            and resource.status == Status.PUBLISHED
            and not self.has_publish_permission(request)
        ):
            self.message_user(
                request,
                "Cette ressource est publiée\u00a0: elle est en lecture seule pour vous. "
                "Une modification du contenu publié passe par un administrateur, qui la "
                "relit avant publication\u00a0; transmettez-lui les changements souhaités.",
                messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["link_report"] if obj else []
        if not self.has_publish_permission(request):
            readonly += ["published_at", "featured"]
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        if obj:
            access = fieldsets[1][1]
            access["fields"] = [*access["fields"], "link_report"]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # From the database: when a version is restored, `obj` holds the old values.
        current = (
            Resource.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
            if obj and obj.pk
            else None
        )
        return type(
            form.__name__,
            (form,),
            {"can_publish": self.has_publish_permission(request), "current_status": current},
        )

    # --- saving --------------------------------------------------------------------

    def save_form(self, request, form, change):
        resource = super().save_form(request, form, change)
        save_m2m = form.save_m2m

        def save_m2m_then_refresh():
            # The chosen tags plus the new ones, set once with the other relations.
            form.cleaned_data["tags"] = form.all_tags()
            save_m2m()
            resource_refresh_derived(resource=resource)

        # Also runs when a version is restored from the history (which has no save_related).
        form.save_m2m = save_m2m_then_refresh
        return resource

    def save_model(self, request, obj, form, change):
        if change and not self.has_publish_permission(request):
            # Publication fields are not the editor's to change, not even by restoring
            # an old version.
            current = Resource.objects.values("published_at", "featured").get(pk=obj.pk)
            obj.published_at, obj.featured = current["published_at"], current["featured"]
        super().save_model(request, obj, form, change)
        status_change_record(resource=obj, from_status=form.current_status, by=request.user)

    def view_on_site(self, obj):
        return reverse("resources:preview", args=[obj.slug])

    # --- list ----------------------------------------------------------------------

    @admin.display(description="statut", ordering="status")
    def status_badge(self, obj):
        label = obj.get_status_display()
        if (
            obj.status == Status.PUBLISHED
            and obj.published_at
            and obj.published_at > timezone.now()
        ):
            label = f"Programmé ({obj.published_at:%d/%m/%Y})"
        return label

    @admin.display(description="année", ordering="year")
    def year_display(self, obj):
        return str(obj.year) if obj.year else "—"  # not "2 024"

    @admin.display(description="accès")
    def link_kind(self, obj):
        if obj.document:
            return "document PDF"
        return link_kind_label(obj.external_url).lower() or "—"

    @admin.display(description="lien", ordering="link_status")
    def link_state(self, obj):
        if not obj.external_url:
            return "—"
        if obj.link_checked_at is None:
            return "non vérifié"
        return "cassé" if obj.link_is_broken else "valide"

    @admin.display(description="dernière vérification du lien")
    def link_report(self, obj):
        if not obj.external_url:
            return "Pas de lien externe."
        if obj.link_checked_at is None:
            return "Jamais vérifié (manage.py check_links)."
        when = timezone.localtime(obj.link_checked_at).strftime("%d/%m/%Y %H:%M")
        status = f"HTTP {obj.link_status}" if obj.link_status else obj.link_error or "erreur"
        return format_html("{} — {}", when, status)

    # --- bulk actions (each respects the roles) ------------------------------------

    def set_status(self, request, queryset, status, verb):
        changed, refused = resources_set_status(resources=queryset, status=status, by=request.user)
        self.message_user(request, f"{changed} ressource(s) {verb}.", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                f"{refused} ressource(s) laissée(s) telle(s) quelle(s) : "
                "ce changement de statut n’est pas prévu depuis leur statut actuel.",
                messages.WARNING,
            )

    @admin.action(description="Soumettre pour relecture", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.set_status(request, queryset, Status.REVIEW, "soumise(s) pour relecture")

    @admin.action(description="Publier", permissions=["publish"])
    def publish(self, request, queryset):
        self.set_status(request, queryset, Status.PUBLISHED, "publiée(s)")

    @admin.action(description="Dépublier (retour en brouillon)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self.set_status(request, queryset, Status.DRAFT, "dépubliée(s)")

    @admin.action(description="Archiver", permissions=["publish"])
    def archive(self, request, queryset):
        self.set_status(request, queryset, Status.ARCHIVED, "archivée(s)")

    @admin.action(description="Mettre en avant", permissions=["publish"])
    def feature(self, request, queryset):
        changed = resources_set_featured(resources=queryset, featured=True)
        self.message_user(request, f"{changed} ressource(s) mise(s) en avant.", messages.SUCCESS)

    @admin.action(description="Ne plus mettre en avant", permissions=["publish"])
    def unfeature(self, request, queryset):
        changed = resources_set_featured(resources=queryset, featured=False)
        self.message_user(
            request, f"{changed} ressource(s) retirée(s) de la une.", messages.SUCCESS
        )


# taggit's own Tag model is unused (the library has its own, with a real foreign key).
admin.site.unregister(TaggitTag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "usage"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(usage_count=Count("tagged_resources"))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.order_by("-usage_count", "name")
        return queryset, may_have_duplicates

    @admin.display(description="ressources", ordering="usage_count")
    def usage(self, obj):
        return obj.usage_count

    @admin.action(description="Fusionner les mots-clés sélectionnés…", permissions=["delete"])
    def merge(self, request, queryset):
        tags = list(queryset.order_by("-usage_count", "name"))
        if len(tags) < 2:
            self.message_user(request, "Choisissez au moins deux mots-clés.", messages.WARNING)
            return None
        if "apply" in request.POST:
            target = next((t for t in tags if str(t.pk) == request.POST.get("target")), None)
            if target is not None:
                count = tags_merge(target=target, sources=tags)
                self.message_user(
                    request,
                    f"{len(tags) - 1} mot(s)-clé(s) fusionné(s) dans « {target.name} » ; "
                    f"{count} ressource(s) re-étiquetée(s).",
                    messages.SUCCESS,
                )
                return None
        context = self.admin_site.each_context(request) | {
            "title": "Fusionner des mots-clés",
            "tags": tags,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/resources/tag/merge.html", context)


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
