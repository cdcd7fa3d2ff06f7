"""The newsroom in a real browser: an editor drafts and submits with the autocomplete
and the prefilled slug; an administrator publishes; the public page shows it."""

import pytest
from playwright.sync_api import expect

from resources.models import Resource, StatusChange
from tests.resources.factories import ResourceFactory
from tests.resources.staff import ADMINISTRATOR, EDITOR, staff_user

PASSWORD = "mot-de-passe-de-test-1234"


@pytest.fixture(scope="module")
def newsroom(committed):
    staff_user("edith", EDITOR)
    staff_user("adam", ADMINISTRATOR)
    for _ in range(2):
        ResourceFactory(tags=["partenariat"])
    ResourceFactory(tags=["partenariat rare"])


def log_in(page, username):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Gestion des contenus")).to_be_visible()


def test_an_editor_drafts_and_submits_then_an_administrator_publishes(newsroom, new_page):
    errors = []
    editor = new_page()
    editor.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(editor, "edith")
    editor.goto("/admin/resources/resource/add/")
    editor.get_by_label("Titre").press_sequentially("Boussole des alliances locales")
    expect(editor.get_by_label("Slug")).to_have_value("boussole-des-alliances-locales")
    editor.get_by_label("Type").select_option("guide")
    editor.get_by_label("Résumé").fill("Un outil pour situer son alliance.")
    status_options = editor.locator("#id_status option").all_inner_texts()
    assert status_options == ["Brouillon", "En relecture"]

    editor.locator(".field-tags .select2-selection").click()
    editor.locator(".select2-search__field").fill("parte")
    options = editor.locator(".select2-results__option")
    expect(options.first).to_have_text("partenariat")
    expect(options).to_have_count(2)
    options.first.click()
    editor.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("a été ajouté")
    resource = Resource.objects.get(slug="boussole-des-alliances-locales")
    assert list(resource.tags.names()) == ["partenariat"]

    editor.goto("/admin/resources/resource/?status__exact=brouillon&q=boussole")
    editor.locator(f'input[name="_selected_action"][value="{resource.pk}"]').check()
    editor.locator("select[name=action]").select_option("submit_for_review")
    editor.locator(".actions button[type=submit]").click()
    expect(editor.locator(".messagelist")).to_contain_text("1 ressource(s) soumise(s)")
    assert not [e for e in errors if "Content Security Policy" in e], errors

    admin = new_page()
    log_in(admin, "adam")
    admin.goto("/admin/resources/resource/?status__exact=en-relecture")
    expect(admin.get_by_role("link", name="Boussole des alliances locales")).to_be_visible()
    admin.locator(f'input[name="_selected_action"][value="{resource.pk}"]').check()
    admin.locator("select[name=action]").select_option("publish")
    admin.locator(".actions button[type=submit]").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 ressource(s) publiée(s)")

    # Once published, the editor reads it but changes nothing without an administrator.
    editor.goto(f"/admin/resources/resource/{resource.pk}/change/")
    expect(editor.locator(".messagelist")).to_contain_text("elle est en lecture seule pour vous")
    expect(editor.get_by_role("button", name="Enregistrer", exact=True)).to_have_count(0)
    expect(editor.get_by_label("Titre")).to_have_count(0)

    visitor = new_page()
    visitor.goto("/ressources/boussole-des-alliances-locales/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Boussole des alliances locales")
    steps = list(
        StatusChange.objects.filter(resource=resource)
        .order_by("changed_at")
        .values_list("to_status", "changed_by__username")
    )
    assert steps == [("brouillon", "edith"), ("en-relecture", "edith"), ("publie", "adam")]
