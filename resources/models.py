from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from rameau_site.caching import LIBRARY_VERSION, AnnouncingQuerySet
from resources.enums import (
    Audience,
    Form,
    Impact,
    Kind,
    Language,
    Level,
    PartnershipMode,
    Status,
    Usage,
)
from resources.goals import Goal
from resources.uploads import document_path, validate_pdf
from territories.enums import SizeBand
from territories.models import Commune, Region

SEARCH_CONFIG = "fr_unaccent"


def choice_array(choices, verbose_name):
    return ArrayField(
        models.CharField(max_length=40, choices=choices),
        verbose_name=verbose_name,
        default=list,
        blank=True,
    )


def choice_labels(choices, values) -> list[str]:
    labels = dict(choices.choices)
    return [labels.get(value, value) for value in values]


class LibraryQuerySet(AnnouncingQuerySet):
    content_version = LIBRARY_VERSION  # bulk writes announce themselves (signals: the rest)


class Theme(models.Model):
    """Two levels: a theme and its sub-themes."""

    name = models.CharField("nom", max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="thème parent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "thème"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="theme_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class Organisation(models.Model):
    name = models.CharField("nom", max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    url = models.URLField("site", blank=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"

    def __str__(self):
        return self.name


class Tag(TagBase):
    class Meta:
        verbose_name = "mot-clé"
        verbose_name_plural = "mots-clés"


class TaggedResource(TaggedItemBase):
    """Taggit through model with a real foreign key (not a generic relation)."""

    content_object = models.ForeignKey("Resource", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_resources")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_resource_tag"),
        ]


class ResourceHistory(HistoricalRecords):
    """django-simple-history, also when a theme or publisher is linked from its own side
    (`organisation.resources.add(...)`), where the library would fail: each resource
    concerned then gets a new version."""

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action in ("post_add", "post_remove") and pk_set:
            for resource in Resource.objects.filter(pk__in=pk_set):
                self.create_historical_record(resource, "~")


CARD_DEFERRED = [
    "body", "body_html", "search_tags", "search_vector", "body_vector", "phrase_vector",
    "actions",
    "impact_performance", "impact_innovation", "impact_trust",
]  # fmt: skip


class ResourceQuerySet(LibraryQuerySet):
    def published(self):
        """Published and due: the only resources any public page, feed or API shows."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def cases(self):
        return self.filter(kind=Kind.CASE)

    def for_cards(self):
        """What a card shows: the long texts and search vectors are left in the database
        (with 100k rows, reading them made a page of cards several times slower). Tags
        come through their taggings (`card_tags`): taggit's own prefetch builds a
        queryset per resource, a third of a search page's time."""
        return (
            self.select_related("region", "commune")
            .prefetch_related(
                "publishers",
                Prefetch(
                    "taggedresource_set", queryset=TaggedResource.objects.select_related("tag")
                ),
            )
            .defer(*CARD_DEFERRED)
        )

    def for_detail(self):
        return (
            self.for_cards()
            .defer(None)
            .defer("body", "search_tags", "search_vector", "body_vector", "phrase_vector")
            .select_related("commune__departement")
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.select_related("parent")))
        )


