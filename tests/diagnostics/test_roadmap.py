"""The roadmap's data: default targets, suggested actions, saving, freezing, erasure."""

from datetime import date
from decimal import Decimal

import pytest

from diagnostics.models import Action, Question, Roadmap, RoadmapItem
from diagnostics.services import (
    MAX_ROADMAP_ACTIONS,
    RoadmapFrozen,
    campaign_create,
    campaign_delete,
    current_questionnaire,
    default_targets,
    roadmap_freeze,
    roadmap_get_or_create,
    roadmap_save,
    suggested_actions,
)
from resources.enums import Level
from territories.models import Commune

pytestmark = pytest.mark.django_db


def action(title, axis_code="vision", position=0, questions=(), max_points=None, published=True):
    made = Action.objects.create(
        title=title, why="Parce que.", first_step="Un premier pas.", axis_code=axis_code,
        position=position, max_points=max_points, is_published=published,
    )  # fmt: skip
    made.questions.set(questions)
    return made


def test_default_targets_are_one_level_up_capped_at_the_top_level():
    targets = default_targets(
        {"vision": Decimal("10"), "action": Decimal("60"), "moyens": Decimal("90"),
         "evaluation": None}
    )  # fmt: skip
    assert targets == {
        "vision": Level.EXPERIMENTATION,
        "action": Level.SCALING,
        "moyens": Level.SCALING,
        "evaluation": None,
    }


def test_actions_tied_to_a_weak_answer_come_first_then_the_weak_axes():
    questions = list(Question.objects.filter(axis__questionnaire=current_questionnaire())[:2])
    other = action("Autre axe", axis_code="evaluation", position=0)
    axis = action("Axe faible", axis_code="moyens", position=1)
    tied = action("Réponse faible", axis_code="vision", position=2, questions=[questions[0]],
                  max_points=1)  # fmt: skip
    too_high = action("Seuil dépassé", axis_code="vision", position=3, questions=[questions[1]],
                      max_points=0)  # fmt: skip
    actions = Action.objects.filter(is_published=True).prefetch_related("questions")
    ordered = suggested_actions(
        actions, weak_points={questions[0].pk: 1, questions[1].pk: 1}, weak_axes=["moyens"]
    )
    assert ordered == [tied, axis, other, too_high]


def test_suggestion_queries_do_not_grow_with_the_catalogue(django_assert_num_queries):
    question = Question.objects.filter(axis__questionnaire=current_questionnaire()).first()
    for count in (1, 8):
        for index in range(count):
            action(f"Action {count}-{index}", questions=[question])
        with django_assert_num_queries(2):
            actions = Action.objects.filter(is_published=True).prefetch_related("questions")
            assert len(suggested_actions(actions, weak_points={}, weak_axes=[])) >= count


def test_a_roadmap_is_created_once_with_default_targets(taker):
    taker.complete(points=lambda question: 0)
    response = taker.response
    scores = {r.axis_code: r.score for r in response.axis_results.all()}
    first = roadmap_get_or_create(response=response, scores=scores)
    again = roadmap_get_or_create(response=response, scores={})
    assert first.pk == again.pk and Roadmap.objects.filter(response=response).count() == 1
    assert set(first.targets.values()) == {Level.EXPERIMENTATION}


def test_saving_keeps_at_most_five_actions_each_once_on_the_first_of_the_month(taker):
    taker.complete()
    roadmap = roadmap_get_or_create(response=taker.response, scores={})
    actions = [action(f"Action {index}", position=index) for index in range(6)]
    with pytest.raises(ValueError):
        roadmap_save(roadmap=roadmap, targets={}, items=[{"action": a} for a in actions])
    assert not RoadmapItem.objects.filter(roadmap=roadmap).exists()

    items = [{"action": actions[0], "owner": "Mairie", "target_month": date(2027, 3, 15)},
             {"action": actions[0], "owner": "Doublon"}, {"action": actions[1]}]  # fmt: skip
    roadmap_save(roadmap=roadmap, targets={"vision": Level.SCALING, "action": "inconnu"},
                 items=items)  # fmt: skip
    roadmap_save(roadmap=roadmap, targets={"vision": Level.SCALING}, items=items)  # twice
    stored = list(roadmap.items.all())
    assert [(i.action, i.owner, i.target_month) for i in stored] == [
        (actions[0], "Mairie", date(2027, 3, 1)),
        (actions[1], "", None),
    ]
    roadmap.refresh_from_db()
    assert roadmap.targets == {"vision": Level.SCALING}
    assert len(stored) <= MAX_ROADMAP_ACTIONS


def test_a_frozen_roadmap_cannot_change(taker):
    taker.complete()
    roadmap = roadmap_get_or_create(response=taker.response, scores={})
    kept = action("Gardée")
    roadmap_save(roadmap=roadmap, targets={"vision": Level.SCALING}, items=[{"action": kept}])
    frozen = roadmap_freeze(roadmap=roadmap)
    assert frozen.is_frozen
    assert roadmap_freeze(roadmap=roadmap).frozen_at == frozen.frozen_at  # first date kept
    with pytest.raises(RoadmapFrozen):
        roadmap_save(roadmap=roadmap, targets={}, items=[{"action": action("Nouvelle")}])
    roadmap.refresh_from_db()
    assert roadmap.targets == {"vision": Level.SCALING}
    assert [i.action for i in roadmap.items.all()] == [kept]


def test_erasing_a_diagnostic_or_a_campaign_erases_its_roadmap(taker):
    taker.complete()
    mine = roadmap_get_or_create(response=taker.response, scores={})
    taker.response.delete()
    assert not Roadmap.objects.filter(pk=mine.pk).exists()

    campaign = campaign_create(name="Conseil", commune=Commune.objects.first())
    ours = roadmap_get_or_create(campaign=campaign, scores={})
    roadmap_save(roadmap=ours, targets={}, items=[{"action": action("Ensemble")}])
    campaign_delete(campaign=campaign)
    assert not Roadmap.objects.filter(pk=ours.pk).exists()
    assert not RoadmapItem.objects.filter(roadmap_id=ours.pk).exists()


def test_the_demo_catalogue_has_three_published_actions_per_axis():
    from django.core.management import call_command

    call_command("loaddata", "fixtures/08_actions.json", verbosity=0)
    for axis in current_questionnaire().axes.all():
        assert Action.objects.filter(axis_code=axis.code, is_published=True).count() >= 3, axis


def test_a_free_text_action_is_kept_once_beside_catalogue_actions(taker):
    from django.db import IntegrityError, transaction

    taker.complete()
    roadmap = roadmap_get_or_create(response=taker.response, scores={})
    listed = action("Du catalogue")
    items = [{"action": None, "title": " Réunir le conseil ", "owner": "Maire"},
             {"action": None, "title": "réunir le conseil"}, {"action": None, "title": "  "},
             {"action": listed}]  # fmt: skip
    roadmap_save(roadmap=roadmap, targets={}, items=items)
    assert [(i.action, i.title, i.owner) for i in roadmap.items.all()] == [
        (None, "Réunir le conseil", "Maire"),
        (listed, "", ""),
    ]
    with pytest.raises(IntegrityError), transaction.atomic():  # neither, or both: refused
        RoadmapItem.objects.create(roadmap=roadmap, action=listed, title="Les deux")
