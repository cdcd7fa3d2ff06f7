from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from observatory.enums import Breakdown, Population, Theme, Unit
from rameau_site.caching import OBSERVATORY_VERSION, AnnouncingQuerySet
from resources.models import Resource
from territories.models import Region

UNIT_RANGES = {Unit.PERCENT: 100, Unit.SCORE10: 10}


class ObservatoryQuerySet(AnnouncingQuerySet):
    content_version = OBSERVATORY_VERSION  # bulk writes announce themselves (signals: the rest)


class Source(models.Model):
    title = models.CharField("titre", max_length=250)
    organisation = models.CharField("organisme", max_length=200)
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    method = models.TextField("méthode", blank=True)
    sample = models.CharField("échantillon", max_length=300, blank=True)
    url = models.URLField("adresse", max_length=500, blank=True)
    resource = models.ForeignKey(
        Resource, verbose_name="ressource de la bibliothèque", on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip

    objects = ObservatoryQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "source"

    def __str__(self):
        return f"{self.title} ({self.organisation}{', ' + str(self.year) if self.year else ''})"

    @property
    def citation(self) -> str:
        """ "Title, organisation, year": one flat line (the title and the organisation
        may hold parentheses of their own), the year left out when the title says it."""
        parts = [self.title, self.organisation]
        if self.year and str(self.year) not in self.title:
            parts.append(str(self.year))
        return ", ".join(part for part in parts if part)


class Indicator(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField("ce qui est mesuré", max_length=250)
    question = models.TextField("question posée", blank=True)
    unit = models.CharField("unité", max_length=20, choices=Unit.choices)
    definition = models.TextField("définition", blank=True)
    methodology = models.TextField("note de méthode", blank=True)
    decimals = models.PositiveSmallIntegerField("décimales", default=0)
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    headline = models.CharField(
        "constat (titre de la figure)", max_length=300, blank=True,
        help_text="La phrase qui titre la figure : le résultat de cet indicateur, avec ses "
        "propres chiffres, sa population et sa vague (jamais la plus grande barre d’une autre "
        "réponse). Vide : le titre de l’indicateur, précédé de sa valeur s’il n’en a qu’une.",
    )  # fmt: skip

    objects = ObservatoryQuerySet.as_manager()

    class Meta:
        ordering = ["theme", "position", "slug"]
        verbose_name = "indicateur"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("observatory:indicator", args=[self.slug])


class ObservationQuerySet(ObservatoryQuerySet):
    def for_display(self):
        return self.select_related("indicator", "region", "source")


class Observation(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name="indicateur", on_delete=models.CASCADE, related_name="observations"
    )
    # Copied from the indicator so that the database can check the value's range.
    unit = models.CharField("unité", max_length=20, choices=Unit.choices, editable=False)
    wave = models.PositiveSmallIntegerField(
        "vague (année)", null=True, blank=True, help_text="Vide quand la source ne la précise pas."
    )
    wave_label = models.CharField("vague", max_length=120, blank=True)
    region = models.ForeignKey(
        Region, verbose_name="région", on_delete=models.PROTECT, null=True, blank=True,
        help_text="Vide : France entière.",
    )  # fmt: skip
    population = models.CharField(
        "population interrogée", max_length=40, choices=Population.choices
    )
    breakdown = models.CharField(
        "ventilation", max_length=30, choices=Breakdown.choices, blank=True, default=""
    )
    breakdown_value = models.CharField("modalité", max_length=120, blank=True, default="")
    value = models.DecimalField("valeur", max_digits=12, decimal_places=2)
    n = models.PositiveIntegerField("effectif (n)", null=True, blank=True)
    note = models.CharField("note", max_length=300, blank=True)
    source = models.ForeignKey(Source, verbose_name="source", on_delete=models.PROTECT)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    part_of = models.ForeignKey(
        "self", verbose_name="partie de", on_delete=models.CASCADE, null=True, blank=True,
        related_name="parts",
        help_text="Quand cette valeur est une partie d’une autre (« dont 35 % fortement » "
        "sur 91 %) : elle s’affiche sous elle, jamais comme une valeur voisine.",
    )  # fmt: skip

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "wave", "population", "breakdown", "breakdown_value"]
        verbose_name = "observation"
        constraints = [
            models.CheckConstraint(
                condition=~Q(unit=Unit.PERCENT) | Q(value__gte=0, value__lte=100),
                name="observation_percentage_range",
            ),
            models.CheckConstraint(
                condition=~Q(unit=Unit.SCORE10) | Q(value__gte=0, value__lte=10),
                name="observation_score_range",
            ),
            models.CheckConstraint(
                condition=Q(n__isnull=True) | Q(n__gt=0), name="observation_n_positive"
            ),
            models.CheckConstraint(
                condition=~Q(part_of=models.F("pk")), name="observation_not_part_of_itself"
            ),
            models.UniqueConstraint(
                fields=[
                    "indicator",
                    "wave",
                    "region",
                    "population",
                    "breakdown",
                    "breakdown_value",
                ],
                nulls_distinct=False,
                name="one_value_per_cell",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "population", "region"], name="observation_view")
        ]

    def __str__(self):
        parts = [self.indicator.title, self.get_population_display()]
        if self.breakdown_value:
            parts.append(self.breakdown_value)
        parts.append(self.wave_label or str(self.wave or "vague non précisée"))
        return " · ".join(parts)


class KeyFigureQuerySet(ObservatoryQuerySet):
    def for_display(self):
        return self.select_related(
            "observation__indicator", "observation__source", "observation__region"
        ).order_by("position", "pk")


class KeyFigure(models.Model):
    """A figure staff put forward on the home page and the observatory: always an
    observation of the observatory, so that its value, source and wave come with it."""

    observation = models.ForeignKey(
        Observation, verbose_name="observation", on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    wording = models.CharField(
        "libellé court", max_length=200,
        help_text="Ce qui suit la valeur, par exemple « des maires voient dans les "
        "partenariats une source d’innovation ». La valeur, la source et la vague viennent "
        "de l’observation.",
    )  # fmt: skip

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        constraints = [
            models.UniqueConstraint(fields=["observation"], name="one_key_figure_per_observation")
        ]

    def __str__(self):
        return self.wording

    def clean(self):
        if self.observation_id and self.observation.is_demo:
            raise ValidationError(
                {"observation": "Une donnée de démonstration ne peut pas être un chiffre clé."}
            )
