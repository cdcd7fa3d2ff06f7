"""What the results page shows, read from a completed response: its frozen results,
recommended tools and cases, peers, evolution and next steps."""

from diagnostics import charts, recommendations, statistics
from diagnostics.models import Response
from diagnostics.scoring import weakest_questions
from diagnostics.steps import questionnaire_parts
from resources.enums import Level

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
    return {
        "response": response,
        "snapshot": snapshot,
        "level_label": dict(Level.choices).get(level, ""),
        "radar": radar,
        "tools": tools,
        "cases": cases,
        "comparison": comparison,
        "peer_count": max((p["n"] for p in peers.values()), default=0),
        "previous": previous,
        "evolution": evolution,
        "min_group": statistics.MIN_GROUP,
        "next_steps": next_steps,
    }


def weakest_answers(response: Response) -> list:
    """The response's weakest questions (Question objects, with their axis), from its
    answers and its questionnaire's structure (kept per process). One query."""
    axes, definition = questionnaire_parts(response.questionnaire)
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
