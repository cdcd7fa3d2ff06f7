"""Staff edit the questionnaire (a version in service is frozen), read responses
(anonymised export), and map weak axes to library resources."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from import_export import fields, resources
from import_export.formats.base_formats import CSV, XLSX

from diagnostics.enums import QuestionnaireStatus
from diagnostics.models import (
    Action,
    Axis,
    Campaign,
    Choice,
    Question,
    Questionnaire,
    Recommendation,
    Response,
    Roadmap,
)
from diagnostics.services import questionnaire_copy
from resources.admin_imports import FrenchExportMixin


class FrozenMixin:
    """No change to a version in service or retired: its responses depend on it."""

    def questionnaire_of(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.questionnaire_of(obj).is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.questionnaire_of(obj).is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if obj is not None and self.questionnaire_of(obj).is_frozen:
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class AxisInline(FrozenMixin, admin.TabularInline):
    model = Axis
    fields = ["position", "code", "name", "weight", "description"]
    extra = 0

    def questionnaire_of(self, obj):
        return obj


@admin.register(Questionnaire)
class QuestionnaireAdmin(FrozenMixin, admin.ModelAdmin):
    list_display = ["version", "title", "status", "published_at", "response_count"]
    inlines = [AxisInline]
    actions = ["new_version", "publish"]
    readonly_fields = ["status", "published_at"]

    def questionnaire_of(self, obj):
        return obj

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("responses"))

    @admin.display(description="réponses", ordering="n")
    def response_count(self, obj):
        return obj.n

    @admin.action(description="Créer une nouvelle version (copie modifiable)", permissions=["add"])
    def new_version(self, request, queryset):
        for questionnaire in queryset:
            copy = questionnaire_copy(questionnaire=questionnaire)
            self.message_user(request, f"Version {copy.version} créée, en préparation.")

    @admin.action(
        description="Mettre en service (retire la version en service)", permissions=["add"]
    )
    def publish(self, request, queryset):
        if queryset.count() != 1 or queryset.get().status != QuestionnaireStatus.DRAFT:
            self.message_user(
                request, "Choisissez une seule version en préparation.", messages.WARNING
            )
            return
        with transaction.atomic():
            Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).update(
                status=QuestionnaireStatus.RETIRED
            )
            queryset.update(status=QuestionnaireStatus.PUBLISHED, published_at=timezone.now())
        self.message_user(request, "Version mise en service.", messages.SUCCESS)


class ChoiceInline(FrozenMixin, admin.TabularInline):
    model = Choice
    fields = ["position", "label", "kind", "points"]
    extra = 0

    def questionnaire_of(self, obj):
        return obj.axis.questionnaire


@admin.register(Question)
class QuestionAdmin(FrozenMixin, admin.ModelAdmin):
    list_display = ["text", "axis", "position", "weight", "condition_question"]
    list_filter = ["axis__questionnaire", "axis__code"]
    list_select_related = ["axis", "condition_question"]
    search_fields = ["text"]
    inlines = [ChoiceInline]
    raw_id_fields = ["condition_question"]

    def questionnaire_of(self, obj):
        return obj.axis.questionnaire


class ResponseExport(resources.ModelResource):
    """Anonymised: no token, no commune, no dates finer than the month."""

    version = fields.Field(attribute="questionnaire__version", column_name="version")
    month = fields.Field(column_name="mois")
    role = fields.Field(attribute="role", column_name="role")
    actor_type = fields.Field(attribute="actor_type", column_name="type_acteur")
    region = fields.Field(attribute="region_id", column_name="region")
    size_band = fields.Field(attribute="size_band", column_name="taille_commune")
    consent = fields.Field(attribute="consent", column_name="consentement_statistiques")
    overall = fields.Field(attribute="overall_score", column_name="score_global")
    level = fields.Field(attribute="level", column_name="niveau")

    class Meta:
        model = Response
        fields = ["version", "month", "role", "actor_type", "region", "size_band", "consent",
                  "overall", "level"]  # fmt: skip

    def dehydrate_month(self, response):
        return response.created_at.strftime("%Y-%m")


@admin.register(Response)
class ResponseAdmin(FrenchExportMixin, admin.ModelAdmin):
    resource_classes = [ResponseExport]
    formats = [CSV, XLSX]
    list_display = ["__str__", "questionnaire", "region", "size_band", "level", "completed_at"]
    list_filter = [
        "questionnaire", "region", "level", ("completed_at", admin.EmptyFieldListFilter),
        "consent", "is_demo",
    ]  # fmt: skip
    list_select_related = ["questionnaire", "region"]
    show_facets = admin.ShowFacets.ALWAYS
    date_hierarchy = "created_at"
    exclude = ["token", "snapshot", "join_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["axis_code", "level"]
    list_filter = ["axis_code", "level"]
    filter_horizontal = ["themes", "tags"]
    autocomplete_fields = ["resources"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Shared diagnostics, read only: no token (the organiser's page is theirs), no
    synthesis, no participant's answers; deletion goes through the organiser's page."""

    list_display = ["name", "commune", "completed_count", "status", "created_at", "is_demo"]
    list_filter = ["is_demo", ("closed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["commune"]
    search_fields = ["name", "commune__name"]
    date_hierarchy = "created_at"
    fields = ["name", "commune", "questionnaire", "closes_on", "closed_at", "created_at",
              "completed_count", "is_demo"]  # fmt: skip

    @admin.display(description="statut")
    def status(self, obj):
        return "Ouvert" if obj.is_open() else "Clos"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """The action catalogue roadmaps' "trajectoire" is chosen from."""

    list_display = ["title", "axis_code", "max_points", "position", "is_published"]
    list_editable = ["position", "is_published"]
    list_filter = ["axis_code", "is_published"]
    search_fields = ["title", "why", "first_step"]
    ordering = ["position", "pk"]
    filter_horizontal = ["questions"]
    autocomplete_fields = ["resources"]


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    """Roadmaps, read only: no token, no owner's answers, only what was chosen."""

    list_display = ["__str__", "owner_kind", "created_at", "frozen_at"]
    list_filter = [("frozen_at", admin.EmptyFieldListFilter)]
    fields = ["owner_kind", "targets", "chosen_actions", "created_at", "updated_at", "frozen_at"]
    readonly_fields = fields

    @admin.display(description="pour")
    def owner_kind(self, obj):
        return "Un diagnostic partagé" if obj.campaign_id else "Une personne"

    @admin.display(description="actions retenues")
    def chosen_actions(self, obj):
        return " ; ".join(str(item) for item in obj.items.select_related("action")) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
