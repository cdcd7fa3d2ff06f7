"""Writes of the self-diagnostic (plain functions, keyword-only)."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from diagnostics.enums import ACTOR_ROLES, QuestionnaireStatus, Role
from diagnostics.models import (
    Action,
    Answer,
    Axis,
    AxisResult,
    Campaign,
    Choice,
    ErasedLink,
    Question,
    Questionnaire,
    Response,
    Roadmap,
    RoadmapItem,
    token_digest,
)
from diagnostics.scoring import LEVEL_MEANINGS, LEVEL_THRESHOLDS, level_for, score
from diagnostics.synthesis import Participant, synthesize


def current_questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(status=QuestionnaireStatus.PUBLISHED)


def response_start(*, previous: Response | None = None, redo_key: str | None = None) -> Response:
    """A new response on the version in service; when redoing, pre-filled with the
    previous response's profile and, if the version is the same, its answers. A redo
    sent again with the same key (double click, ten requests at once) gives the response
    the first one made: the unique (previous, redo_key) constraint decides."""
    with transaction.atomic():
        questionnaire = current_questionnaire()
        if previous is not None and redo_key:
            response, created = Response.objects.get_or_create(
                previous=previous, redo_key=redo_key, defaults={"questionnaire": questionnaire}
            )
            if not created:
                return response
        else:
            response = Response.objects.create(questionnaire=questionnaire, previous=previous)
        if previous is not None:
            for name in (
                "role",
                "commune_id",
                "departement_id",
                "region_id",
                "size_band",
                "consent",
            ):
                setattr(response, name, getattr(previous, name))
            response.save()
            if previous.questionnaire_id == questionnaire.pk:
                Answer.objects.bulk_create(
                    Answer(response=response, question_id=a.question_id, choice_id=a.choice_id)
                    for a in previous.answers.all()
                )
    return response


def profile_save(
    *, response: Response, role: str, commune, consent: bool | None, actor_type: str = ""
) -> None:
    if response.campaign_id:  # a participant: the campaign's commune, a role from the type
        actor_type = actor_type or response.actor_type
        response.actor_type = actor_type
        role = ACTOR_ROLES.get(actor_type, Role.OTHER)
    response.role = role
    response.commune = commune
    response.departement_id = commune.departement_id if commune else None
    response.region_id = commune.region_id if commune else None
    response.size_band = commune.size_band if commune else ""
    response.consent = consent
    response.save(
        update_fields=[
            "role", "commune", "departement", "region", "size_band", "consent", "updated_at",
            "actor_type",
        ]
    )  # fmt: skip


def answers_save(*, response: Response, answers: dict[int, int]) -> None:
    """Insert or replace the answers in one statement (atomic on its own, one commit): a
    double submission stores each answer once. Each answer keeps its time, which the
    purge of unfinished responses reads."""
    if not answers:
        return
    now = timezone.now()
    Answer.objects.bulk_create(
        [
            Answer(response=response, question_id=q, choice_id=c, answered_at=now)
            for q, c in answers.items()
        ],
        update_conflicts=True,
        unique_fields=["response", "question"],
        update_fields=["choice", "answered_at"],
    )


def response_complete(*, response: Response, axes, answers: dict[int, int]) -> Response:
    """Score the response and freeze the result with its questionnaire version. A second
    call (double submission) changes nothing. A participant's campaign is locked first
    (as its deletion does) and its consolidated view recomputed in the same transaction."""
    with transaction.atomic():
        campaign = None
        if response.campaign_id:
            campaign = Campaign.objects.select_for_update().get(pk=response.campaign_id)
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.completed_at is not None:
            return locked
        definition = locked.questionnaire.definition(axes)
        result = score(definition, answers)
        questions = {q.pk: (q, a) for a in axes for q in a.questions.all()}
        locked.snapshot = {
            "version": locked.questionnaire.version,
            "overall": str(result.overall) if result.overall is not None else None,
            "level": result.level,
            "level_meaning": LEVEL_MEANINGS.get(result.level, ""),
            "axes": [
                {
                    "code": a.code,
                    "name": a.name,
                    "score": str(result.axes[a.code]) if result.axes[a.code] is not None else None,
                }
                for a in axes
            ],
            "findings": [f | {"gap": str(f["gap"])} for f in result.findings],
            "dont_know": [
                {"question": questions[q][0].text, "axis": questions[q][1].name}
                for q in result.dont_know
            ],
        }
        locked.overall_score = result.overall
        locked.level = result.level or ""
        locked.completed_at = timezone.now()
        locked.save(update_fields=["snapshot", "overall_score", "level", "completed_at"])
        AxisResult.objects.bulk_create(
            AxisResult(response=locked, axis_code=code, score=value)
            for code, value in result.axes.items()
        )
        if campaign is not None:
            campaign_synthesis_refresh(campaign=campaign, definition=definition)
    return locked


def responses_purge(*, older_than) -> int:
    """Delete unfinished responses last touched (profile or answer) before `older_than`."""
    recent = Answer.objects.filter(response=OuterRef("pk"), answered_at__gte=older_than)
    _, per_model = (
        Response.objects.filter(completed_at__isnull=True, updated_at__lt=older_than)
        .exclude(Exists(recent))
        .delete()
    )
    return per_model.get("diagnostics.Response", 0)


@transaction.atomic
def questionnaire_copy(*, questionnaire: Questionnaire) -> Questionnaire:
    """A new draft version with the same axes, questions, choices and branching."""
    last = Questionnaire.objects.aggregate(v=Max("version"))["v"] or 0
    copy = Questionnaire.objects.create(
        version=last + 1, title=questionnaire.title, introduction=questionnaire.introduction
    )
    questions = {}
    for axis in questionnaire.ordered_axes():
        new_axis = Axis.objects.create(
            questionnaire=copy, code=axis.code, name=axis.name, description=axis.description,
            weight=axis.weight, position=axis.position,
        )  # fmt: skip
        for question in axis.questions.all():
            new_question = Question.objects.create(
                axis=new_axis, text=question.text, help_text=question.help_text,
                weight=question.weight, position=question.position,
                condition_question=questions.get(question.condition_question_id),
                condition_min_points=question.condition_min_points,
            )  # fmt: skip
            questions[question.pk] = new_question
            Choice.objects.bulk_create(
                Choice(question=new_question, label=c.label, kind=c.kind, points=c.points,
                       position=c.position)
                for c in question.choices.all()
            )  # fmt: skip
    return copy


def campaign_create(*, name: str, commune, closes_on=None, create_key: str | None = None):
    """A shared diagnostic on the version in service. The same form sent twice (same
    key) gives the campaign the first one made: the unique key decides."""
    with transaction.atomic():
        defaults = {
            "name": name,
            "commune": commune,
            "closes_on": closes_on,
            "questionnaire": current_questionnaire(),
            "synthesis": synthesize(None, []),
        }
        if not create_key:
            return Campaign.objects.create(**defaults)
        campaign, _ = Campaign.objects.get_or_create(create_key=create_key, defaults=defaults)
    return campaign


def campaign_join(*, campaign: Campaign, actor_type: str, join_key: str | None) -> Response:
    """A participant's response, on the campaign's version and commune. The join form
    sent twice (same key) gives the response the first one made."""
    commune = campaign.commune
    defaults = {
        "questionnaire_id": campaign.questionnaire_id,
        "actor_type": actor_type,
        "role": ACTOR_ROLES.get(actor_type, Role.OTHER),
        "commune": commune,
        "departement_id": commune.departement_id,
        "region_id": commune.region_id,
        "size_band": commune.size_band,
        "is_demo": campaign.is_demo,
    }
    with transaction.atomic():
        if not join_key:
            return Response.objects.create(campaign=campaign, **defaults)
        response, _ = Response.objects.get_or_create(
            campaign=campaign, join_key=join_key, defaults=defaults
        )
    return response


def campaign_participants(campaign: Campaign) -> list[Participant]:
    """The completed participants' frozen scores and answers (three queries)."""
    completed = campaign.participants.completed()
    rows = {
        pk: Participant(actor_type, overall, {}, {})
        for pk, actor_type, overall in completed.values_list("pk", "actor_type", "overall_score")
    }
    axis_rows = AxisResult.objects.filter(response__in=completed).values_list(
        "response_id", "axis_code", "score"
    )
    for response_id, code, value in axis_rows:
        rows[response_id].axes[code] = value
    answer_rows = Answer.objects.filter(response__in=completed).values_list(
        "response_id", "question_id", "choice_id"
    )
    for response_id, question_id, choice_id in answer_rows:
        rows[response_id].answers[question_id] = choice_id
    return list(rows.values())


