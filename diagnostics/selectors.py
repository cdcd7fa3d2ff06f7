"""What the results page shows, read from a completed response: its frozen results,
recommended tools and cases, peers, evolution and next steps."""

from decimal import Decimal

from django.db.models import Prefetch

from diagnostics import charts, recommendations, statistics, synthesis
from diagnostics.enums import ActorType
from diagnostics.models import Action, Campaign, Response, Roadmap, RoadmapItem
from diagnostics.scoring import LEVEL_MEANINGS, level_for, weakest_questions
from diagnostics.services import LEVEL_ORDER
from diagnostics.steps import questionnaire_parts, saved_answers
from resources.enums import Level
from resources.models import Resource

LEVEL_LABELS = dict(Level.choices)

WEAK_QUESTIONS = 3


def results_context(response: Response) -> dict:
    snapshot = response.snapshot
    axes = snapshot["axes"]
    scored = sorted((a for a in axes if a["score"] is not None), key=lambda a: float(a["score"]))
    weakest = scored[:2]
    level = snapshot["level"]
    weak_questions = weakest_answers(response)
    codes = list(
        dict.fromkeys([a["code"] for a in weakest] + [q.axis.code for q in weak_questions])
    )
    found = recommendations.suggestions(response, codes, level)
    tools = [
        {
            "axis": axis,
            "resources": found["tools"][axis["code"]][0][: recommendations.PER_AXIS],
            "catalogue_url": found["tools"][axis["code"]][1],
        }
        for axis in weakest
    ]
    next_steps = readings_for(weak_questions, found["tools"], tools)
    cases = found["cases"]
    parcours = found["parcours"]
    peers = statistics.peer_quartiles(response.size_band) if response.size_band else {}
    comparison = [
        axis | {"peers": peers[axis["code"]]}
        if axis["code"] in peers and peers[axis["code"]]["n"] >= statistics.MIN_GROUP
        else axis | {"peers": None}
        for axis in axes
    ]
    previous = None
    if response.previous_id:
        previous = (
            Response.objects.filter(pk=response.previous_id, completed_at__isnull=False)
            .only("snapshot", "completed_at")
            .first()
        )
    evolution = []
    if previous and previous.snapshot:
        before = {a["code"]: a["score"] for a in previous.snapshot["axes"]}
        for axis in axes:
            if axis["score"] is not None and before.get(axis["code"]) is not None:
                evolution.append(
                    axis | {"before": before[axis["code"]],
                            "change": round(float(axis["score"]) - float(before[axis["code"]]), 1)}
                )  # fmt: skip
    radar = charts.radar(
        [(a["name"], float(a["score"]) if a["score"] is not None else None) for a in axes]
    )
    earlier = previous_targets(response)
    reached = []
    if earlier:
        rows = [level_row(a["code"], a["name"], a["score"]) for a in axes]
        reached = targets_reached(earlier["targets"], rows)
    return {
        "reached": reached,
        "previous_roadmap_date": earlier and (earlier["frozen_at"] or earlier["created_at"]),
        "response": response,
        "snapshot": snapshot,
        "level_label": dict(Level.choices).get(level, ""),
        "radar": radar,
        "tools": tools,
        "cases": cases,
        "parcours": parcours,
        "catalysts": found["catalysts"],
        "comparison": comparison,
        "peer_count": max((p["n"] for p in peers.values()), default=0),
        "previous": previous,
        "evolution": evolution,
        "min_group": statistics.MIN_GROUP,
        "next_steps": next_steps,
    }


def weakest_answers(response: Response) -> list:
    """The response's weakest questions (Question objects, with their axis), from its
    answers and its questionnaire's structure (kept per process). No query when the
    response was read with its answers (with_saved_answers), else one."""
    axes, definition = questionnaire_parts(response.questionnaire)
    if hasattr(response, "answered_questions"):
        answers = saved_answers(response)
    else:
        answers = dict(response.answers.values_list("question_id", "choice_id"))
    questions = {}
    for axis in axes:
        for question in axis.questions.all():
            question.axis = axis  # already loaded: no query when the template reads it
            questions[question.pk] = question
    return [questions[pk] for pk in weakest_questions(definition, answers, WEAK_QUESTIONS)]


def readings_for(questions, tools: dict, shown: list[dict]) -> list[dict]:
    """For each weak question, one read from its axis's recommended resources: one not
    yet offered on the page if there is one, else one not yet offered in this list."""
    on_page = {r.pk for item in shown for r in item["resources"]}
    offered = set()
    steps = []
    for question in questions:
        candidates, catalogue_url = tools.get(question.axis.code, ([], "/ressources/"))
        fresh = [r for r in candidates if r.pk not in offered]
        resource = next((r for r in fresh if r.pk not in on_page), fresh[0] if fresh else None)
        if resource is not None:
            offered.add(resource.pk)
        steps.append({"question": question, "resource": resource, "catalogue_url": catalogue_url})
    return steps


# --- Feuille de route ---------------------------------------------------------------

WEAK_AXES = 2


def level_row(code: str, name: str, score) -> dict:
    level = level_for(Decimal(str(score))) if score is not None else None
    return {"code": code, "name": name, "score": score, "level": level,
            "level_label": LEVEL_LABELS.get(level, "")}  # fmt: skip


