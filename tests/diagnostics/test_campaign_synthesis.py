"""synthese.json recomputed independently from the participants' answers and the
public rules of /diagnostic/questionnaire.json; the organiser page's query count does
not grow with the participants."""

import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from diagnostics.models import Answer, Campaign, Response
from tests.diagnostics.test_campaign import Participant, create

pytestmark = pytest.mark.django_db


def half_up(value) -> float:
    return float(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def pattern(kind):
    """Answers by actor type, varied by question position: "nsp", "nc" and branching
    (a follow-up shows only when its condition question scores enough)."""

    def answer(question):
        position = question.position
        if kind == "elu":
            return "nsp" if position % 4 == 0 else 3
        if kind == "agent":
            return "nc" if position == 2 else (2 if position % 2 else 1)
        if kind == "entreprise":
            return "nsp" if position == 1 else position % 2
        if kind == "habitant":
            return "nsp"
        return 1

    return answer


class Varied(Participant):
    """A participant whose "nc" or "nsp" falls back to 1 point where a question lacks it."""

    @staticmethod
    def choice_for(question, answer):
        try:
            return Participant.choice_for(question, answer)
        except LookupError:
            return Participant.choice_for(question, 1)


GROUP = ["elu"] * 4 + ["agent"] * 3 + ["entreprise"] * 3 + ["association", "association"]
GROUP += ["habitant"]


@pytest.fixture
def campaign(client):
    assert create(client).status_code == 303
    campaign = Campaign.objects.get()
    for kind in GROUP:
        taker = Varied(Client(), campaign)
        taker.complete(points=pattern(kind), actor_type=kind)
    return campaign


def recompute(document, answers_by_person, kinds):
    """From the rules of questionnaire.json only (not the site's scoring code)."""
    choices, questions = {}, []
    for axis in document["axes"]:
        for question in axis["questions"]:
            questions.append((axis["code"], axis["poids"], question))
            for choice in question["reponses"]:
                choices[choice["id"]] = choice

    def shown(question, answers):
        condition = question["condition"]
        if condition is None:
            return True
        chosen = choices.get(answers.get(condition["question"]))
        return chosen is not None and (chosen["points"] or 0) >= condition["points_minimum"]

    people = []
    for person, answers in answers_by_person.items():
        sums = {axis["code"]: [0, 0] for axis in document["axes"]}
        for code, _, question in questions:
            choice = choices.get(answers.get(question["id"]))
            if shown(question, answers) and choice and choice["points"] is not None:
                sums[code][0] += question["poids"] * choice["points"]
                sums[code][1] += question["poids"] * 3
        axes = {c: (Decimal(100 * g) / Decimal(b)).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if b else None for c, (g, b) in sums.items()}  # fmt: skip
        weights = {a["code"]: a["poids"] for a in document["axes"]}
        scored = [(v, weights[c]) for c, v in axes.items() if v is not None]
        overall = (sum(v * w for v, w in scored) / sum(w for _, w in scored)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        people.append((kinds[person], axes, overall, answers))

    counts = {}
    for kind, *_ in people:
        counts[kind] = counts.get(kind, 0) + 1
    shown_types = {k for k, n in counts.items() if n >= 3}
    group_of = {k: (k if k in shown_types else "autres") for k in counts}
    pool = sum(n for k, n in counts.items() if k not in shown_types)
    expected_types = {k: counts[k] for k in shown_types} | ({"autres": pool} if pool >= 3 else {})

    axes_out = []
    for axis in document["axes"]:
        code = axis["code"]
        values = [p[1][code] for p in people if p[1][code] is not None]
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        by_type = {}
        for group in expected_types:
            members = [p[1][code] for p in people
                       if group_of[p[0]] == group and p[1][code] is not None]  # fmt: skip
            by_type[group] = {"n": len(members),
                              "moyenne": half_up(statistics.mean(members)) if len(members) >= 3
                              else None}  # fmt: skip
        axes_out.append({"code": code, "mediane": half_up(statistics.median(values)),
                         "q1": half_up(q1), "q3": half_up(q3), "par_type": by_type})  # fmt: skip

    divergences, blind = [], []
    for position, (_, _, question) in enumerate(questions):
        given = [choices[a[question["id"]]] for *_, a in people
                 if question["id"] in a and shown(question, a)]  # fmt: skip
        points = [c["points"] for c in given if c["nature"] == "gradue"]
        if len(points) >= 3 and statistics.pstdev(points) > 0:
            divergences.append((-statistics.pstdev(points), position, question["id"]))
        dont_know = sum(1 for c in given if c["nature"] == "ne-sait-pas")
        if len(given) >= 3 and dont_know / len(given) >= 0.3:
            blind.append(
                {
                    "question": question["id"],
                    "part_ne_sait_pas": half_up(Decimal(100 * dont_know) / len(given)),
                }
            )
    return {
        "types": expected_types,
        "axes": axes_out,
        "median_overall": half_up(statistics.median([p[2] for p in people])),
        "divergences": [
            {"question": q, "ecart_type": round(-d, 2)} for d, _, q in sorted(divergences)[:5]
        ],
        "blind": blind,
    }


def test_synthese_json_matches_an_independent_recomputation(client, campaign):
    document = client.get("/diagnostic/questionnaire.json").json()
    participants = Response.objects.filter(campaign=campaign)
    kinds = dict(participants.values_list("pk", "actor_type"))
    answers = {pk: {} for pk in kinds}
    for pk, question, choice in Answer.objects.filter(response__in=participants).values_list(
        "response_id", "question_id", "choice_id"
    ):
        answers[pk][question] = choice
    expected = recompute(document, answers, kinds)
    got = client.get(f"/diagnostic/collectif/{campaign.organiser_token}/synthese.json").json()

    assert set(got) == {"participants", "par_type", "niveau", "axes",
                        "ecarts_de_perception", "divergences", "angles_morts"}  # fmt: skip
    assert got["participants"] == len(GROUP)
    # In the order of questionnaire.json's actor types, "autres" last (not jsonb's order).
    assert list(got["par_type"]) == ["elu", "agent", "entreprise", "autres"]
    assert all(list(axis["par_type"]) == list(got["par_type"]) for axis in got["axes"])
    assert got["par_type"] == expected["types"] == {"elu": 4, "agent": 3, "entreprise": 3,
                                                    "autres": 3}  # fmt: skip
    assert got["axes"] == expected["axes"]
    assert got["niveau"]["mediane_score_global"] == expected["median_overall"]
    assert got["divergences"] == expected["divergences"] and len(got["divergences"]) == 5
    assert got["angles_morts"] == expected["blind"] and got["angles_morts"]
    codes = {t["code"] for t in document["types_acteurs"]} | {"autres"}
    assert set(got["par_type"]) <= codes
    for gap in got["ecarts_de_perception"]:
        axis = next(a for a in expected["axes"] if a["code"] == gap["axe"])
        means = {k: v["moyenne"] for k, v in axis["par_type"].items()
                 if k != "autres" and v["moyenne"] is not None}  # fmt: skip
        assert gap["ecart"] == half_up(Decimal(str(max(means.values())))
                                       - Decimal(str(min(means.values()))))  # fmt: skip
        assert means[gap["plus_haut"]] == max(means.values())
    assert any(gap["ecart"] >= 20 for gap in got["ecarts_de_perception"])
    page = client.get(f"/diagnostic/collectif/{campaign.organiser_token}/").content.decode()
    assert "les regards divergent" in page and "Les angles morts" in page


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_organiser_page_and_synthese_json_take_as_many_queries_whatever_the_number(
    client, campaign, django_assert_max_num_queries
):
    page = f"/diagnostic/collectif/{campaign.organiser_token}/"
    json_url = page + "synthese.json"
    client.get(page)  # the questionnaire's structure and the synthesis are then kept
    before = (queries_for(client, page), queries_for(client, json_url))
    for kind in ["elu"] * 5:
        Varied(Client(), campaign).complete(points=pattern(kind), actor_type=kind)
    # The new synthesis is read (one query) and rendered by the first visit only.
    assert queries_for(client, page) == before[0] + 1
    after = (queries_for(client, page), queries_for(client, json_url))
    assert before == after
    with django_assert_max_num_queries(2):  # campaign (with those in progress), directory
        client.get(page)
    with django_assert_max_num_queries(2):
        client.get(json_url)
