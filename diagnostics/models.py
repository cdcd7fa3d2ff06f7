import hashlib
import secrets
from datetime import datetime, time, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import OuterRef, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from diagnostics.enums import ActorType, ChoiceKind, QuestionnaireStatus, Role
from diagnostics.scoring import MAX_POINTS, AxisDef, ChoiceDef, Definition, QuestionDef
from rameau_site.caching import QUESTIONNAIRE_VERSION, AnnouncingQuerySet
from resources.enums import Level
from resources.models import Resource, Tag, Theme
from territories.enums import SizeBand
from territories.models import Commune, Departement, Region


class QuestionnaireQuerySet(AnnouncingQuerySet):
    content_version = QUESTIONNAIRE_VERSION  # bulk writes announce themselves


class Questionnaire(models.Model):
    """One version of the questionnaire. A published version is frozen: responses keep
    their version, so their results never change."""

    version = models.PositiveSmallIntegerField("version", unique=True)
    title = models.CharField("titre", max_length=200)
    introduction = models.TextField("présentation", blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )  # fmt: skip
    published_at = models.DateTimeField("mis en service le", null=True, blank=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = "version du questionnaire"
        verbose_name_plural = "versions du questionnaire"
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status=QuestionnaireStatus.PUBLISHED),
                name="one_published_questionnaire",
            )
        ]

    def __str__(self):
        return f"Version {self.version} — {self.get_status_display().lower()}"

    @property
    def is_frozen(self) -> bool:
        return self.status != QuestionnaireStatus.DRAFT

    def ordered_axes(self) -> list["Axis"]:
        """Axes with their questions and choices, in order (3 queries)."""
        return list(
            self.axes.order_by("position", "pk").prefetch_related(
                models.Prefetch(
                    "questions",
                    queryset=Question.objects.order_by("position", "pk").prefetch_related(
                        models.Prefetch(
                            "choices", queryset=Choice.objects.order_by("position", "pk")
                        )
                    ),
                )
            )
        )

    def definition(self, axes=None) -> Definition:
        axes = axes if axes is not None else self.ordered_axes()
        return Definition(
            axes=tuple(AxisDef(a.code, a.weight) for a in axes),
            questions=tuple(
                QuestionDef(
                    id=q.pk,
                    axis=a.code,
                    weight=q.weight,
                    choices=tuple(
                        ChoiceDef(c.pk, c.scored_points, c.kind == ChoiceKind.DONT_KNOW)
                        for c in q.choices.all()
                    ),
                    condition_question=q.condition_question_id,
                    condition_min_points=q.condition_min_points,
                )
                for a in axes
                for q in a.questions.all()
            ),
        )


class Axis(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="axes")
    code = models.SlugField(
        "code", max_length=30, help_text="Stable d’une version à l’autre (vision, action…)."
    )
    name = models.CharField("nom", max_length=120)
    description = models.TextField("ce que l’axe regarde", blank=True)
    weight = models.PositiveSmallIntegerField("poids", default=1)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        verbose_name = "axe"
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_axis_code"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="axis_weight_positive"),
        ]

    def __str__(self):
        return self.name