def person_bilan(response: Response) -> tuple[list[dict], dict[int, int]]:
    """The bilan rows of a completed response (its frozen axis scores and their
    levels) and the points of its answered questions (one query)."""
    rows = [level_row(a["code"], a["name"], a["score"]) for a in response.snapshot["axes"]]
    _axes, definition = questionnaire_parts(response.questionnaire)
    points = {}
    for question_id, choice_id in response.answers.values_list("question_id", "choice_id"):
        choice = definition.choice(choice_id)
        if choice is not None and choice.points is not None:
            points[question_id] = choice.points
    return rows, points


def group_bilan(campaign: Campaign) -> tuple[list[dict], dict[int, int]]:
    """The bilan rows of a shared diagnostic (the group's axis medians and their
    levels) and, as its weak points, the questions the group could not answer (its
    "angles morts", 0 points). No query: the stored consolidated view."""
    axes, _definition = questionnaire_parts(campaign.questionnaire)
    medians = {a["code"]: a["mediane"] for a in (campaign.synthesis or {}).get("axes", [])}
    rows = [level_row(a.code, a.name, medians.get(a.code)) for a in axes]
    blind = (campaign.synthesis or {}).get("angles_morts", [])
    return rows, {b["question"]: 0 for b in blind}


def weak_axes(rows: list[dict]) -> list[str]:
    scored = sorted((r for r in rows if r["score"] is not None), key=lambda r: float(r["score"]))
    return [r["code"] for r in scored[:WEAK_AXES]]


def roadmap_of(**owner) -> Roadmap | None:
    """The owner's roadmap with its actions (two queries, one if there is none)."""
    items = RoadmapItem.objects.select_related("action")
    return Roadmap.objects.filter(**owner).prefetch_related(Prefetch("items", items)).first()


def action_catalogue() -> list[Action]:
    """The published actions with their questions and published resources (3 queries)."""
    resources = Resource.objects.published().only("slug", "title", "kind")
    return list(
        Action.objects.filter(is_published=True).prefetch_related(
            "questions", Prefetch("resources", resources)
        )
    )


def targets_reached(targets: dict, rows: list[dict]) -> list[dict]:
    """For each axis with a target: the level reached now and whether it meets it."""
    reached = []
    for row in rows:
        target = targets.get(row["code"])
        if target not in LEVEL_ORDER:
            continue
        met = row["level"] in LEVEL_ORDER and (
            LEVEL_ORDER.index(row["level"]) >= LEVEL_ORDER.index(target)
        )
        reached.append(row | {"target": target, "target_label": LEVEL_LABELS[target],
                              "met": met})  # fmt: skip
    return reached


def previous_targets(response: Response) -> dict | None:
    """The roadmap of the diagnostic this one redoes, if it had one (one query)."""
    if not response.previous_id:
        return None
    return (
        Roadmap.objects.filter(response_id=response.previous_id)
        .values("targets", "created_at", "frozen_at")
        .first()
    )


ACTOR_LABELS = dict(ActorType.choices) | {synthesis.OTHERS: "Autres types d’acteurs"}


TYPE_ORDER = {code: rank for rank, code in enumerate([*ActorType.values, synthesis.OTHERS])}


def stored_synthesis(campaign_synthesis) -> dict:
    """The stored document with its actor types back in their order (jsonb keeps an
    object's keys in an order of its own)."""
    document = campaign_synthesis or synthesis.synthesize(None, [])

    def ordered(by_type: dict) -> dict:
        return dict(sorted(by_type.items(), key=lambda item: TYPE_ORDER.get(item[0], 99)))

    return document | {
        "par_type": ordered(document["par_type"]),
        "axes": [axis | {"par_type": ordered(axis["par_type"])} for axis in document["axes"]],
    }


def synthesis_context(campaign) -> dict:
    """What the organiser's page shows from the stored consolidated view (no query but
    the questionnaire's structure, kept per process); rendered by the campaign_synthesis tag."""
    document = stored_synthesis(campaign.synthesis)
    axes, _ = questionnaire_parts(campaign.questionnaire)
    axis_names = {a.code: a.name for a in axes}
    questions = {q.pk: (q, a) for a in axes for q in a.questions.all()}
    level = document["niveau"]
    return {
        "document": document,
        "shown": document["participants"] >= synthesis.MIN_SHOWN,
        "level": level
        and {
            **level,
            "name": dict(Level.choices).get(level["code"], ""),
            "meaning": LEVEL_MEANINGS.get(level["code"], ""),
        },
        "types": [(ACTOR_LABELS.get(code, code), n) for code, n in document["par_type"].items()],
        "axes": [
            {
                **axis,
                "name": axis_names.get(axis["code"], axis["code"]),
                "rows": charts.spread(axis, ACTOR_LABELS, document["participants"]),
            }
            for axis in document["axes"]
        ],
        "gaps": [
            gap
            | {
                "name": axis_names.get(gap["axe"], gap["axe"]),
                "high": ACTOR_LABELS.get(gap["plus_haut"]),
                "low": ACTOR_LABELS.get(gap["plus_bas"]),
                "finding": gap["ecart"] >= synthesis.PERCEPTION_GAP,
            }
            for gap in document["ecarts_de_perception"]
        ],  # fmt: skip
        "divergences": [
            d | {"text": questions[d["question"]][0].text, "axis": questions[d["question"]][1].name}
            for d in document["divergences"]
            if d["question"] in questions
        ],  # fmt: skip
        "blind_spots": [
            b | {"text": questions[b["question"]][0].text, "axis": questions[b["question"]][1].name}
            for b in document["angles_morts"]
            if b["question"] in questions
        ],  # fmt: skip
        "coherence": synthesis.group_coherence(document),
        "perception_gap": synthesis.PERCEPTION_GAP,
        "min_shown": synthesis.MIN_SHOWN,
    }
