"""Staff accounts with the roles created by the migrations, and admin form data."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

EDITOR, ADMINISTRATOR = "Éditeur", "Administrateur"
INLINE_MANAGEMENT = {
    "status_changes-TOTAL_FORMS": "0",
    "status_changes-INITIAL_FORMS": "0",
    "status_changes-MIN_NUM_FORMS": "0",
    "status_changes-MAX_NUM_FORMS": "0",
}


def staff_user(username: str, role: str) -> User:
    user = User.objects.create_user(username, password="mot-de-passe-de-test-1234", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def resource_form(**fields) -> dict:
    """POST data of the resource change form: a valid draft guide, then `fields`."""
    data = {
        "title": "Guide du partenariat local",
        "slug": "guide-partenariat-local",
        "kind": "guide",
        "summary": "Construire une alliance locale pas à pas.",
        "body": "",
        "language": "fr",
        "status": "brouillon",
    } | INLINE_MANAGEMENT
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def editor(db):
    return staff_user("edith", EDITOR)


@pytest.fixture
def administrator(db):
    return staff_user("adam", ADMINISTRATOR)


@pytest.fixture
def editor_client(editor):
    """Its own client: the `client` fixture stays anonymous."""
    staff_client = Client()
    staff_client.force_login(editor)
    return staff_client


@pytest.fixture
def administrator_client(administrator):
    staff_client = Client()
    staff_client.force_login(administrator)
    return staff_client
