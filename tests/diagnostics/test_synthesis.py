"""The consolidated view's rules, on plain data (no database)."""

from decimal import Decimal as D

from diagnostics.scoring import AxisDef, ChoiceDef, Definition, QuestionDef
from diagnostics.synthesis import Participant, group_coherence, synthesize

# Two axes; question 3 is shown only when question 1 scores 2 or more.
CHOICES = lambda base: tuple(  # noqa: E731
    [ChoiceDef(base + p, p) for p in range(4)]
    + [ChoiceDef(base + 4, 0, dont_know=True), ChoiceDef(base + 5, None)]
)
DEFINITION = Definition(
    axes=(AxisDef("vision", 1), AxisDef("action", 1)),
    questions=(
        QuestionDef(1, "vision", 1, CHOICES(10)),
        QuestionDef(2, "vision", 1, CHOICES(20)),
        QuestionDef(3, "action", 1, CHOICES(30), condition_question=1, condition_min_points=2),
        QuestionDef(4, "action", 1, CHOICES(40)),
    ),
)
NSP, NC = 4, 5  # offsets of "Je ne sais pas" and "Non concerné"


def person(actor_type, vision, action, overall=None, answers=None):
    overall = overall if overall is not None else vision
    axes = {"vision": D(str(vision)) if vision is not None else None,
            "action": D(str(action)) if action is not None else None}  # fmt: skip
    return Participant(actor_type, D(str(overall)), axes, answers or {})


def test_nothing_is_shown_before_three_completed_participants():
    document = synthesize(DEFINITION, [person("elu", 50, 50), person("elu", 60, 60)])
    assert document == {
        "participants": 2, "par_type": {}, "niveau": None, "axes": [],
        "ecarts_de_perception": [], "divergences": [], "angles_morts": [],
    }  # fmt: skip


def test_small_types_are_pooled_as_autres_and_a_small_pool_is_hidden():
    three_elus = [person("elu", 50, 50) for _ in range(3)]
    small = [person("agent", 10, 10), person("habitant", 20, 20), person("entreprise", 30, 30)]
    pooled = synthesize(DEFINITION, three_elus + small)
    assert pooled["par_type"] == {"elu": 3, "autres": 3}
    hidden = synthesize(DEFINITION, three_elus + [person("agent", 10, 10)])
    assert hidden["par_type"] == {"elu": 3}
    assert set(hidden["axes"][0]["par_type"]) == {"elu"}
    assert hidden["participants"] == 4  # the median still counts everyone


def test_medians_and_quartiles_follow_the_statistics_module_inclusive_method():
    values = [10, 20, 40, 80, 90]
    document = synthesize(DEFINITION, [person("elu", v, 0) for v in values])
    vision = document["axes"][0]
    assert (vision["q1"], vision["mediane"], vision["q3"]) == (20.0, 40.0, 80.0)
    even = synthesize(DEFINITION, [person("elu", v, 0) for v in (10, 20, 35, 45)])["axes"][0]
    # inclusive quartiles of 10, 20, 35, 45: 17.5 and 37.5; median 27.5
    assert (even["q1"], even["mediane"], even["q3"]) == (17.5, 27.5, 37.5)
    assert document["axes"][0]["par_type"]["elu"] == {"n": 5, "moyenne": 48.0}


def test_a_mean_or_median_needs_three_scored_values():
    group = [person("elu", 50, None), person("elu", 50, None), person("elu", 50, 70)]
    action = synthesize(DEFINITION, group)["axes"][1]
    assert action["mediane"] is None and action["q1"] is None
    assert action["par_type"]["elu"] == {"n": 1, "moyenne": None}


def test_perception_gaps_compare_actor_types_not_the_pool():
    group = [person("elu", 80, 50) for _ in range(3)] + [person("agent", 55, 50) for _ in range(3)]
    group += [person("habitant", 0, 0), person("entreprise", 0, 0), person("association", 0, 0)]
    document = synthesize(DEFINITION, group)
    assert document["ecarts_de_perception"] == [
        {"axe": "vision", "ecart": 25.0, "plus_haut": "elu", "plus_bas": "agent"},
        {"axe": "action", "ecart": 0.0, "plus_haut": "elu", "plus_bas": "elu"},
    ]


def test_divergences_leave_out_dont_know_not_concerned_and_hidden_questions():
    answers = [
        {1: 13, 2: 20, 3: 30, 4: 40},  # q1 = 3 shows q3
        {1: 10, 2: 20, 3: 33, 4: 40 + NSP},  # q1 = 0: its q3 answer is not shown, left out
        {1: 13, 2: 20, 3: 33, 4: 40 + NC},
        {1: 12, 2: 20 + NSP, 3: 31, 4: 43},
    ]
    group = [person("elu", 50, 50, answers=a) for a in answers]
    document = synthesize(DEFINITION, group)
    # q1: 3, 0, 3, 2 -> pstdev 1.22; q3 (shown three times): 0, 3, 1 -> 1.25;
    # q2: 0, 0, 0 (no spread: no divergence); q4: two graded answers only.
    assert document["divergences"] == [
        {"question": 3, "ecart_type": 1.25},
        {"question": 1, "ecart_type": 1.22},
    ]
    # "Je ne sais pas": q2 1 of 4 (25 %), q4 1 of 4: none reaches 30 %.
    assert document["angles_morts"] == []
    more = group + [person("elu", 50, 50, answers={1: 10, 2: 20 + NSP, 4: 40})]
    assert synthesize(DEFINITION, more)["angles_morts"] == [
        {"question": 2, "part_ne_sait_pas": 40.0}
    ]


def test_divergence_ties_keep_the_questionnaire_order():
    answers = [{1: 10, 2: 20, 4: 40}, {1: 13, 2: 23, 4: 43}, {1: 10, 2: 20, 4: 40}]
    document = synthesize(DEFINITION, [person("elu", 1, 1, answers=a) for a in answers])
    assert [d["question"] for d in document["divergences"]] == [1, 2, 4]


def test_the_group_level_and_coherence_read_the_medians():
    group = [person("elu", 80, 30, overall=55) for _ in range(3)]
    document = synthesize(DEFINITION, group)
    assert document["niveau"] == {"code": "structuration", "mediane_score_global": 55.0}
    assert [f["code"] for f in group_coherence(document)] == ["vision-action"]


def test_figures_are_written_in_french_like_floatformat():
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    from diagnostics.templatetags.figures_fr import decimal_fr

    with translation.override("fr"):
        # The synthesis's figures are already rounded (one decimal, two for deviations).
        for value in (0.0, 5.0, 52.5, 99.9, 100.0, 33.3, 0.1):
            assert decimal_fr(value) == floatformat(value, 1)
        assert decimal_fr(1.22, 2) == floatformat(1.22, 2) == "1,22"
    assert decimal_fr(None) == "–"
