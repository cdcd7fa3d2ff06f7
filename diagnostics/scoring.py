"""Scoring of a self-diagnostic: pure functions over plain data, no database.

A questionnaire is a `Definition`; answers map a question id to a choice id. The same
rules are published in /diagnostic/questionnaire.json so anyone can recompute a score."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from resources.enums import Level

MAX_POINTS = 3
# Lower bound of each level, in points out of 100.
LEVEL_THRESHOLDS = [
    (Level.EMERGENCE, 0),
    (Level.EXPERIMENTATION, 25),
    (Level.STRUCTURING, 50),
    (Level.SCALING, 75),
]
LEVEL_MEANINGS = {
    Level.EMERGENCE: (
        "La co-construction commence à être envisagée : quelques acteurs en parlent, les "
        "premières rencontres restent à organiser."
    ),
    Level.EXPERIMENTATION: (
        "Des actions communes existent, souvent à l’initiative de quelques personnes "
        "motivées : c’est le moment de les relier entre elles et de les consolider."
    ),
    Level.STRUCTURING: (
        "La démarche est organisée : une gouvernance, des moyens et des partenaires "
        "identifiés. L’enjeu est de la faire durer et d’en mesurer les effets."
    ),
    Level.SCALING: (
        "La co-construction fait partie de la manière d’agir du territoire : il peut "
        "essaimer, transmettre son expérience et inspirer d’autres territoires."
    ),
}
COHERENCE_GAP = 25
# The three axes whose coherence the 360° checks, by code.
VISION, ACTION, MEANS = "vision", "action", "moyens"
FINDINGS = {
    (VISION, ACTION): (
        "Une vision qui attend ses actions",
        "L’ambition est partagée mais peu d’actions concrètes la traduisent. Choisissez "
        "une première expérimentation collective, modeste et visible, pour la mettre en "
        "mouvement.",
    ),
    (ACTION, VISION): (
        "Des actions sans cap commun",
        "Des actions existent, mais sans vision partagée qui les relie. Prenez le temps "
        "d’un diagnostic partagé des fragilités et des atouts du territoire pour leur "
        "donner un sens commun.",
    ),
    (VISION, MEANS): (
        "Une vision sans les moyens de la porter",
        "L’ambition est là, mais la gouvernance, l’animation ou le financement manquent. "
        "Identifiez qui peut jouer le rôle de catalyseur et quelles ressources mobiliser.",
    ),
    (MEANS, VISION): (
        "Des moyens en quête de sens",
        "Des moyens sont mobilisés sans ambition partagée pour les orienter. Réunissez les "
        "acteurs pour formuler ensemble ce que le territoire veut devenir.",
    ),
    (ACTION, MEANS): (
        "Des actions qui reposent sur la bonne volonté",
        "Les actions avancent plus vite que les moyens qui les soutiennent : elles risquent "
        "de s’essouffler. Structurez une gouvernance et un financement dans la durée.",
    ),
    (MEANS, ACTION): (
        "Des moyens encore peu utilisés",
        "Gouvernance, outils ou lieu existent, mais peu d’actions en profitent. Ouvrez-les "
        "à de nouveaux projets communs et faites-les connaître aux acteurs.",
    ),
}


@dataclass(frozen=True)
class ChoiceDef:
    id: int
    points: int | None  # None: "Non concerné", left out of the score
    dont_know: bool = False


@dataclass(frozen=True)
class QuestionDef:
    id: int
    axis: str
    weight: int
    choices: tuple[ChoiceDef, ...]
    # Shown only when the answer to `condition_question` scores at least
    # `condition_min_points` (None: always shown).
    condition_question: int | None = None
    condition_min_points: int | None = None


@dataclass(frozen=True)
class AxisDef:
    code: str
    weight: int


@dataclass(frozen=True)
class Definition:
    axes: tuple[AxisDef, ...]
    questions: tuple[QuestionDef, ...]

    def choice(self, choice_id) -> ChoiceDef | None:
        return self._choices.get(choice_id)

    @cached_property
    def _choices(self) -> dict[int, ChoiceDef]:
        return {c.id: c for q in self.questions for c in q.choices}


@dataclass
class Result:
    axes: dict[str, Decimal | None]  # None: "non évalué"
    overall: Decimal | None
    level: str | None
    findings: list[dict] = field(default_factory=list)
    dont_know: list[int] = field(default_factory=list)  # question ids


def one_decimal(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_shown(question: QuestionDef, answers: dict[int, int], definition: Definition) -> bool:
    if question.condition_question is None:
        return True
    chosen = definition.choice(answers.get(question.condition_question))
    return chosen is not None and (chosen.points or 0) >= question.condition_min_points


def shown_questions(definition: Definition, answers: dict[int, int]) -> list[QuestionDef]:
    return [q for q in definition.questions if is_shown(q, answers, definition)]


def weakest_questions(definition: Definition, answers: dict[int, int], count: int = 3) -> list[int]:
    """The ids of the `count` shown, answered questions with the fewest points ("Je ne
    sais pas" is 0, "Non concerné" is left out), the heavier first on a tie, then in
    questionnaire order."""
    ranked = []
    for position, question in enumerate(shown_questions(definition, answers)):
        choice = definition.choice(answers.get(question.id))
        if choice is not None and choice.points is not None:
            ranked.append((choice.points, -question.weight, position, question.id))
    return [question_id for *_, question_id in sorted(ranked)[:count]]


def axis_scores(definition: Definition, answers: dict[int, int]) -> dict[str, Decimal | None]:
    """100 × Σ(weight × points) / Σ(weight × max points) over the axis's shown, answered
    questions; "Non concerné" leaves both sums; an axis with nothing to score is None."""
    sums = {axis.code: [0, 0] for axis in definition.axes}
    choices = definition._choices
    for question in shown_questions(definition, answers):
        choice = choices.get(answers.get(question.id))
        if choice is None or choice.points is None:
            continue
        sums[question.axis][0] += question.weight * choice.points
        sums[question.axis][1] += question.weight * MAX_POINTS
    return {
        code: one_decimal(Decimal(100 * got) / Decimal(best)) if best else None
        for code, (got, best) in sums.items()
    }


def overall_score(definition: Definition, scores: dict[str, Decimal | None]) -> Decimal | None:
    weighted = [(scores[a.code], a.weight) for a in definition.axes if scores[a.code] is not None]
    total_weight = sum(weight for _, weight in weighted)
    if not total_weight:
        return None
    return one_decimal(sum(score * weight for score, weight in weighted) / total_weight)


def level_for(score: Decimal | None) -> str | None:
    if score is None:
        return None
    level = LEVEL_THRESHOLDS[0][0]
    for candidate, lower in LEVEL_THRESHOLDS:
        if score >= lower:
            level = candidate
    return level


def coherence_findings(scores: dict[str, Decimal | None]) -> list[dict]:
    """A named finding with advice for each gap of COHERENCE_GAP points or more between
    vision, action and means (the higher axis first)."""
    findings = []
    for high, low in FINDINGS:
        if scores.get(high) is None or scores.get(low) is None:
            continue
        gap = scores[high] - scores[low]
        if gap >= COHERENCE_GAP:
            title, advice = FINDINGS[(high, low)]
            findings.append({"code": f"{high}-{low}", "title": title, "advice": advice, "gap": gap})
    return sorted(findings, key=lambda f: -f["gap"])


def score(definition: Definition, answers: dict[int, int]) -> Result:
    scores = axis_scores(definition, answers)
    overall = overall_score(definition, scores)
    choices = definition._choices
    dont_know = [
        q.id
        for q in shown_questions(definition, answers)
        if (c := choices.get(answers.get(q.id))) is not None and c.dont_know
    ]
    return Result(
        axes=scores,
        overall=overall,
        level=level_for(overall),
        findings=coherence_findings(scores),
        dont_know=dont_know,
    )
