"""A follow-up question revealed by an answer first appears as a neutral notice, never
as an error (without JavaScript; with it, tests/browser/test_diagnostic.py)."""

import pytest

from diagnostics.models import Answer
from resources.french import french_spacing

pytestmark = pytest.mark.django_db

NOTICE = "Une question complémentaire s’affiche"


def assert_neutral(page):
    html = page.content.decode()
    assert page.status_code == 200
    assert NOTICE in html
    assert "aria-invalid" not in html and "error-summary" not in html
    assert "à corriger" not in html and "Erreur" not in html and "field-error" not in html
    return html


def means_step(taker):
    taker.start()
    taker.profile()
    for index in range(3):
        taker.answer_axis(index, lambda q: 2)
    catalyst, follow_up = list(taker.axes[3].questions.all())[1:3]
    assert follow_up.condition_question_id == catalyst.pk
    return catalyst, follow_up


def test_the_catalysts_trades_first_appear_as_a_notice_then_are_required(taker, client):
    catalyst, follow_up = means_step(taker)
    page = client.get(taker.url(5)).content.decode()
    # In the page for JavaScript to reveal in place, hidden until then.
    assert f'data-condition-question="q{catalyst.pk}"' in page
    assert f'data-condition-points="{follow_up.condition_min_points}"' in page

    data = taker.axis_data(3, lambda q: None if q == follow_up else 2)
    html = assert_neutral(client.post(taker.url(5), data))
    assert french_spacing(follow_up.text) in html
    # The answers given are kept; the step is not over.
    assert Answer.objects.filter(response=taker.response, question=catalyst).exists()
    assert client.get(f"/diagnostic/{taker.token}/")["Location"] == taker.url(5)

    # Shown once, the follow-up is a question like the others.
    again = client.post(taker.url(5), data)
    assert again.status_code == 400 and "Répondez à cette question" in again.content.decode()
    answered = client.post(taker.url(5), taker.axis_data(3, lambda q: 2))
    assert answered.status_code == 303 and answered["Location"] == taker.url(6)


def test_a_follow_up_answered_with_the_reveal_goes_straight_on(taker, client):
    means_step(taker)
    answered = client.post(taker.url(5), taker.axis_data(3, lambda q: 2))
    assert answered.status_code == 303 and answered["Location"] == taker.url(6)


def test_a_name_shared_by_several_communes_asks_which_one_without_an_error(taker, client):
    taker.start()
    html = assert_neutral(taker.profile(query="saint denis"))
    assert "Saint-Denis (La Réunion" in html
    assert taker.response.role == "elu" and taker.response.consent is True
    # Asked once: the list needs an answer now.
    again = taker.profile(query="saint denis", commune_proposee="saint denis")
    assert again.status_code == 400 and "choisissez la vôtre" in again.content.decode()
