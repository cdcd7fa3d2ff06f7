import itertools

import pytest

from diagnostics.charts import MIN_TEXT_PX, PHONE_WIDTH, TEXT_SIZE, radar, wrap


def test_radar_puts_the_first_axis_at_the_top_and_scores_along_their_spoke():
    chart = radar([("A", 100.0), ("B", 50.0), ("C", None), ("D", 0.0)])
    (cx, cy), radius = chart["center"], chart["radius"]
    top, right, bottom, left = chart["spokes"]
    assert top.point == (cx, cy - radius)
    assert right.point == (cx + radius / 2, cy)
    assert bottom.point == (cx, cy)  # not evaluated: at the centre
    assert (top.anchor, right.anchor, left.anchor) == ("middle", "start", "end")
    assert chart["polygon"].startswith(f"{cx},{cy - radius} ")
    assert [value for value, _ in chart["rings"]] == [25, 50, 75, 100]


AXES = ["Vision et enjeux", "Écosystème d’acteurs", "Action engagée", "Moyens mobilisés",
        "Évaluation et impacts", "Gouvernance partagée"]  # fmt: skip


@pytest.mark.parametrize("count", range(3, 7))
def test_radar_labels_stay_whole_inside_the_chart_and_apart(count):
    chart = radar([(name, 12.5 if i % 2 else None) for i, name in enumerate(AXES[:count])])
    boxes = [spoke.box for spoke in chart["spokes"]]
    for left, top, right, bottom in boxes:
        assert 0 <= left and right <= chart["width"] and 0 <= top and bottom <= chart["height"]
    for (l1, t1, r1, b1), (l2, t2, r2, b2) in itertools.combinations(boxes, 2):
        assert min(r1, r2) <= max(l1, l2) or min(b1, b2) <= max(t1, t2)
    assert chart["radius"] >= 80  # still a chart, not a dot


def test_radar_text_is_at_least_12_px_on_a_375_px_phone():
    chart = radar([(name, 50.0) for name in AXES[:5]])
    assert chart["text_size"] == TEXT_SIZE
    assert TEXT_SIZE * PHONE_WIDTH / chart["width"] >= MIN_TEXT_PX


def test_labels_wrap_on_words():
    assert wrap("Évaluation et impacts", 11) == ["Évaluation", "et impacts"]
    assert wrap("Écosystème d’acteurs", 11) == ["Écosystème", "d’acteurs"]
    assert wrap("Intercommunalité", 11) == ["Intercommunalité"]