class Question(models.Model):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField("question", max_length=300)
    help_text = models.CharField("précision", max_length=400, blank=True)
    weight = models.PositiveSmallIntegerField("poids", default=1)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    condition_question = models.ForeignKey(
        "self",
        verbose_name="affichée seulement selon la réponse à",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependent_questions",
    )
    condition_min_points = models.PositiveSmallIntegerField(
        "points minimum de cette réponse", null=True, blank=True
    )

    class Meta:
        ordering = ["axis", "position", "pk"]
        verbose_name = "question"
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="question_weight_positive"),
            models.CheckConstraint(
                condition=Q(condition_question__isnull=True, condition_min_points__isnull=True)
                | Q(condition_question__isnull=False, condition_min_points__lte=MAX_POINTS),
                name="question_condition_complete",
            ),
        ]

    def __str__(self):
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField("réponse", max_length=300)
    kind = models.CharField(
        "nature", max_length=20, choices=ChoiceKind.choices, default=ChoiceKind.GRADED
    )
    points = models.PositiveSmallIntegerField("points", default=0)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = "réponse possible"
        verbose_name_plural = "réponses possibles"
        constraints = [
            models.CheckConstraint(
                condition=Q(points__lte=MAX_POINTS) & (Q(kind=ChoiceKind.GRADED) | Q(points=0)),
                name="choice_points_range",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def scored_points(self) -> int | None:
        return None if self.kind == ChoiceKind.NOT_CONCERNED else self.points


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


# Answers in progress when a shared diagnostic closes may still be finished this long.
CLOSING_GRACE = timedelta(days=7)


class CampaignQuerySet(models.QuerySet):
    def by_organiser(self, token: str):
        return self.select_related("commune__departement").filter(organiser_token=token)

    def for_organiser_page(self):
        """What the organiser's page shows, in one query: the campaign and its
        participants still answering (`in_progress`, counted at each visit), without the
        stored synthesis (the page keeps it rendered under its version and reads it on a
        miss only); the view takes its commune and questionnaire from the process's
        reference data and frozen versions (commune_of, questionnaire_of) rather than
        joining them (0.44 ms of CPU and 0.36 ms of the database's less).

        Measured on the bench campaign (1,000 participants, in-process CPU of the query,
        best of 12 x 200, floor 1.3 ms): 2.7 ms the campaign row, its questionnaire and
        the count in three queries; 1.75 ms in one with the count as a Subquery; 1.13 ms
        with it as the SQL below (a Subquery costs 0.6 ms to build and compile). Built
        once (views.ORGANISER_CAMPAIGNS), its `.get()` takes 0.9-1.0 ms of CPU instead of
        1.4-1.5 ms built each time."""
        in_progress = RawSQL(
            f"SELECT COUNT(*) FROM {Response._meta.db_table} AS r "  # noqa: S608 (no input)
            f"WHERE r.campaign_id = {self.model._meta.db_table}.id "
            "AND r.completed_at IS NULL",
            (),
        )
        return (
            self.only(
                "name", "organiser_token", "invitation_token", "closes_on", "closed_at",
                "created_at", "completed_count", "synthesis_version", "is_demo",
                "commune_id", "questionnaire_id",
            )
            .annotate(in_progress=in_progress)
            .order_by()
        )  # fmt: skip


class Campaign(models.Model):
    """A shared diagnostic ("diagnostic partagé"): several actors of one territory
    answer the same frozen questionnaire version. The organiser token (its page) and
    the invitation token (joining) are distinct and never shown to each other's
    holders; participants are responses linked to it."""

    name = models.CharField("nom", max_length=120)
    commune = models.ForeignKey(
        Commune, verbose_name="territoire (commune)", on_delete=models.PROTECT, related_name="+"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="version", on_delete=models.PROTECT, related_name="campaigns"
    )
    organiser_token = models.CharField(max_length=64, unique=True, default=new_token)
    invitation_token = models.CharField(max_length=64, unique=True, default=new_token)
    # The creation form carries a key: sent twice, it finds the campaign the first made.
    create_key = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    closes_on = models.DateField("clôture prévue le", null=True, blank=True)
    closed_at = models.DateTimeField("close le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    # The consolidated view, recomputed by response_complete in the transaction that
    # completes a participant (the campaign row locked): it holds only what the
    # organiser may see (diagnostics/synthesis.py applies the n >= 3 rules).
    synthesis = models.JSONField("synthèse", null=True, blank=True, editable=False)
    completed_count = models.PositiveIntegerField("participants ayant terminé", default=0)
    # Bumped with each new synthesis: the organiser page keeps its rendered synthesis
    # under it (ORGANISER_SYNTHESIS, rameau_site/caching.py).
    synthesis_version = models.PositiveIntegerField(default=0, editable=False)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "diagnostic partagé"
        verbose_name_plural = "diagnostics partagés"
        constraints = [
            models.CheckConstraint(
                condition=~Q(organiser_token=models.F("invitation_token")),
                name="campaign_tokens_distinct",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("diagnostics:campaign", args=[self.organiser_token])

    def closed_since(self) -> datetime | None:
        """When it closed: closed by the organiser, or at the end of its closing date."""
        ends = []
        if self.closed_at:
            ends.append(self.closed_at)
        if self.closes_on:
            end = datetime.combine(self.closes_on + timedelta(days=1), time.min)
            ends.append(timezone.make_aware(end))
        return min(ends) if ends else None

    def is_open(self, now=None) -> bool:
        closed = self.closed_since()
        return closed is None or (now or timezone.now()) < closed

    def accepts_answers(self, now=None) -> bool:
        """New participants only while open; answers in progress CLOSING_GRACE more."""
        closed = self.closed_since()
        return closed is None or (now or timezone.now()) < closed + CLOSING_GRACE


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ErasedLink(models.Model):
    """What remains of a deleted shared diagnostic: a digest of each of its links (the
    organiser's, the invitation, each participant's), so that they say what happened
    instead of "page not found". Nothing else is kept."""

    digest = models.CharField(max_length=64, unique=True)
    erased_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "lien effacé"
        verbose_name_plural = "liens effacés"

    def __str__(self):
        return f"Effacé le {timezone.localtime(self.erased_at):%d/%m/%Y}"


class ResponseQuerySet(models.QuerySet):
    def with_saved_answers(self):
        """Each response with its saved answers read by the same query, as two arrays in
        question order (`saved_answers()` pairs them): the step page then takes one
        query instead of two."""
        answers = Answer.objects.filter(response=OuterRef("pk")).order_by("question_id")
        return self.annotate(
            answered_questions=ArraySubquery(answers.values("question_id")),
            answered_choices=ArraySubquery(answers.values("choice_id")),
        )

    def completed(self):
        return self.filter(completed_at__isnull=False)

    def for_statistics(self):
        """What anonymous statistics may count: completed, consenting, real responses."""
        return self.completed().filter(consent=True, is_demo=False)


class Response(models.Model):
    """One person's answers, reachable only through its unguessable token."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="version", on_delete=models.PROTECT, related_name="responses"
    )
    previous = models.ForeignKey(
        "self",
        verbose_name="diagnostic précédent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # "Refaire le diagnostic" carries a key issued with the results page: sent twice (a
    # double click, a second tab), it finds the response the first one made. NULL, not
    # "", when there is none: the unique constraint then ignores it.
    redo_key = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    created_at = models.DateTimeField("commencé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    completed_at = models.DateTimeField("terminé le", null=True, blank=True)

    # Profile (not scored)
    role = models.CharField("vous êtes", max_length=20, choices=Role.choices, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name="commune", on_delete=models.PROTECT, null=True, blank=True
    )
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, null=True, blank=True
    )
    region = models.ForeignKey(
        Region, verbose_name="région", on_delete=models.PROTECT, null=True, blank=True
    )
    size_band = models.CharField(
        "taille de commune", max_length=20, choices=SizeBand.choices, blank=True
    )
    consent = models.BooleanField("accepte d’être compté dans les statistiques", null=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    campaign = models.ForeignKey(
        Campaign, verbose_name="diagnostic partagé", on_delete=models.CASCADE,
        null=True, blank=True, related_name="participants",
    )  # fmt: skip
    actor_type = models.CharField(
        "type d’acteur", max_length=30, choices=ActorType.choices, blank=True, db_default=""
    )  # db_default: rows inserted in SQL (generate_diagnostic_data) need none
    # Joining carries a key issued with the form: sent twice, it finds the first one.
    join_key = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001

    # Frozen at completion
    overall_score = models.DecimalField(
        "score global", max_digits=4, decimal_places=1, null=True, blank=True
    )
    level = models.CharField("niveau", max_length=20, choices=Level.choices, blank=True)
    snapshot = models.JSONField("résultats figés", null=True, blank=True, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "réponse au diagnostic"
        verbose_name_plural = "réponses au diagnostic"
        indexes = [
            models.Index(
                fields=["size_band", "completed_at"],
                condition=Q(completed_at__isnull=False, consent=True, is_demo=False),
                name="response_statistics",
            ),
            models.Index(
                fields=["created_at"], condition=Q(completed_at__isnull=True),
                name="response_incomplete",
            ),
        ]  # fmt: skip
        constraints = [
            models.UniqueConstraint(fields=["previous", "redo_key"], name="one_redo_per_key"),
            models.UniqueConstraint(fields=["campaign", "join_key"], name="one_join_per_key"),
            models.CheckConstraint(
                condition=Q(campaign__isnull=True) | ~Q(actor_type=""),
                name="participant_has_actor_type",
            ),
        ]

    def __str__(self):
        return f"Diagnostic du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("diagnostics:resume", args=[self.token])

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("répondu le", default=timezone.now)

    class Meta:
        verbose_name = "réponse à une question"
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question_id} → {self.choice_id}"


class AxisResult(models.Model):
    """A completed response's score on one axis (frozen), for statistics."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="axis_results")
    axis_code = models.SlugField(max_length=30)
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True)

    class Meta:
        verbose_name = "score par axe"
        constraints = [
            models.UniqueConstraint(fields=["response", "axis_code"], name="one_score_per_axis"),
        ]
        indexes = [models.Index(fields=["axis_code", "response"], name="axisresult_axis")]

    def __str__(self):
        return f"{self.axis_code} : {self.score}"


class Recommendation(models.Model):
    """Which library resources to suggest for a weak axis at a given level: explicit
    resources first, then published resources with these themes or tags."""

    axis_code = models.SlugField(
        "code de l’axe", max_length=30, help_text="vision, ecosysteme, action, moyens, evaluation"
    )
    level = models.CharField(
        "niveau", max_length=20, choices=Level.choices, blank=True,
        help_text="Vide : pour tous les niveaux.",
    )  # fmt: skip
    themes = models.ManyToManyField(Theme, verbose_name="thèmes", blank=True, related_name="+")
    tags = models.ManyToManyField(Tag, verbose_name="mots-clés", blank=True, related_name="+")
    resources = models.ManyToManyField(
        Resource, verbose_name="ressources choisies", blank=True, related_name="+"
    )

    class Meta:
        ordering = ["axis_code", "level"]
        verbose_name = "recommandation"
        constraints = [
            models.UniqueConstraint(fields=["axis_code", "level"], name="unique_recommendation"),
        ]

    def __str__(self):
        return f"{self.axis_code} — {self.get_level_display() or 'tous niveaux'}"


class Action(models.Model):
    """One entry of the staff-curated action catalogue a roadmap's "trajectoire" is
    chosen from; suggested first where a person or a group answered weakly."""

    title = models.CharField("titre", max_length=200)
    why = models.TextField("pourquoi")
    first_step = models.TextField("premier pas")
    axis_code = models.SlugField(
        "code de l’axe", max_length=30, help_text="vision, ecosysteme, action, moyens, evaluation"
    )
    questions = models.ManyToManyField(
        Question, verbose_name="questions", blank=True, related_name="+"
    )
    max_points = models.PositiveSmallIntegerField(
        "suggérée jusqu’à",
        null=True,
        blank=True,
        help_text="Suggérée en priorité quand la réponse à l’une de ces questions vaut au plus "
        "ce nombre de points (0 à 3). Vide : quelle que soit la réponse.",
    )
    resources = models.ManyToManyField(
        Resource, verbose_name="ressources et cas utiles", blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_published = models.BooleanField("publiée", default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "action du catalogue"
        verbose_name_plural = "actions du catalogue"
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__isnull=True) | Q(max_points__lte=MAX_POINTS),
                name="action_max_points_range",
            ),
        ]

    def __str__(self):
        return self.title


class Roadmap(models.Model):
    """A "feuille de route" (bilan, cible, trajectoire) of one person's diagnostic or of a
    shared diagnostic: one per owner, erased with it, read-only once frozen."""

    response = models.OneToOneField(
        Response,
        verbose_name="diagnostic",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roadmap",
    )
    campaign = models.OneToOneField(
        Campaign,
        verbose_name="diagnostic partagé",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roadmap",
    )
    targets = models.JSONField("cibles", default=dict, blank=True)
    frozen_at = models.DateTimeField("figée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "feuille de route"
        verbose_name_plural = "feuilles de route"
        constraints = [
            models.CheckConstraint(
                condition=Q(response__isnull=False, campaign__isnull=True)
                | Q(response__isnull=True, campaign__isnull=False),
                name="roadmap_one_owner",
            ),
        ]

    def __str__(self):
        return f"Feuille de route n° {self.pk}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class RoadmapItem(models.Model):
    """One priority action of a roadmap (from the catalogue, or written by its owner),
    with who carries it and the month aimed for."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="items")
    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.PROTECT, related_name="+",
        null=True, blank=True,
    )  # fmt: skip
    title = models.CharField("action (texte libre)", max_length=200, blank=True)
    owner = models.CharField("porteur", max_length=200, blank=True)
    target_month = models.DateField("mois visé", null=True, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "action retenue"
        verbose_name_plural = "actions retenues"
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "action"], name="unique_roadmap_action"),
            models.CheckConstraint(
                condition=Q(target_month__isnull=True) | Q(target_month__day=1),
                name="roadmap_item_first_of_month",
            ),
            models.CheckConstraint(
                condition=Q(action__isnull=False, title="") | Q(action__isnull=True) & ~Q(title=""),
                name="roadmap_item_action_or_title",
            ),
        ]

    def __str__(self):
        return self.title or str(self.action)
