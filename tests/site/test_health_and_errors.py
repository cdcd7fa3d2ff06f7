from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse

from rameau_site import views


def test_health_reports_the_database(client, db):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {
        "statut": "ok",
        "base_de_donnees": "ok",
        "file_de_taches": {
            "worker": "aucun",
            "dernier_signe_de_vie_s": None,
            "taches_en_attente": 0,
            "taches_a_executer": 0,
            "plus_ancienne_a_executer_s": None,
        },
    }
    assert "no-cache" in response["Cache-Control"]


def test_server_error_page_needs_no_database(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        with django_assert_num_queries(0):
            response = views.server_error(request)

    assert response.status_code == 500
    assert "Le site a rencontré une erreur" in response.content.decode()


def test_lost_database_is_a_french_503_not_a_500(db):
    from django.db import OperationalError

    request = RequestFactory().get("/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = views.server_error(request)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "momentanément indisponible" in response.content.decode()


def test_bad_request_and_forbidden_pages_are_french():
    request = RequestFactory().get("/")
    assert "Nous n’avons pas compris" in views.bad_request(request).content.decode()
    assert "Vous n’avez pas accès" in views.permission_denied(request).content.decode()


def test_csrf_failure_is_a_french_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "Ce formulaire a expiré" in response.content.decode()


def test_error_page_falls_back_to_bare_html_when_the_layout_fails(monkeypatch):
    def broken_render(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(views, "render", broken_render)

    response = views.page_not_found(HttpRequest())

    assert response.status_code == 404
    assert "Le service rencontre un problème" in response.content.decode()
