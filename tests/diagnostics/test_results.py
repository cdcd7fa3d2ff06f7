"""Results: recomputed from questionnaire.json, frozen, compared, recommended."""

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diagnostics.models import Recommendation, Response
from diagnostics.statistics import territory_statistics
from resources.french import french_spacing
from resources.models import Theme
from tests.diagnostics.conftest import Taker
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def recompute(document: dict, answers: dict[int, int]) -> dict:
    """An independent reading of the published rules, from questionnaire.json only."""
    choices = {c["id"]: c for a in document["axes"] for q in a["questions"] for c in q["reponses"]}
    points = {q: choices[c]["points"] for q, c in answers.items()}
    scores = {}
    for axis in document["axes"]:
        got = best = 0
        for question in axis["questions"]:
            condition = question["condition"]
            if condition and (points.get(condition["question"]) or 0) < condition["points_minimum"]:
                continue
            if question["id"] not in answers or points[question["id"]] is None:
                continue
            got += question["poids"] * points[question["id"]]
            best += question["poids"] * document["regles"]["points_maximum"]
        scores[axis["code"]] = (
            Decimal(100 * got / best).quantize(Decimal("0.1"), ROUND_HALF_UP) if best else None
        )
    weights = {a["code"]: a["poids"] for a in document["axes"]}
    evaluated = {k: v for k, v in scores.items() if v is not None}
    overall = (
        sum(v * weights[k] for k, v in evaluated.items()) / sum(weights[k] for k in evaluated)
    ).quantize(Decimal("0.1"), ROUND_HALF_UP)
    level = [n["code"] for n in document["regles"]["niveaux"] if overall >= n["a_partir_de"]][-1]
    return {"axes": scores, "overall": overall, "level": level}


@pytest.mark.parametrize("seed", range(6))
def test_scores_match_an_independent_computation_from_the_published_rules(client, db, seed):
    document = client.get("/diagnostic/questionnaire.json").json()
    rng = random.Random(seed)
    taker = Taker(client)

    def answer(question):
        kinds = [c.kind for c in question.choices.all()]
        options = [0, 1, 2, 3, "nsp"] + (["nc"] if "non-concerne" in kinds else [])
        return rng.choice(options)

    taker.complete(points=answer)
    response = taker.response
    answers = dict(response.answers.values_list("question_id", "choice_id"))
    expected = recompute(document, answers)
    result = client.get(f"/diagnostic/{taker.token}/resultats.json").json()
    assert {a["code"]: a["score"] and Decimal(a["score"]) for a in result["axes"]} == expected[
        "axes"
    ]
    assert Decimal(result["score_global"]) == expected["overall"]
    assert result["niveau"] == expected["level"]


def test_results_stay_frozen_and_answers_cannot_change_afterwards(taker, client):
    taker.complete(points=lambda q: 1)
    before = client.get(f"/diagnostic/{taker.token}/resultats.json").json()
    late = taker.answer_axis(0, lambda q: 3)
    assert late.status_code == 302 and late["Location"].endswith("/resultats/")
    assert client.get(f"/diagnostic/{taker.token}/resultats.json").json() == before


def test_the_results_page_recommends_tools_for_the_weakest_axes_and_nearby_cases(taker, client):
    evaluation = Theme.objects.create(name="Évaluation", slug="evaluation-test")
    tool = ResourceFactory(title="Référentiel d’évaluation partenariale", themes=[evaluation])
    Recommendation.objects.create(axis_code="evaluation").themes.add(evaluation)
    case = ResourceFactory(case=True, title="Un cas francilien", region_id="11")
    ResourceFactory(case=True, title="Un cas breton, grande ville", region_id="53",
                    size_band="moins-de-2000")  # fmt: skip

    taker.complete(points=lambda q: 0 if q.axis.code in ("evaluation", "vision") else 3)
    html = client.get(f"/diagnostic/{taker.token}/resultats/").content.decode()
    assert "Les outils pour vous éclairer" in html
    assert tool.get_absolute_url() in html
    assert "/ressources/?theme=evaluation-test" in html
    assert case.get_absolute_url() in html and "Un cas breton" not in html
    assert "Des actions sans cap commun" in html


def test_peers_appear_from_five_comparable_responses(client, db):
    takers = []
    for points in (0, 1, 2, 3, 3):
        taker = Taker(client)
        taker.complete(points=lambda q, p=points: p)
        takers.append(taker)
    html = client.get(f"/diagnostic/{takers[0].token}/resultats/").content.decode()
    assert "Comparaison avec 5 diagnostics" in html
    assert "66,7" in html  # the median of 0, 33.3, 66.7, 100, 100


def test_few_responses_say_there_are_not_enough_to_compare(taker, client):
    taker.complete()
    html = client.get(f"/diagnostic/{taker.token}/resultats/").content.decode()
    assert "pas assez de diagnostics" in html


def redo_key(html: str) -> str:
    marker = 'name="cle" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_refaire_submitted_twice_creates_one_response(taker, client):
    taker.complete()
    first = taker.response
    page = client.get(f"/diagnostic/{taker.token}/resultats/").content.decode()
    key = redo_key(page)
    once = client.post(f"/diagnostic/{taker.token}/refaire/", {"cle": key})
    twice = client.post(f"/diagnostic/{taker.token}/refaire/", {"cle": key})
    assert once.status_code == twice.status_code == 303
    assert once["Location"] == twice["Location"]
    assert Response.objects.filter(previous=first).count() == 1
    # Another visit to the results gives another key: a deliberate new start.
    other = redo_key(client.get(f"/diagnostic/{taker.token}/resultats/").content.decode())
    assert other != key
    client.post(f"/diagnostic/{taker.token}/refaire/", {"cle": other})
    assert Response.objects.filter(previous=first).count() == 2


