import pytest

from kit.progress import duration_label, standing


@pytest.mark.parametrize(
    ("minutes", "label"),
    [(None, ""), (0, ""), (45, "45\u00a0min"), (60, "1\u00a0h"), (90, "1\u00a0h 30\u00a0min"),
     (125, "2\u00a0h 05\u00a0min"), (480, "8\u00a0h")],
)  # fmt: skip
def test_durations_read_in_french(minutes, label):
    assert duration_label(minutes) == label


def test_standing_counts_done_steps_and_finds_the_next_one():
    place = standing([10, 11, 12], {10, 12, 99})
    assert (place.done, place.total, place.next_index, place.finished) == (2, 3, 1, False)
    assert place.percent == 67
    finished = standing([10, 11], {10, 11})
    assert finished.finished and finished.next_index is None and finished.percent == 100
    assert not standing([], set()).finished
