"""Taking the diagnostic through its pages."""

import pytest

pytestmark = pytest.mark.django_db


def test_start_leads_to_the_first_step_with_the_resume_link(taker, client):
    response = taker.start()
    assert response["Location"] == f"/diagnostic/{taker.token}/etape/1/"
    assert len(taker.token) >= 32  # 192 random bits, URL-safe
    page = client.get(taker.url(1))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Étape 1 sur 6" in html
    assert f"/diagnostic/{taker.token}/" in html  # the resume link
    assert "Précédent" not in html


def test_a_complete_diagnostic_shows_its_results(taker, client):
    final = taker.complete()
    assert final["Location"] == f"/diagnostic/{taker.token}/resultats/"
    response = taker.response
    assert response.is_complete and response.level == "structuration"
    assert response.commune.name == "Charenton-le-Pont" and response.region_id == "11"
    page = client.get(final["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Structuration" in html and "66,7 sur 100" in html
    assert response.axis_results.count() == 5
