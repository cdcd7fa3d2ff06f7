"""One figure for the diagnostic's length, measured on the questionnaire in service."""

import re

from diagnostics.duration import answering_minutes, diagnostic_minutes, questionnaire_words
from diagnostics.services import current_questionnaire
from diagnostics.steps import questionnaire_structure


def announced(html: str) -> set[str]:
    return set(re.findall(r"(?i)environ (\d+) minutes", html))


def test_the_length_follows_the_stated_rule():
    # 2 min of profile + 2 000 words at 200 a minute + 30 answers at 10 s = 17 -> 20
    assert answering_minutes(30, 2000) == 20
    assert answering_minutes(0, 0) == 5
    assert answering_minutes(12, 300) == 10  # 2 + 1.5 + 2 = 5.5, rounded up to 10
    assert answering_minutes(6, 200) == 5  # 2 + 1 + 1 = 4, rounded up to 5


def test_home_and_diagnostic_pages_announce_the_same_measured_length(client, db):
    axes = questionnaire_structure(current_questionnaire())
    questions, words = questionnaire_words(axes)
    assert questions >= 10 and words > questions * 5  # measured on the real text
    minutes = str(diagnostic_minutes(axes))
    print(f"{questions} questions, {words} mots : {minutes} minutes")
    home = client.get("/").content.decode()
    start = client.get("/diagnostic/").content.decode()
    assert announced(home) == announced(start) == {minutes}
    assert "vingtaine de minutes" not in home
    assert "mots lus par minute" in start  # the rule is stated where the figure is