class Resource(models.Model):
    # Identity and content
    title = models.CharField("titre", max_length=250)
    slug = models.SlugField(max_length=250, unique=True)
    summary = models.TextField("résumé", max_length=600, help_text="Une à trois phrases.")
    body = models.TextField(
        "présentation", blank=True, help_text="Markdown : titres, listes, liens, gras, italique."
    )
    body_html = models.TextField(editable=False, default="")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    external_url = models.URLField("lien externe", max_length=500, blank=True)
    document = models.FileField(
        "document PDF",
        upload_to=document_path,
        blank=True,
        max_length=200,
        validators=[validate_pdf],
        help_text="PDF uniquement, 20 Mo au plus.",
    )
    publishers = models.ManyToManyField(
        Organisation, verbose_name="éditeurs", blank=True, related_name="resources"
    )
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    publication_date = models.DateField("date de parution", null=True, blank=True)
    language = models.CharField(
        "langue", max_length=5, choices=Language.choices, default=Language.FRENCH
    )
    duration = models.CharField("durée", max_length=100, blank=True)
    cost = models.CharField("coût", max_length=100, blank=True)

    # Taxonomy
    themes = models.ManyToManyField(
        Theme, verbose_name="thèmes", blank=True, related_name="resources"
    )
    audiences = choice_array(Audience.choices, "publics")
    usages = choice_array(Usage.choices, "usages")
    levels = choice_array(Level.choices, "niveaux de maturité")
    forms = choice_array(Form.choices, "formes de co-construction")
    modes = choice_array(PartnershipMode.choices, "modes de partenariat")
    goals = ArrayField(
        models.PositiveSmallIntegerField(choices=Goal.choices),
        verbose_name="objectifs de développement durable",
        default=list,
        blank=True,
    )
    tags = TaggableManager("mots-clés", through=TaggedResource, blank=True)

    # Case study (kind "cas pratique")
    commune = models.ForeignKey(
        Commune, verbose_name="commune", on_delete=models.PROTECT, null=True, blank=True
    )
    region = models.ForeignKey(
        Region,
        verbose_name="région",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Déduite de la commune quand elle est renseignée.",
    )
    size_band = models.CharField(
        "taille de commune",
        max_length=20,
        choices=SizeBand.choices,
        blank=True,
        help_text="Déduite de la commune quand elle est renseignée.",
    )
    territory_name = models.CharField(
        "territoire", max_length=200, blank=True, help_text="Nom du territoire s’il est fictif."
    )
    is_fictional = models.BooleanField(
        "cas illustratif (territoire fictif)",
        default=False,
        help_text="Le cas est présenté comme illustratif sur la page.",
    )
    actor_types = choice_array(Audience.choices, "acteurs impliqués")
    start_year = models.PositiveSmallIntegerField("année de démarrage", null=True, blank=True)
    actions = models.TextField("ce qui a été fait", blank=True)
    impact_performance = models.TextField(Impact.PERFORMANCE.label, blank=True)
    impact_innovation = models.TextField(Impact.INNOVATION.label, blank=True)
    impact_trust = models.TextField(Impact.TRUST.label, blank=True)

    # Editorial
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.DRAFT)
    featured = models.BooleanField("mis en avant", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    published_at = models.DateTimeField(
        "publié le",
        null=True,
        blank=True,
        help_text="Une date à venir garde la ressource cachée jusqu’à cette date.",
    )

    # Link checking (manage.py check_links)
    link_status = models.PositiveSmallIntegerField(
        "état du lien (code HTTP)", null=True, blank=True
    )
    link_error = models.CharField("erreur du lien", max_length=200, blank=True)
    link_checked_at = models.DateTimeField("lien vérifié le", null=True, blank=True)

    # Search: tag names copied here (a generated column cannot read another table);
    # the weighted vector is small (title and tags A, summary B) so ranking stays fast,
    # the body has its own vector for matching only.
    search_tags = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("search_tags", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    body_vector = models.GeneratedField(
        expression=SearchVector("body", weight="D", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The whole text as one document, exactly `search_vector || body_vector`, stored: a
    # phrase query is checked on it. Concatenating the two vectors of 100k rows at query
    # time took 1.1 s for a phrase of two frequent words, a scan of this column 0.18 s
    # (measured on the bench database under load).
    phrase_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("search_tags", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="D", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ResourceQuerySet.as_manager()
    history = ResourceHistory(
        verbose_name="version de ressource",
        excluded_fields=[
            "body_html", "search_tags", "search_vector", "body_vector", "phrase_vector",
            "updated_at", "link_status", "link_error", "link_checked_at",
        ],
        m2m_fields=[themes, publishers],
    )  # fmt: skip

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "ressource"
        permissions = [("publish_resource", "Peut publier, dépublier et archiver")]
        indexes = [
            GinIndex(fields=["search_vector"], name="resource_search"),
            GinIndex(fields=["body_vector"], name="resource_body_search"),
            # The pairs of adjacent words, for phrase searches (resources/index.py,
            # check_phrases; the function is created by migration 0005).
            GinIndex(
                models.Func(
                    "phrase_vector",
                    function="resources_word_pairs",
                    output_field=SearchVectorField(),
                ),
                name="resource_word_pairs",
            ),  # fmt: skip
            models.Index(fields=["status", "published_at"], name="resource_published"),
            models.Index(fields=["kind", "status"], name="resource_kind"),
            # The ODD compass's pages (goals__contains) and the catalogue's odd facet.
            GinIndex(fields=["goals"], name="resource_goals"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900, year__lte=2100),
                name="resource_year_range",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="resource_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:detail", args=[self.slug])

    @property
    def external_domain(self) -> str:
        return urlsplit(self.external_url).hostname or "" if self.external_url else ""

    @property
    def link_is_broken(self) -> bool:
        return self.link_checked_at is not None and not (
            self.link_status is not None and self.link_status < 400
        )

    @property
    def is_case(self) -> bool:
        return self.kind == Kind.CASE

    @property
    def display_year(self):
        return self.publication_date.year if self.publication_date else self.year

    @property
    def card_tags(self) -> list[Tag]:
        """The tags by name, from the taggings `for_cards()` prefetched."""
        return sorted((t.tag for t in self.taggedresource_set.all()), key=lambda tag: tag.name)

    @property
    def audience_labels(self) -> list[str]:
        return choice_labels(Audience, self.audiences)

    @property
    def usage_labels(self) -> list[str]:
        return choice_labels(Usage, self.usages)

    @property
    def level_labels(self) -> list[str]:
        return choice_labels(Level, self.levels)

    @property
    def form_labels(self) -> list[str]:
        return choice_labels(Form, self.forms)

    @property
    def mode_labels(self) -> list[str]:
        return choice_labels(PartnershipMode, self.modes)

    @property
    def actor_type_labels(self) -> list[str]:
        return choice_labels(Audience, self.actor_types)

    @property
    def impacts(self) -> list[tuple[str, str]]:
        """The documented impacts of a case: (label, text)."""
        pairs = [
            (Impact.PERFORMANCE.label, self.impact_performance),
            (Impact.INNOVATION.label, self.impact_innovation),
            (Impact.TRUST.label, self.impact_trust),
        ]
        return [(label, text) for label, text in pairs if text]


class StatusChange(models.Model):
    """One step of the editorial workflow: who moved a resource, from what, to what."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("de", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = "changement de statut"
        verbose_name_plural = "changements de statut"

    def __str__(self):
        return f"{self.get_from_status_display() or 'création'} → {self.get_to_status_display()}"


class SearchWord(models.Model):
    """The library's vocabulary, for "did you mean" suggestions: each word of the
    published titles, summaries and tags, with its accent-free key."""

    key = models.CharField(max_length=60, unique=True)
    word = models.CharField(max_length=60)
    frequency = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "mot du vocabulaire"
        indexes = [GinIndex(OpClass("key", name="gin_trgm_ops"), name="searchword_key_trgm")]

    def __str__(self):
        return self.word


class GlossaryTerm(models.Model):
    """A term of the co-construction vocabulary, edited by staff: the glossary page
    shows it, a resource's page links its first occurrence there."""

    name = models.CharField("terme", max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    variants = models.CharField(
        "autres formes",
        max_length=300,
        blank=True,
        help_text="Séparées par des virgules (pluriel, autre graphie).",
    )
    definition = models.TextField("définition courte", max_length=600)
    source = models.CharField("source", max_length=300)
    source_url = models.URLField("lien de la source", max_length=500, blank=True)
    resources = models.ManyToManyField(
        Resource,
        verbose_name="ressources qui l’emploient",
        blank=True,
        related_name="glossary_terms",
    )

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "terme du glossaire"
        verbose_name_plural = "termes du glossaire"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('kit:glossary')}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"terme-{self.slug}"

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *(v.strip() for v in self.variants.split(",") if v.strip()))