def test_redoing_prefills_the_answers_and_shows_the_change(taker, client):
    taker.complete(points=lambda q: 1)
    first = taker.response
    key = redo_key(client.get(f"/diagnostic/{taker.token}/resultats/").content.decode())
    redo = client.post(f"/diagnostic/{taker.token}/refaire/", {"cle": key})
    assert redo.status_code == 303
    second = Response.objects.exclude(pk=first.pk).get()
    assert second.previous == first and second.commune_id == first.commune_id
    assert second.answers.count() == first.answers.count()
    taker.token = second.token
    assert taker.profile().status_code == 303
    for index in range(len(taker.axes)):
        taker.answer_axis(index, lambda q: 3 if q.axis.code == "action" else 1)
    html = client.get(f"/diagnostic/{second.token}/resultats/").content.decode()
    assert "Votre évolution" in html and "+66,7 points" in html
    assert "<td>0,0 point</td>" in html  # French: 0 (and 1) in the singular


def test_the_results_page_makes_the_same_few_queries_however_many_responses(client, db):
    for _ in range(3):
        Taker(client).complete()
    taker = Taker(client)
    taker.complete()
    url = f"/diagnostic/{taker.token}/resultats/"
    client.get(url)  # per-process caches warm, as in production
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        Taker(client).complete()
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 12


def test_the_observatory_function_counts_consenting_real_completed_responses(client, db):
    for consent in ("oui", "oui", "oui", "oui", "oui", "non"):
        Taker(client).complete(consent=consent)
    Taker(client).start()  # unfinished
    statistics = territory_statistics()
    assert statistics["total"] == 5
    assert statistics["by_region"]["11"]["n"] == 5
    # All five at one level: its count beside the others' zeros would tell each one's
    # level, so the whole row of levels is masked (secret statistique).
    assert set(statistics["by_region"]["11"]["levels"].values()) == {None}
    assert statistics["by_region"]["11"]["axes"]["vision"] == Decimal("66.7")
    Taker(client).complete(query="Les Mureaux")
    assert territory_statistics()["by_region"]["11"]["n"] == 6
    Taker(client).complete(query="Rennes")
    brittany = territory_statistics()["by_region"]["53"]
    assert brittany == {"n": None, "levels": {}, "axes": {}, "hidden": True}


def test_unfinished_responses_are_purged_after_the_delay(client, db):
    old, recent = Taker(client), Taker(client)
    old.start()
    recent.start()
    Response.objects.filter(token=old.token).update(updated_at="2020-01-01T00:00:00Z")
    Taker(client).complete()
    call_command("purge_diagnostics", "--jours", "30", stdout=open("/dev/null", "w"))
    assert set(Response.objects.values_list("token", flat=True)) >= {recent.token}
    assert not Response.objects.filter(token=old.token).exists()
    assert Response.objects.count() == 2


def test_a_recent_answer_keeps_an_old_unfinished_response(client, db):
    taker = Taker(client)
    taker.start()
    taker.profile()
    taker.answer_axis(0, lambda q: 1)
    Response.objects.filter(token=taker.token).update(updated_at="2020-01-01T00:00:00Z")
    call_command("purge_diagnostics", "--jours", "30", stdout=open("/dev/null", "w"))
    assert Response.objects.filter(token=taker.token).exists()


def test_et_maintenant_offers_the_three_weakest_questions_with_what_to_read(taker, client):
    axes = {axis.code: list(axis.questions.all()) for axis in taker.axes}
    weak = [axes["vision"][0], axes["action"][1], axes["evaluation"][0]]
    readings = {}
    for question in weak:
        theme = Theme.objects.create(name=question.axis.name, slug=f"t-{question.axis.code}")
        readings[question.axis.code] = ResourceFactory(
            title=f"À lire pour {question.axis.code}", themes=[theme]
        )
        Recommendation.objects.create(axis_code=question.axis.code).themes.add(theme)
    # "Je ne sais pas" is weak too, but the three answered 0 come first.
    taker.complete(points=lambda q: 0 if q in weak else (1 if q == axes["moyens"][0] else 3))

    html = client.get(f"/diagnostic/{taker.token}/resultats/").content.decode()
    section = html[html.index("Et maintenant") :]
    for question in weak:
        assert french_spacing(question.text) in section
        assert readings[question.axis.code].get_absolute_url() in section
    assert french_spacing(axes["moyens"][0].text) not in section  # the fourth weakest
    assert "Refaire le diagnostic" in section


def test_the_report_line_leaves_out_a_role_not_given(taker, client):
    """A shared diagnostic's participant gives an actor type, not a role."""
    taker.complete()
    Response.objects.filter(token=taker.token).update(role="")
    page = client.get(f"/diagnostic/{taker.token}/resultats/").content.decode()
    assert "Diagnostic terminé le" in page
    assert ", , " not in page
    assert ", questionnaire version" in page


def test_a_visitor_reads_results_in_two_queries(client, db, django_assert_num_queries):
    """The response with its answers (with_saved_answers), then the content versions
    the suggestions are kept under: a visitor without a session cookie, caches warm."""
    from django.test import Client

    taker = Taker(client)
    taker.complete()
    url = f"/diagnostic/{taker.token}/resultats/"
    fresh = Client()
    fresh.get(url)
    with django_assert_num_queries(2):
        assert fresh.get(url).status_code == 200
