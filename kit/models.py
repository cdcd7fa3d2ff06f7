"""The kit: the four uses' pages (a staff introduction and a curated, ordered selection
of the library), the parcours (ordered steps) and a visitor's anonymous progress."""

import secrets

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from kit.enums import ParcoursLevel, PublicationStatus, StepKind
from kit.progress import duration_label
from kit.steps import step_kind_label, step_title
from rameau_site.caching import KIT_VERSION, AnnouncingQuerySet
from resources.enums import Status, Usage
from resources.models import Resource


class KitQuerySet(AnnouncingQuerySet):
    content_version = KIT_VERSION  # bulk writes announce themselves (kit/signals.py: the rest)


class Use(models.Model):
    """One of the kit's four uses, with the introduction staff write for it."""

    usage = models.CharField("usage", max_length=20, choices=Usage.choices, unique=True)
    summary = models.CharField(
        "en une ligne", max_length=200, help_text="Affichée sur l’accueil et la page du kit."
    )
    audience = models.CharField("pour qui", max_length=300, blank=True)
    introduction = models.TextField(
        "introduction", blank=True, help_text="Markdown : à quoi sert cet usage, pour qui."
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    objects = KitQuerySet.as_manager()

    class Meta:
        ordering = ["position", "usage"]
        verbose_name = "usage du kit"
        verbose_name_plural = "usages du kit"

    def __str__(self):
        return self.get_usage_display()

    def get_absolute_url(self):
        return reverse("kit:use", args=[self.usage])


class UseItem(models.Model):
    """A resource or a case chosen by staff for a use, in their order, with why."""

    use = models.ForeignKey(
        Use, verbose_name="usage", on_delete=models.CASCADE, related_name="items"
    )
    resource = models.ForeignKey(
        Resource, verbose_name="ressource ou cas", on_delete=models.CASCADE, related_name="+"
    )
    why = models.CharField("pourquoi cette ressource", max_length=300)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    objects = KitQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "ressource choisie"
        verbose_name_plural = "ressources choisies"
        constraints = [
            models.UniqueConstraint(fields=["use", "resource"], name="use_item_once"),
        ]

    def __str__(self):
        return f"{self.use} : {self.resource}"


class ParcoursQuerySet(KitQuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def with_totals(self):
        return self.annotate(
            step_count=Count("steps"), total_minutes=Sum("steps__duration_minutes")
        )


class Parcours(models.Model):
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField("résumé", max_length=400)
    introduction = models.TextField("introduction", blank=True, help_text="Markdown.")
    audience = models.CharField("public", max_length=200)
    level = models.CharField("niveau", max_length=20, choices=ParcoursLevel.choices)
    usage = models.CharField(
        "usage du kit", max_length=20, choices=Usage.choices, blank=True,
        help_text="Le parcours est proposé sur la page de cet usage.",
    )  # fmt: skip
    start_here = models.BooleanField(
        "parcours « Commencer ici »",
        default=False,
        help_text="Le parcours proposé sur la page d’accueil (un seul à la fois).",
    )
    external_url = models.URLField("lien externe", max_length=500, blank=True)
    external_label = models.CharField(
        "texte du lien externe",
        max_length=120,
        blank=True,
        help_text="Par exemple « Le MOOC sur Coursera ».",
    )
    source = models.CharField(
        "source", max_length=300, blank=True, help_text="D’où vient le contenu de ce parcours."
    )
    status = models.CharField(
        "statut", max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    diagnostic_axes = ArrayField(
        models.SlugField(max_length=30),
        verbose_name="axes du diagnostic",
        blank=True,
        default=list,
        help_text="Codes d’axes séparés par des virgules (vision, ecosysteme, action, moyens, "
        "evaluation) : le parcours est proposé dans les résultats d’un diagnostic dont "
        "ces axes sont les plus faibles.",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ParcoursQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        constraints = [
            models.UniqueConstraint(
                fields=["start_here"], condition=Q(start_here=True), name="one_start_here_parcours"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("kit:parcours", args=[self.slug])

    @property
    def total_duration(self) -> str:
        """Needs `with_totals()`."""
        return duration_label(self.total_minutes)


class Step(models.Model):
    parcours = models.ForeignKey(
        Parcours, verbose_name="parcours", on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    kind = models.CharField("type d’étape", max_length=20, choices=StepKind.choices)
    resource = models.ForeignKey(
        Resource,
        verbose_name="ressource ou cas",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Pour une étape « ressource » ou « cas pratique ».",
    )
    title = models.CharField(
        "titre", max_length=200, blank=True, help_text="Par défaut, le titre de la ressource."
    )
    why = models.TextField("pourquoi cette étape")
    outcome = models.TextField("ce que vous saurez faire ensuite")
    body = models.TextField("texte de l’étape", blank=True, help_text="Markdown, facultatif.")
    link_url = models.URLField("lien externe", max_length=500, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", null=True, blank=True)

    objects = KitQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "étape"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=[StepKind.RESOURCE, StepKind.CASE], resource__isnull=False)
                    | Q(kind__in=[StepKind.DIAGNOSTIC, StepKind.TEXT], resource__isnull=True)
                ),
                name="step_resource_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind=StepKind.TEXT) | ~Q(title=""), name="text_step_has_title"
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return step_title(self.kind, self.title, self.resource.title if self.resource_id else None)

    @cached_property
    def url(self) -> str:
        """Where the step is done on this site ("" for a text step or a resource that
        is not, or no longer, published); read twice by a step's template."""
        if self.kind == StepKind.DIAGNOSTIC:
            return reverse("diagnostics:index")
        resource = self.resource if self.resource_id else None
        if (
            resource is None
            or resource.status != Status.PUBLISHED
            or resource.published_at is None
            or resource.published_at > timezone.now()
        ):
            return ""
        return resource.get_absolute_url()

    @property
    def kind_label(self) -> str:
        return step_kind_label(self.kind, self.resource.kind if self.resource_id else None)

    @property
    def duration(self) -> str:
        return duration_label(self.duration_minutes)


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


class Progress(models.Model):
    """A visitor's progress in a parcours, reachable only through its token: no
    account, no address kept."""

    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "progression"

    def __str__(self):
        return f"Progression dans « {self.parcours} »"

    def get_absolute_url(self):
        return reverse("kit:progress", args=[self.parcours.slug, self.token])


class StepDone(models.Model):
    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="done")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "étape faite"
        verbose_name_plural = "étapes faites"
        constraints = [
            models.UniqueConstraint(fields=["progress", "step"], name="step_done_once"),
        ]

    def __str__(self):
        return f"{self.step} : fait"
