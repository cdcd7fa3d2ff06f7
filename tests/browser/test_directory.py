"""The directory in Chromium: axe on every page and state (form errors included),
320 px, the facets used with the keyboard only, and the forms without JavaScript."""

import pytest

TOKEN = "C" * 43
LINKS = {}


@pytest.fixture(scope="module")
def directory(committed):
    from network.models import Profile
    from network.services import manage_link
    from tests.network.factories import ProfileFactory
    from tests.resources.factories import ResourceFactory

    lyon = ProfileFactory(
        name="Maison des alliances de Lyon, un nom assez long pour passer à la ligne",
        slug="maison-lyon",
        trades=["dialogue-territorial", "gestion-d-un-lieu"],
        presentation="## Ce que nous faisons\n\n- Des **rencontres**\n- Un [site](https://ex.org/)",
    )
    lyon.resources.add(
        ResourceFactory(title="Cas de Lyon", slug="cas-lyon", case=True),
        ResourceFactory(title="Guide de l’évaluation partenariale", slug="guide-eval"),
    )
    ProfileFactory(
        name="Territoire pionnier de démonstration", slug="demo-pionnier",
        profile_type="territoire-pionnier", structure_kind="collectivite", is_demo=True,
        region_codes=["11"], trades=["experimentations-collectives"],
    )  # fmt: skip
    ProfileFactory(pending=True, slug="a-confirmer", token=TOKEN)
    LINKS["manage"] = f"/reseau/gerer/{manage_link(lyon)}/"
    yield
    Profile.objects.all().delete()


PAGES = [
    "/reseau/",
    "/reseau/?region=84&metier=dialogue-territorial",
    "/reseau/?structure=fondation",  # nothing of this kind
    "/reseau/?region=xx&page=x",
    "/reseau/maison-lyon/",
    "/reseau/demo-pionnier/",
    "/reseau/maison-lyon/contact/envoye/",
    "/reseau/proposer/",
    "/reseau/proposer/envoyee/",
    f"/reseau/confirmer/{TOKEN}/",
    "/reseau/gerer/",
    "/reseau/gerer/envoye/",
    "/reseau/gerer/supprimee/",
    "/reseau/gerer/lien-perime/",  # an expired or unknown link: 404
]


@pytest.mark.parametrize("path", PAGES)
def test_directory_pages_are_accessible(page, assert_accessible, directory, path):
    expected = 404 if "lien-perime" in path else 200
    assert page.goto(path).status == expected
    assert_accessible(page)


@pytest.mark.parametrize("path", PAGES)
def test_directory_pages_fit_narrow_screens(assert_fits_narrow_screens, directory, path):
    assert_fits_narrow_screens(path)


def test_the_manage_page_is_accessible_and_fits(
    page, assert_accessible, assert_fits_narrow_screens, directory
):
    assert page.goto(LINKS["manage"]).status == 200
    assert_accessible(page)
    assert_fits_narrow_screens(LINKS["manage"])


@pytest.mark.parametrize(
    ("path", "button"),
    [
        ("/reseau/proposer/", "Proposer la fiche"),
        ("/reseau/gerer/", "Recevoir le lien"),
        ("/reseau/maison-lyon/", "Envoyer le message"),
    ],
)
def test_form_errors_are_accessible(page, assert_accessible, directory, path, button):
    page.goto(path)
    if path == "/reseau/proposer/":
        page.get_by_label("Votre adresse e-mail").fill("pas-une-adresse")
        page.get_by_label("Communes couvertes").fill("Introuvableville")
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    assert page.locator(".notice--error").count() == 1
    assert page.title().startswith("Erreur")
    assert_accessible(page)
    if path == "/reseau/proposer/":
        assert page.get_by_label("Votre adresse e-mail").input_value() == "pas-une-adresse"


def test_the_directory_is_filtered_and_a_profile_opened_with_the_keyboard_only(page, directory):
    from tests.browser.test_kit_pages import tab_to

    page.goto("/reseau/")
    tab_to(page, "#f-metier-experimentations-collectives")
    page.keyboard.press("Space")
    tab_to(page, "Appliquer les filtres")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "metier=experimentations-collectives" in page.url
    assert page.locator("#nombre-resultats").inner_text() == "1 fiche"
    tab_to(page, "Territoire pionnier de démonstration")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/reseau/demo-pionnier/")
    assert page.get_by_text("Donnée de démonstration").first.is_visible()


def test_the_directory_works_without_javascript(browser, site_server, directory):
    context = browser.new_context(
        base_url=site_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/reseau/")
        page.get_by_role("link", name="Île-de-France : 1 fiche").first.click()
        page.wait_for_url("**/reseau/?*region=11")
        assert page.locator("#nombre-resultats").inner_text() == "1 fiche"
        page.goto("/reseau/maison-lyon/")
        page.get_by_label("Votre adresse e-mail").fill("visiteur@example.org")
        page.get_by_label("Votre message").fill("Bonjour, pouvons-nous échanger ?")
        page.get_by_role("button", name="Envoyer le message").click()
        page.wait_for_url("**/reseau/maison-lyon/contact/envoye/")
        assert page.get_by_role("heading", name="Message envoyé").is_visible()
        page.goto("/reseau/gerer/")
        page.get_by_label("Adresse e-mail de la fiche").fill("inconnu@example.org")
        page.get_by_role("button", name="Recevoir le lien").click()
        page.wait_for_url("**/reseau/gerer/envoye/")
    finally:
        context.close()
