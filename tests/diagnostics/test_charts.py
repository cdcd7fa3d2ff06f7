from diagnostics.charts import CENTER_X, CENTER_Y, RADIUS, radar


def test_radar_puts_the_first_axis_at_the_top_and_scores_along_their_spoke():
    chart = radar([("A", 100.0), ("B", 50.0), ("C", None), ("D", 0.0)])
    top, right, bottom, left = chart["spokes"]
    assert top.point == (CENTER_X, CENTER_Y - RADIUS)
    assert right.point == (CENTER_X + RADIUS / 2, CENTER_Y)
    assert bottom.point == (CENTER_X, CENTER_Y)  # not evaluated: at the centre
    assert (top.anchor, right.anchor, left.anchor) == ("middle", "start", "end")
    assert chart["polygon"].startswith(f"{CENTER_X},{CENTER_Y - RADIUS} ")
    assert [value for value, _ in chart["rings"]] == [25, 50, 75, 100]
