"""Where a response stands: its questionnaire's structure (cached per process: a
version in service never changes), its saved answers and its first unfinished step."""

from dataclasses import dataclass

from diagnostics.enums import ActorType
from diagnostics.models import Axis, Campaign, Questionnaire, Response
from diagnostics.scoring import COHERENCE_GAP, LEVEL_THRESHOLDS, Definition, shown_questions
from rameau_site.caching import FROZEN_QUESTIONNAIRES


def questionnaire_parts(questionnaire: Questionnaire) -> tuple[list[Axis], Definition]:
    """Axes with their questions and choices, and the scoring definition built from
    them. Frozen versions are read once per process; a draft is read each time."""

    def read():
        axes = questionnaire.ordered_axes()
        return axes, questionnaire.definition(axes)

    if not questionnaire.is_frozen:
        return read()
    return FROZEN_QUESTIONNAIRES.get_or_compute(
        ("parts", questionnaire.pk, questionnaire.version), read
    )


def questionnaire_of(response: Response | Campaign) -> Questionnaire:
    """The response's (or shared diagnostic's) questionnaire, kept per process once
    frozen (a version in service never changes)."""
    key = ("questionnaire", response.questionnaire_id)
    questionnaire = FROZEN_QUESTIONNAIRES.get(key)
    if questionnaire is None:
        questionnaire = Questionnaire.objects.get(pk=response.questionnaire_id)
        if questionnaire.is_frozen:
            FROZEN_QUESTIONNAIRES.put(key, questionnaire)
    return questionnaire


def questionnaire_structure(questionnaire: Questionnaire) -> list[Axis]:
    return questionnaire_parts(questionnaire)[0]


@dataclass
class Progress:
    axes: list[Axis]
    definition: Definition
    answers: dict[int, int]
    first_incomplete: int | None  # step number, None when every step is done

    @property
    def step_count(self) -> int:
        return 1 + len(self.axes)

    @property
    def step_labels(self) -> list[str]:
        return ["Profil", *(axis.name for axis in self.axes)]

    @classmethod
    def load(cls, response: Response, answers: dict[int, int] | None = None) -> "Progress":
        """`answers`: the saved answers when already read (`saved_answers`), else a query."""
        axes, definition = questionnaire_parts(response.questionnaire)
        if answers is None:
            answers = dict(response.answers.values_list("question_id", "choice_id"))
        return cls(axes, definition, answers, first_incomplete(response, axes, definition, answers))


def saved_answers(response: Response) -> dict[int, int]:
    """The answers of a response read with ResponseQuerySet.with_saved_answers()."""
    return dict(zip(response.answered_questions, response.answered_choices, strict=True))


def profile_complete(response: Response) -> bool:
    return bool(response.role and response.commune_id and response.consent is not None)


def first_incomplete(response, axes, definition, answers) -> int | None:
    if not profile_complete(response):
        return 1
    shown = {q.id for q in shown_questions(definition, answers)}
    for index, axis in enumerate(axes):
        if any(q.pk in shown and q.pk not in answers for q in axis.questions.all()):
            return index + 2
    return None


def questionnaire_document(questionnaire: Questionnaire) -> dict:
    """Everything needed to recompute a score by hand (served as JSON)."""
    axes = questionnaire_structure(questionnaire)
    return {
        "version": questionnaire.version,
        "titre": questionnaire.title,
        "regles": {
            "score_axe": "100 × Σ(poids × points) / Σ(poids × 3) sur les questions affichées "
            "de l’axe ; « Non concerné » sort des deux sommes ; une décimale (arrondi au plus "
            "proche, 0,05 vers le haut). Un axe sans question comptée est « non évalué ».",
            "score_global": "Moyenne des scores des axes évalués, pondérée par le poids de "
            "chaque axe ; une décimale.",
            "points_maximum": 3,
            "niveaux": [
                {"code": level.value, "nom": level.label, "a_partir_de": lower}
                for level, lower in LEVEL_THRESHOLDS
            ],
            "coherence": f"Entre les axes vision, action et moyens, tout écart de "
            f"{COHERENCE_GAP} points ou plus donne un constat.",
            "branchement": "Une question avec une condition n’est affichée (et comptée) que si "
            "la réponse à la question citée vaut au moins le nombre de points indiqué.",
        },
        # The actor types of a shared diagnostic, by the codes of its synthese.json.
        "types_acteurs": [{"code": code, "nom": label} for code, label in ActorType.choices],
        "axes": [
            {
                "code": axis.code,
                "nom": axis.name,
                "poids": axis.weight,
                "questions": [
                    {
                        "id": question.pk,
                        "texte": question.text,
                        "poids": question.weight,
                        "condition": (
                            {
                                "question": question.condition_question_id,
                                "points_minimum": question.condition_min_points,
                            }
                            if question.condition_question_id
                            else None
                        ),  # fmt: skip
                        "reponses": [
                            {
                                "id": choice.pk,
                                "texte": choice.label,
                                "nature": choice.kind,
                                "points": choice.scored_points,
                            }
                            for choice in question.choices.all()
                        ],
                    }
                    for question in axis.questions.all()
                ],
            }
            for axis in axes
        ],
    }
