"""A step's error summary: one line per question, with no doubled punctuation, and
"saved" said only of what was saved."""

import re

import pytest

from diagnostics.forms import error_entry
from diagnostics.models import Answer
from tests.site.text import visible_text

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("label", "line"),
    [
        ("Vous êtes", f"Vous êtes{NBSP}: Répondez."),
        (f"Sont-elles identifiées{NBSP}?", f"Sont-elles identifiées{NBSP}? Répondez."),
        (f"Précisez{NBSP}:", f"Précisez{NBSP}: Répondez."),
    ],
)
def test_an_entry_never_doubles_its_punctuation(label, line):
    assert error_entry(label, "Répondez.") == line


def summary(response) -> str:
    html = response.content.decode()
    return visible_text(re.search(r'<div class="notice[^"]*error-summary.*?</div>', html, re.S)[0])


def test_an_empty_profile_says_what_to_answer_and_claims_nothing_saved(taker, client):
    taker.start()
    response = client.post(taker.url(1), {"action": "suivant"})

    text = summary(response)
    assert f"Vous êtes{NBSP}: Répondez à cette question pour continuer." in text
    assert f"de l’observatoire{NBSP}? Répondez à cette question" in text
    assert "enregistrée" not in text
    assert 'error-summary" role="alert" aria-labelledby="titre-erreurs" tabindex="-1"' in (
        response.content.decode()
    )


def test_a_question_and_its_error_are_not_joined_by_a_colon(taker, client):
    taker.start()
    taker.profile()
    response = client.post(taker.url(2), {"version": taker.questionnaire.version})

    text = summary(response)
    assert f"sont-elles identifiées{NBSP}? Répondez à cette question pour continuer." in text
    assert not re.search(r"\?\s*:", text)
    # Nothing of this step was answered: only the earlier steps are saved.
    assert "Vos réponses aux étapes précédentes sont enregistrées." in text
    assert "Vos autres réponses" not in text


def test_the_answers_given_are_said_saved_when_they_are(taker, client):
    taker.start()
    taker.profile()
    data = taker.axis_data(0, lambda question: None)
    first = taker.axes[0].questions.all()[0]
    data[f"q{first.pk}"] = taker.choice_for(first, 2)
    response = client.post(taker.url(2), data)

    assert response.status_code == 400
    assert "Vos autres réponses à cette étape sont enregistrées." in summary(response)
    assert Answer.objects.filter(response=taker.response, question=first).exists()
