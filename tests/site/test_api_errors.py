"""The read-only API answers every error in JSON, naming the parameter at fault: an
invalid value never widens the results, a page out of range is never another page."""

import json

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client, RequestFactory

from observatory.models import Observation
from rameau_site import views
from tests.resources.factories import ResourceFactory

RESOURCES = "/api/ressources/"
OBSERVATIONS = "/api/observatoire/observations/"


@pytest.fixture
def observatory(db):
    call_command("loaddata", "fixtures/05_observatory.json", verbosity=0)


@pytest.fixture
def two_pages(db):
    ResourceFactory.create_batch(25, audiences=["collectivites"])


def assert_json_error(response, status, parameter=None):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["erreur"]
    if parameter is not None:
        assert list(body["erreurs"]) == [parameter]
        assert body["erreurs"][parameter][0]
    return body


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"type": "nimporte"}, "type"),
        ({"type": ["guide", "nimporte"]}, "type"),
        ({"public": "personne"}, "public"),
        ({"q": "alliance\x00"}, "q"),
        ({"tri": "hasard"}, "tri"),
        ({"annee": "1789"}, "annee"),
        ({"theme": "inconnu"}, "theme"),
        ({"tag": "pas un slug"}, "tag"),
    ],
)
def test_an_invalid_filter_is_a_400_naming_it_not_a_wider_search(
    client, two_pages, params, parameter
):
    assert client.get(RESOURCES, {"type": "guide"}).json()["count"] == 25

    assert_json_error(client.get(RESOURCES, params), 400, parameter)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "", "0" * 5000, "١"])
def test_a_page_number_that_is_not_one_is_a_400(client, two_pages, page):
    body = assert_json_error(client.get(RESOURCES, {"page": page}), 400, "page")
    assert "page" in body["erreur"]


@pytest.mark.parametrize("page", ["3", "99999999999999999999", "9" * 5000])
def test_a_page_past_the_last_is_a_404_not_the_last_page(client, two_pages, page):
    body = assert_json_error(client.get(RESOURCES, {"page": page}), 404, "page")
    assert "2" in body["erreurs"]["page"][0]  # it says which page is the last


def test_valid_pages_still_answer(client, two_pages):
    assert len(client.get(RESOURCES, {"page": "2"}).json()["results"]) == 5
    assert client.get(RESOURCES, {"q": "introuvable"}).json()["count"] == 0
    assert client.get(RESOURCES, {"q": "introuvable", "page": "1"}).status_code == 200


@pytest.mark.parametrize(("page", "status"), [("0", 400), ("-3", 400), ("x", 400), ("50", 404)])
def test_the_observations_api_checks_its_page_too(client, observatory, page, status):
    assert Observation.objects.count() < 50 * 100
    assert_json_error(client.get(OBSERVATIONS, {"page": page}), status, "page")


def test_the_observations_api_errors_share_the_format(client, observatory):
    assert_json_error(client.get(OBSERVATIONS, {"region": "nimporte"}), 400, "region")


@pytest.mark.parametrize("url", [RESOURCES, OBSERVATIONS, "/api/openapi.json"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_other_methods_get_a_json_405_not_a_csrf_403(db, url, method):
    response = getattr(Client(enforce_csrf_checks=True), method)(url)

    assert_json_error(response, 405)
    assert response["Allow"] == "GET, HEAD"


def test_a_detail_by_post_is_a_405_too(db):
    ResourceFactory(slug="guide")
    response = Client(enforce_csrf_checks=True).post(f"{RESOURCES}guide/")
    assert_json_error(response, 405)


@pytest.mark.parametrize("url", ["/api/nexiste-pas/", f"{RESOURCES}inconnue/"])
def test_a_missing_api_address_is_a_json_404(client, db, url):
    assert_json_error(client.get(url), 404)


def test_a_missing_page_elsewhere_is_still_the_french_html_page(client, db):
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_database_outage_is_a_json_503_on_the_api(db):
    request = RequestFactory().get(RESOURCES)
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = views.server_error(request)

    assert_json_error(response, 503)
    assert response["Retry-After"] == "30"


def test_a_server_error_is_a_json_500_on_the_api(db):
    request = RequestFactory().get(OBSERVATIONS)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        response = views.server_error(request)

    assert_json_error(response, 500)