def campaign_synthesis_refresh(*, campaign: Campaign, definition=None) -> None:
    """Recompute the stored consolidated view (the caller holds the campaign's lock or
    owns the campaign alone, as the test data generator does)."""
    if definition is None:
        from diagnostics.steps import questionnaire_parts

        definition = questionnaire_parts(campaign.questionnaire)[1]
    participants = campaign_participants(campaign)
    campaign.synthesis = synthesize(definition, participants)
    campaign.completed_count = len(participants)
    campaign.synthesis_version += 1
    campaign.save(update_fields=["synthesis", "completed_count", "synthesis_version"])


def campaign_close(*, campaign: Campaign) -> None:
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["closed_at"])


def campaign_reopen(*, campaign: Campaign) -> None:
    """Open again, including one whose closing date has passed (that date is removed)."""
    campaign.closed_at = None
    if campaign.closes_on and not campaign.is_open():
        campaign.closes_on = None
    campaign.save(update_fields=["closed_at", "closes_on"])


@transaction.atomic
def campaign_delete(*, campaign: Campaign) -> int:
    """Erase the campaign and every participant's answers and results; keep only a
    digest of each link so that they can say so. Returns the number of participants."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    tokens = list(locked.participants.values_list("token", flat=True))
    ErasedLink.objects.bulk_create(
        [ErasedLink(digest=token_digest(t)) for t in [locked.organiser_token,
                                                      locked.invitation_token, *tokens]],
        ignore_conflicts=True,
    )  # fmt: skip
    locked.delete()  # participants, their answers and axis results cascade
    return len(tokens)


# --- Feuille de route (bilan, cible, trajectoire) ---------------------------------------

MAX_ROADMAP_ACTIONS = 5
LEVEL_ORDER = [level for level, _lower in LEVEL_THRESHOLDS]


class RoadmapFrozen(Exception):
    """The roadmap was frozen: it is read-only."""


def next_level(level: str | None) -> str | None:
    """The level one above `level`, the top level staying the top level; none when the
    axis was not evaluated."""
    if level not in LEVEL_ORDER:
        return None
    return LEVEL_ORDER[min(LEVEL_ORDER.index(level) + 1, len(LEVEL_ORDER) - 1)]


def default_targets(scores: dict[str, Decimal | None]) -> dict[str, str | None]:
    """Each axis's default target: one level above the level of its score."""
    return {code: next_level(level_for(value)) for code, value in scores.items()}


