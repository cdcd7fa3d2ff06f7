"""Scoring rules, without the database."""

from decimal import Decimal

import pytest

from diagnostics.scoring import (
    AxisDef,
    ChoiceDef,
    Definition,
    QuestionDef,
    axis_scores,
    coherence_findings,
    level_for,
    overall_score,
    score,
)


def question(qid, axis, weight=1, not_concerned=True, condition=None):
    """Choices ids: qid*10 + points (0..3), qid*10+4 "Je ne sais pas", +5 "Non concerné"."""
    choices = [ChoiceDef(qid * 10 + p, p) for p in range(4)]
    choices.append(ChoiceDef(qid * 10 + 4, 0, dont_know=True))
    if not_concerned:
        choices.append(ChoiceDef(qid * 10 + 5, None))
    return QuestionDef(
        qid, axis, weight, tuple(choices),
        condition_question=condition[0] if condition else None,
        condition_min_points=condition[1] if condition else None,
    )  # fmt: skip


DEFINITION = Definition(
    axes=(AxisDef("vision", 1), AxisDef("action", 2), AxisDef("moyens", 1)),
    questions=(
        question(1, "vision"),
        question(2, "vision", weight=2),
        question(3, "action"),
        question(4, "action", condition=(3, 2)),  # shown if question 3 scores >= 2
        question(5, "moyens"),
    ),
)


def test_axis_score_is_the_weighted_share_of_the_maximum():
    # vision: (1×3 + 2×1) / (1×3 + 2×3) = 5/9 = 55.6
    scores = axis_scores(DEFINITION, {1: 13, 2: 21, 3: 30, 5: 52})
    assert scores == {
        "vision": Decimal("55.6"),
        "action": Decimal("0.0"),
        "moyens": Decimal("66.7"),
    }


def test_not_concerned_leaves_both_sums_and_an_empty_axis_is_not_evaluated():
    scores = axis_scores(DEFINITION, {1: 15, 2: 23, 3: 35, 5: 55})
    assert scores["vision"] == Decimal("100.0")  # only question 2 counts: 2×3 / 2×3
    assert scores["action"] is None and scores["moyens"] is None
    assert overall_score(DEFINITION, scores) == Decimal("100.0")


def test_a_skipped_question_is_left_out_and_a_shown_one_counts():
    skipped = axis_scores(DEFINITION, {3: 31, 4: 43})  # q3 = 1 point: q4 hidden
    assert skipped["action"] == Decimal("33.3")
    shown = axis_scores(DEFINITION, {3: 32, 4: 40})  # q3 = 2 points: q4 counts
    assert shown["action"] == Decimal("33.3")  # (2 + 0) / 6
    unanswered_condition = axis_scores(DEFINITION, {4: 43})
    assert unanswered_condition["action"] is None


def test_dont_know_counts_zero_and_is_listed():
    result = score(DEFINITION, {1: 14, 2: 23, 3: 33, 4: 43, 5: 53})
    assert result.axes["vision"] == Decimal("66.7")  # (0 + 2×3) / 9
    assert result.dont_know == [1]


def test_overall_is_the_axis_weighted_mean_and_gives_the_level():
    scores = {"vision": Decimal("40"), "action": Decimal("70"), "moyens": None}
    assert overall_score(DEFINITION, scores) == Decimal("60.0")  # (40 + 2×70) / 3
    assert overall_score(DEFINITION, dict.fromkeys(scores)) is None


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("0", "emergence"), ("24.9", "emergence"), ("25", "experimentation"),
        ("49.9", "experimentation"), ("50", "structuration"), ("74.9", "structuration"),
        ("75", "demultiplication"), ("100", "demultiplication"),
    ],
)  # fmt: skip
def test_levels_have_the_published_bounds(value, level):
    assert level_for(Decimal(value)) == level


def test_a_gap_of_25_points_or_more_gives_a_named_finding():
    findings = coherence_findings(
        {"vision": Decimal("80"), "action": Decimal("55"), "moyens": Decimal("20")}
    )
    assert [(f["code"], f["gap"]) for f in findings] == [
        ("vision-moyens", Decimal("60")), ("action-moyens", Decimal("35")),
        ("vision-action", Decimal("25")),
    ]  # fmt: skip
    assert findings[0]["title"] == "Une vision sans les moyens de la porter"
    near = {"vision": Decimal("50"), "action": Decimal("25.1"), "moyens": None}
    assert coherence_findings(near) == []


def test_the_weakest_questions_are_the_answered_ones_with_fewest_points():
    from diagnostics.scoring import AxisDef, ChoiceDef, Definition, QuestionDef, weakest_questions

    def question(id, weight=1, condition=None):
        choices = tuple(ChoiceDef(id * 10 + p, p) for p in range(4))
        choices += (ChoiceDef(id * 10 + 8, 0, dont_know=True), ChoiceDef(id * 10 + 9, None))
        return QuestionDef(id, "a", weight, choices, *(condition or (None, None)))

    definition = Definition(
        (AxisDef("a", 1),),
        (
            question(1),
            question(2, weight=2),
            question(3),
            question(4),
            question(5, condition=(4, 2)),
        ),
    )
    answers = {1: 11, 2: 21, 3: 39, 4: 48, 5: 50}  # 1 pt, 1 pt (heavier), NC, NSP, hidden
    assert weakest_questions(definition, answers) == [4, 2, 1]
    assert weakest_questions(definition, answers, count=1) == [4]
