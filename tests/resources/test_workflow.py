"""Roles and the editorial workflow, as staff meet them in the admin."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from resources.enums import Status
from resources.models import Resource, StatusChange
from resources.workflow import TransitionRefused, allowed_statuses, transition_check
from tests.resources.factories import ResourceFactory
from tests.resources.staff import resource_form

pytestmark = pytest.mark.ignore_template_errors  # Django's own admin templates
CHANGELIST = "/admin/resources/resource/"


# --- rules (no database) -----------------------------------------------------------


def test_an_editor_may_only_move_between_draft_and_review():
    assert allowed_statuses(Status.DRAFT, can_publish=False) == [Status.DRAFT, Status.REVIEW]
    assert allowed_statuses(Status.PUBLISHED, can_publish=False) == [Status.PUBLISHED]
    assert allowed_statuses(None, can_publish=False) == [Status.DRAFT, Status.REVIEW]
    with pytest.raises(TransitionRefused, match="Seul un administrateur"):
        transition_check(Status.REVIEW, Status.PUBLISHED, can_publish=False)


def test_an_administrator_publishes_archives_and_restores():
    assert set(allowed_statuses(Status.REVIEW, can_publish=True)) == set(Status.values)
    assert allowed_statuses(Status.ARCHIVED, can_publish=True) == [
        Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED,
    ]  # fmt: skip
    with pytest.raises(TransitionRefused, match="n’est pas prévu"):
        transition_check(Status.PUBLISHED, Status.REVIEW, can_publish=True)


# --- roles -------------------------------------------------------------------------


def test_the_migrations_create_two_roles_and_no_account(db):
    assert User.objects.count() == 0
    editor_perms = set(
        Group.objects.get(name="Éditeur").permissions.values_list("codename", flat=True)
    )
    admin_perms = set(
        Group.objects.get(name="Administrateur").permissions.values_list("codename", flat=True)
    )
    assert {"add_resource", "change_resource", "add_tag", "change_tag"} <= editor_perms
    assert not {"publish_resource", "delete_resource", "add_user", "delete_tag"} & editor_perms
    assert {"publish_resource", "delete_resource", "add_user", "change_theme"} <= admin_perms


def test_an_editor_drafts_and_submits_but_sees_no_way_to_publish(editor_client, editor):
    response = editor_client.post("/admin/resources/resource/add/", resource_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get(slug="guide-partenariat-local")
    assert resource.status == Status.DRAFT

    page = editor_client.get(f"/admin/resources/resource/{resource.pk}/change/").content.decode()
    assert 'value="en-relecture"' in page
    assert 'value="publie"' not in page
    assert 'name="published_at_0"' not in page  # read-only for an editor
    listing = editor_client.get(CHANGELIST).content.decode()
    assert 'value="submit_for_review"' in listing
    assert 'value="publish"' not in listing and 'value="delete_selected"' not in listing

    response = editor_client.post(
        f"/admin/resources/resource/{resource.pk}/change/", resource_form(status="en-relecture")
    )
    assert response.status_code == 302
    change = StatusChange.objects.get(resource=resource, to_status=Status.REVIEW)
    assert (change.from_status, change.changed_by) == (Status.DRAFT, editor)


def test_a_forged_publication_by_an_editor_is_refused(editor_client, client):
    resource = ResourceFactory(slug="guide-partenariat-local", draft=True)

    response = editor_client.post(
        f"/admin/resources/resource/{resource.pk}/change/",
        resource_form(status="publie", published_at_0="01/01/2025", published_at_1="10:00"),
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    action = editor_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [resource.pk]}
    )
    assert action.status_code in (200, 302)
    delete = editor_client.post(f"/admin/resources/resource/{resource.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403

    resource.refresh_from_db()
    assert resource.status == Status.DRAFT and resource.published_at is None
    assert not StatusChange.objects.exists()
    assert client.get("/ressources/guide-partenariat-local/").status_code == 404


def test_an_administrator_publishes_and_the_resource_appears_everywhere(
    administrator_client, administrator, client, django_capture_on_commit_callbacks
):
    resource = ResourceFactory(
        title="Boussole des alliances locales", slug="boussole", status=Status.REVIEW,
        published_at=None,
    )  # fmt: skip

    response = administrator_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [resource.pk]}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == Status.PUBLISHED and resource.published_at <= timezone.now()
    assert StatusChange.objects.get(resource=resource).changed_by == administrator

    assert client.get("/ressources/boussole/").status_code == 200
    assert "/ressources/boussole/" in client.get("/ressources/").content.decode()
    assert "/ressources/boussole/" in client.get("/ressources/flux/").content.decode()
    assert client.get("/api/ressources/boussole/").status_code == 200
    assert "/ressources/boussole/" in client.get("/sitemap.xml").content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the page cache is renewed
        administrator_client.post(
            CHANGELIST, {"action": "archive", "_selected_action": [resource.pk]}
        )
    assert client.get("/ressources/boussole/").status_code == 404
    assert "boussole" not in client.get("/sitemap.xml").content.decode()


def test_a_future_publication_date_keeps_the_resource_hidden(administrator_client, client):
    resource = ResourceFactory(slug="a-venir", draft=True)
    later = timezone.localtime() + datetime.timedelta(days=2)

    response = administrator_client.post(
        f"/admin/resources/resource/{resource.pk}/change/",
        resource_form(
            slug="a-venir", status="publie",
            published_at_0=later.strftime("%d/%m/%Y"), published_at_1=later.strftime("%H:%M:%S"),
        ),
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Resource.objects.get(pk=resource.pk).status == Status.PUBLISHED
    assert client.get("/ressources/a-venir/").status_code == 404
    assert client.get("/api/ressources/a-venir/").status_code == 404
    assert "a-venir" not in client.get("/ressources/flux/").content.decode()
    assert "a-venir" not in client.get("/sitemap.xml").content.decode()
    assert "Programmé" in administrator_client.get(CHANGELIST).content.decode()


def test_staff_preview_a_draft_in_the_public_layout(editor_client, client):
    ResourceFactory(title="Brouillon confidentiel", slug="brouillon-confidentiel", draft=True)

    page = editor_client.get("/ressources/brouillon-confidentiel/apercu/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aperçu réservé à l’équipe" in html and "Brouillon confidentiel" in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in page["Cache-Control"]

    anonymous = client.get("/ressources/brouillon-confidentiel/apercu/")
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert client.get("/ressources/brouillon-confidentiel/").status_code == 404


def test_every_change_is_in_the_history_with_a_diff_and_can_be_reverted(
    administrator_client, administrator, client, django_capture_on_commit_callbacks
):
    response = administrator_client.post(
        "/admin/resources/resource/add/",
        resource_form(title="Premier titre", status="publie", body="Texte **initial**."),
    )
    assert response.status_code == 302
    resource = Resource.objects.get(slug="guide-partenariat-local")
    administrator_client.post(
        f"/admin/resources/resource/{resource.pk}/change/",
        resource_form(title="Titre corrigé", status="publie", body="Texte *modifié*."),
    )
    versions = list(resource.history.order_by("history_date"))
    assert [v.title for v in versions] == ["Premier titre", "Titre corrigé"]
    assert {v.history_user for v in versions} == {administrator}

    history = administrator_client.get(f"/admin/resources/resource/{resource.pk}/history/")
    html = history.content.decode()
    assert "Premier titre" in html and "Titre corrigé" in html

    first = versions[0]
    revert_url = f"/admin/resources/resource/{resource.pk}/history/{first.history_id}/"
    assert administrator_client.get(revert_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(
            revert_url,
            resource_form(title="Premier titre", status="publie", body="Texte **initial**."),
        )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Premier titre"
    assert "<strong>initial</strong>" in resource.body_html
    assert resource.history.count() == 3
    assert "Premier titre" in client.get("/ressources/guide-partenariat-local/").content.decode()


# --- published content changes only through an administrator ------------------------


@pytest.mark.parametrize("case", [False, True])
def test_an_editor_cannot_change_a_published_resource_or_case(editor_client, client, case):
    resource = ResourceFactory(slug="guide-partenariat-local", title="Titre publié", case=case)
    url = f"/admin/resources/resource/{resource.pk}/change/"

    page = editor_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cette ressource est publiée\u00a0: elle est en lecture seule pour vous." in html
    assert 'name="_save"' not in html and 'name="title"' not in html

    response = editor_client.post(
        url, resource_form(title="Titre changé sans relecture", status="publie")
    )
    assert response.status_code == 403
    resource.refresh_from_db()
    assert resource.title == "Titre publié"
    assert "Titre publié" in client.get(f"/ressources/{resource.slug}/").content.decode()


def test_an_editor_cannot_restore_an_old_version_of_a_published_resource(editor_client):
    resource = ResourceFactory(slug="guide-partenariat-local", title="Ancien titre", draft=True)
    resource.title = "Titre publié"
    resource.status, resource.published_at = Status.PUBLISHED, timezone.now()
    resource.save()
    old = resource.history.earliest()

    response = editor_client.post(
        f"/admin/resources/resource/{resource.pk}/history/{old.history_id}/",
        resource_form(title="Ancien titre", status="publie"),
    )
    assert response.status_code == 403
    resource.refresh_from_db()
    assert resource.title == "Titre publié"


def test_an_administrator_still_changes_a_published_resource(administrator_client, client):
    resource = ResourceFactory(slug="guide-partenariat-local", title="Titre publié")
    url = f"/admin/resources/resource/{resource.pk}/change/"
    assert "lecture seule" not in administrator_client.get(url).content.decode()

    published_at = timezone.localtime(resource.published_at)
    response = administrator_client.post(
        url,
        resource_form(
            title="Titre relu",
            status="publie",
            published_at_0=published_at.strftime("%d/%m/%Y"),
            published_at_1=published_at.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    resource.refresh_from_db()
    assert resource.title == "Titre relu"
    assert "Titre relu" in client.get(f"/ressources/{resource.slug}/").content.decode()


def test_an_editor_still_edits_drafts_and_resources_in_review(editor_client):
    resource = ResourceFactory(slug="guide-partenariat-local", status=Status.REVIEW)
    response = editor_client.post(
        f"/admin/resources/resource/{resource.pk}/change/",
        resource_form(title="Titre retravaillé", status="en-relecture"),
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Titre retravaillé"