def suggested_actions(
    actions, *, weak_points: dict[int, int], weak_axes: list[str]
) -> list[Action]:
    """The published actions, those tied to a weakly answered question first (its points
    at most the action's threshold), then those of a weak axis, then the rest, each
    group in catalogue order. `actions` carries its questions prefetched."""

    def rank(action: Action) -> int:
        for question in action.questions.all():
            points = weak_points.get(question.pk)
            if points is not None and (action.max_points is None or points <= action.max_points):
                return 0
        return 1 if action.axis_code in weak_axes else 2

    return sorted(actions, key=lambda a: (rank(a), a.position, a.pk))


def roadmap_get_or_create(*, response: Response | None = None, campaign: Campaign | None = None,
                          scores: dict[str, Decimal | None]) -> Roadmap:  # fmt: skip
    """The owner's roadmap, created once (a double submit finds the first one) with the
    default targets."""
    owner = {"response": response} if response is not None else {"campaign": campaign}
    try:
        with transaction.atomic():
            roadmap, _created = Roadmap.objects.get_or_create(
                **owner, defaults={"targets": default_targets(scores)}
            )
    except IntegrityError:
        roadmap = Roadmap.objects.get(**owner)
    return roadmap


def roadmap_save(*, roadmap: Roadmap, targets: dict[str, str | None], items: list[dict]) -> Roadmap:
    """Replace the targets and chosen actions (dicts of action or title, owner,
    target_month) of a roadmap that is not frozen; at most MAX_ROADMAP_ACTIONS, each
    catalogue action (or free-text title) once."""
    if len(items) > MAX_ROADMAP_ACTIONS:
        raise ValueError(f"Au plus {MAX_ROADMAP_ACTIONS} actions.")
    with transaction.atomic():
        locked = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
        if locked.is_frozen:
            raise RoadmapFrozen
        locked.targets = {code: level for code, level in targets.items() if level in LEVEL_ORDER}
        locked.save(update_fields=["targets", "updated_at"])
        locked.items.all().delete()
        seen = set()
        rows = []
        for position, item in enumerate(items):
            action = item.get("action")
            title = "" if action is not None else item.get("title", "").strip()
            key = action.pk if action is not None else title.casefold()
            if key in seen or key == "":
                continue
            seen.add(key)
            month = item.get("target_month")
            rows.append(RoadmapItem(
                roadmap=locked, action=action, title=title, owner=item.get("owner", ""),
                target_month=month.replace(day=1) if month else None, position=position,
            ))  # fmt: skip
        RoadmapItem.objects.bulk_create(rows)
    return locked


def roadmap_freeze(*, roadmap: Roadmap) -> Roadmap:
    """Freeze once: a second freeze keeps the first date."""
    with transaction.atomic():
        locked = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
        if not locked.is_frozen:
            locked.frozen_at = timezone.now()
            locked.save(update_fields=["frozen_at", "updated_at"])
    return locked
