"""The consolidated view of a shared diagnostic: pure functions over plain data, no
database. `synthesize` gives the document served as synthese.json (and stored on the
campaign, see Campaign.synthesis); the page adds what follows from it (coherence,
the level's meaning, wording).

Privacy rules (n >= MIN_SHOWN at every level): nothing before MIN_SHOWN completed
participants; an actor type is shown only with MIN_SHOWN completed participants, the
others are pooled as "autres", itself hidden under MIN_SHOWN; a mean, a median, a
standard deviation or a share is computed only over MIN_SHOWN values or more."""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from diagnostics.enums import ActorType
from diagnostics.scoring import Definition, coherence_findings, is_shown, level_for, one_decimal

MIN_SHOWN = 3
OTHERS = "autres"
PERCEPTION_GAP = 20  # points between two actor types' means: a finding
DIVERGENCES = 5
BLIND_SPOT_SHARE = Decimal("0.3")  # "Je ne sais pas" from 30 % of the answers


@dataclass(frozen=True)
class Participant:
    """One completed participant: their frozen scores and their answers."""

    actor_type: str
    overall: Decimal | None
    axes: dict[str, Decimal | None]
    answers: dict[int, int] = field(default_factory=dict)  # question id -> choice id


def figure(value: Decimal) -> float:
    """One decimal, half up, as a JSON number."""
    return float(one_decimal(value))


def groups_of(participants: list[Participant]) -> dict[str, list[Participant]]:
    """Shown groups in the order of ActorType, then "autres" (the pooled small types)."""
    by_type: dict[str, list[Participant]] = {}
    for participant in participants:
        by_type.setdefault(participant.actor_type, []).append(participant)
    groups, others = {}, []
    for code in ActorType.values:
        members = by_type.pop(code, [])
        if len(members) >= MIN_SHOWN:
            groups[code] = members
        else:
            others += members
    for members in by_type.values():  # a code no longer listed: pooled too
        others += members
    if len(others) >= MIN_SHOWN:
        groups[OTHERS] = others
    return groups


def spread(values: list[Decimal]) -> dict:
    """Median, first and third quartiles ("inclusive" method), one decimal each."""
    if len(values) < MIN_SHOWN:
        return {"mediane": None, "q1": None, "q3": None}
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"mediane": figure(statistics.median(values)), "q1": figure(q1), "q3": figure(q3)}


def axis_figures(code: str, participants, groups) -> dict:
    scores = [p.axes[code] for p in participants if p.axes.get(code) is not None]
    by_type = {}
    for group, members in groups.items():
        values = [p.axes[code] for p in members if p.axes.get(code) is not None]
        mean = figure(statistics.mean(values)) if len(values) >= MIN_SHOWN else None
        by_type[group] = {"n": len(values), "moyenne": mean}
    return {"code": code, **spread(scores), "par_type": by_type}


def perception_gaps(axes: list[dict]) -> list[dict]:
    """Per axis, the highest minus the lowest actor type mean (as shown, one decimal),
    over actor types only: "autres" mixes several types and has no perception of its
    own. An axis with fewer than two such means has no gap."""
    gaps = []
    for axis in axes:
        means = [
            (mean, code)
            for code, figures in axis["par_type"].items()
            if code != OTHERS and (mean := figures["moyenne"]) is not None
        ]
        if len(means) < 2:
            continue
        high = max(means, key=lambda m: m[0])  # the first in ActorType order on a tie
        low = min(means, key=lambda m: m[0])
        gap = figure(Decimal(str(high[0])) - Decimal(str(low[0])))
        gaps.append({"axe": axis["code"], "ecart": gap, "plus_haut": high[1], "plus_bas": low[1]})
    return gaps


def answered(definition: Definition, participants, question):
    """The choices of the participants who were shown `question` and answered it."""
    for participant in participants:
        choice_id = participant.answers.get(question.id)
        if choice_id is not None and is_shown(question, participant.answers, definition):
            choice = definition.choice(choice_id)
            if choice is not None:
                yield choice


def divergences(definition: Definition, participants) -> list[dict]:
    """The DIVERGENCES questions whose graded answers (Je ne sais pas and Non concerné
    left out) spread the most: population standard deviation of their points, over
    MIN_SHOWN graded answers or more; a question everyone answered alike is no
    divergence; ties in questionnaire order."""
    ranked = []
    for position, question in enumerate(definition.questions):
        points = [
            c.points
            for c in answered(definition, participants, question)
            if not c.dont_know and c.points is not None
        ]
        if len(points) >= MIN_SHOWN and (deviation := statistics.pstdev(points)) > 0:
            ranked.append((-deviation, position, question.id, deviation))
    return [
        {"question": question_id, "ecart_type": round(deviation, 2)}
        for _, _, question_id, deviation in sorted(ranked)[:DIVERGENCES]
    ]


def blind_spots(definition: Definition, participants) -> list[dict]:
    """Questions where BLIND_SPOT_SHARE or more of the answers (over MIN_SHOWN or more)
    are "Je ne sais pas", in questionnaire order; the share in percent, one decimal."""
    spots = []
    for question in definition.questions:
        choices = list(answered(definition, participants, question))
        dont_know = sum(1 for c in choices if c.dont_know)
        if len(choices) >= MIN_SHOWN and dont_know >= BLIND_SPOT_SHARE * len(choices):
            share = figure(Decimal(100 * dont_know) / Decimal(len(choices)))
            spots.append({"question": question.id, "part_ne_sait_pas": share})
    return spots


def synthesize(definition: Definition, participants: list[Participant]) -> dict:
    """The document of synthese.json for these completed participants."""
    document = {
        "participants": len(participants),
        "par_type": {},
        "niveau": None,
        "axes": [],
        "ecarts_de_perception": [],
        "divergences": [],
        "angles_morts": [],
    }
    if len(participants) < MIN_SHOWN:
        return document
    groups = groups_of(participants)
    axes = [axis_figures(axis.code, participants, groups) for axis in definition.axes]
    overall = spread([p.overall for p in participants if p.overall is not None])["mediane"]
    level = level_for(Decimal(str(overall))) if overall is not None else None
    return document | {
        "par_type": {code: len(members) for code, members in groups.items()},
        "niveau": {"code": level, "mediane_score_global": overall} if level else None,
        "axes": axes,
        "ecarts_de_perception": perception_gaps(axes),
        "divergences": divergences(definition, participants),
        "angles_morts": blind_spots(definition, participants),
    }


def group_coherence(document: dict) -> list[dict]:
    """Coherence findings of vision, action and means on the group's medians."""
    medians = {
        axis["code"]: Decimal(str(axis["mediane"]))
        for axis in document["axes"]
        if axis["mediane"] is not None
    }
    return coherence_findings(medians)


def perception_findings(document: dict) -> list[dict]:
    return [gap for gap in document["ecarts_de_perception"] if gap["ecart"] >= PERCEPTION_GAP]
