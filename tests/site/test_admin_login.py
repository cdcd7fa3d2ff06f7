"""The admin login: lockout after 5 failures (django-axes), session renewed at login."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.resources.staff import ADMINISTRATOR, staff_user

pytestmark = pytest.mark.ignore_template_errors  # Django's own admin templates
LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "mot-de-passe-de-test-1234"


def login(client, password):
    return client.post(LOGIN, {"username": "adam", "password": password})


def test_five_failures_lock_the_account_out_with_a_french_message(db):
    staff_user("adam", ADMINISTRATOR)
    client = Client()

    for _ in range(4):
        assert login(client, "mauvais").status_code == 200
    locked = login(client, "mauvais")
    assert locked.status_code == 429
    assert "Connexion temporairement bloquée" in locked.content.decode()

    still_locked = login(client, PASSWORD)  # even the right password, for now
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_session_is_renewed_at_login(db):
    staff_user("adam", ADMINISTRATOR)
    client = Client()
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key

    response = login(client, PASSWORD)

    assert response.status_code == 302
    assert client.session.session_key != before
    assert int(client.session["_auth_user_id"]) == User.objects.get(username="adam").pk


def test_the_lockout_page_has_the_admin_header_and_title(db):
    from django.contrib import admin

    staff_user("adam", ADMINISTRATOR)
    client = Client()
    for _ in range(5):
        locked = login(client, "mauvais")

    html = locked.content.decode()
    assert locked.status_code == 429
    assert f">{admin.site.site_header}</a>" in html
    assert f"<title>Connexion bloquée | {admin.site.site_title}</title>" in html
    assert "Django" not in html


def test_the_login_lockout_section_is_not_named_like_the_diagnostic_axes(administrator_client):
    html = administrator_client.get("/admin/").content.decode()

    assert "Sécurité des connexions (blocage après échecs)" in html
    assert ">Axes<" not in html
    assert "Tentatives de connexion" in html
