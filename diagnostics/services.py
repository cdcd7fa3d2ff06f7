"""Writes of the self-diagnostic (plain functions, keyword-only)."""

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from diagnostics.enums import QuestionnaireStatus
from diagnostics.models import Answer, Axis, AxisResult, Choice, Question, Questionnaire, Response
from diagnostics.scoring import LEVEL_MEANINGS, score


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


def profile_save(*, response: Response, role: str, commune, consent: bool | None) -> None:
    response.role = role
    response.commune = commune
    response.departement_id = commune.departement_id if commune else None
    response.region_id = commune.region_id if commune else None
    response.size_band = commune.size_band if commune else ""
    response.consent = consent
    response.save(
        update_fields=[
            "role", "commune", "departement", "region", "size_band", "consent", "updated_at",
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
    call (double submission) changes nothing."""
    with transaction.atomic():
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
