"""The kit, its use pages and the parcours in Chromium: axe on every page and state,
320 px, no JavaScript, and a parcours completed with the keyboard only."""

import pytest

from tests.resources.factories import ResourceFactory

TOKEN = "T" * 32


@pytest.fixture(scope="module")
def kit(committed):
    from kit.models import Parcours, Progress, Use
    from kit.services import progress_mark
    from tests.kit.factories import ParcoursFactory, StepFactory, UseFactory, UseItemFactory

    use = UseFactory(usage="se-former", introduction="## Pour qui\n\nLes **nouveaux venus**.")
    for index in range(3):
        resource = ResourceFactory(title=f"Ressource pour se former {index}", usages=["se-former"])
        UseItemFactory(use=use, resource=resource, why="Pour poser les bases.")
    UseItemFactory(
        use=use, resource=ResourceFactory(case=True, title="Un cas", goals=[17]), why="Un exemple."
    )
    ResourceFactory(title="Faire alliance sur son territoire", goals=[17, 11])
    parcours = ParcoursFactory(
        title="Parcours d’essai", slug="essai", usage="se-former", start_here=True,
        external_url="https://www.coursera.org/essec", external_label="Le MOOC sur Coursera",
    )  # fmt: skip
    StepFactory(parcours=parcours, position=1, resource=ResourceFactory(title="Vision systémique"))
    StepFactory(parcours=parcours, position=2, diagnostic=True)
    StepFactory(
        parcours=parcours,
        position=3,
        text=True,
        title="Séance 1 sur 4",
        link_url="https://www.coursera.org/essec",
    )
    from resources.models import GlossaryTerm

    term = GlossaryTerm.objects.create(
        name="alliance", slug="alliance", definition="Des solutions entre acteurs.",
        source="Le RAMEAU", source_url="https://www.lerameau.fr/",
    )  # fmt: skip
    term.resources.add(resource)
    progress = Progress.objects.create(parcours=parcours, token=TOKEN)
    progress_mark(progress=progress, step=parcours.steps.first(), done=True)
    yield parcours
    Progress.objects.all().delete()
    Parcours.objects.all().delete()
    Use.objects.all().delete()
    GlossaryTerm.objects.all().delete()


PAGES = [
    "/kit/",
    "/kit/se-former/",
    "/kit/evaluer/",  # nothing chosen yet
    "/kit/inconnu/",
    "/glossaire/",
    "/parcours/",
    "/parcours/essai/",
    f"/parcours/essai/suivi/{TOKEN}/",
    "/odd/",
    "/odd/17/",  # a resource and a case
    "/odd/3/",  # nothing tagged yet
    "/odd/18/",
    "/ressources/?odd=17",
    "/ressources/?q=alliance+or+essai",  # a parcours and a glossary term found too
]


@pytest.mark.parametrize("path", PAGES)
def test_kit_pages_are_accessible(page, assert_accessible, kit, path):
    page.goto(path)
    assert_accessible(page)


@pytest.mark.parametrize("path", PAGES)
def test_kit_pages_fit_narrow_screens(assert_fits_narrow_screens, kit, path):
    assert_fits_narrow_screens(path)


def tab_to(page, text: str, limit: int = 200) -> None:
    """Press Tab until the focused element's text (or id) holds `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if text in page.evaluate("(el => el.textContent + ' #' + el.id)(document.activeElement)"):
            return
    raise AssertionError(f"« {text} » n’est pas atteignable au clavier")


def test_a_parcours_is_completed_with_the_keyboard_only(page, assert_accessible, kit):
    page.goto("/parcours/essai/")
    tab_to(page, "Commencer ce parcours")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/parcours/essai/suivi/" in page.url and TOKEN not in page.url
    assert page.locator("#progression").inner_text() == "0 étape faite sur 3"
    for done in (1, 2, 3):
        tab_to(page, "Marquer comme fait")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("#progression").inner_text().startswith(f"{done} étape")
        if done == 1:
            assert page.get_by_text("Étape suivante").is_visible()
            assert_accessible(page)
    assert page.get_by_role("heading", name="Parcours terminé : bravo !").is_visible()
    assert_accessible(page)

    # The error state: a wrong address, said in French next to the form.
    tab_to(page, "#id_email")
    page.keyboard.type("pas-une-adresse")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Cette adresse e-mail n’est pas valide").is_visible()
    assert_accessible(page)


def test_a_parcours_works_without_javascript(browser, site_server, kit):
    context = browser.new_context(
        base_url=site_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/parcours/essai/")
        page.get_by_role("button", name="Commencer ce parcours").click()
        page.wait_for_url("**/suivi/**")
        for _ in range(3):
            page.get_by_role("button", name="Marquer comme fait").first.click()
            page.wait_for_load_state()
        assert page.locator("#progression").inner_text() == "3 étapes faites sur 3"
        page.get_by_role("button", name="Marquer « à reprendre »").first.click()
        page.wait_for_load_state()
        assert page.locator("#progression").inner_text() == "2 étapes faites sur 3"
    finally:
        context.close()


def test_the_progress_link_opens_in_another_browser(browser, site_server, kit):
    context = browser.new_context(base_url=site_server.url, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"/parcours/essai/suivi/{TOKEN}/")
        assert page.locator("#progression").inner_text() == "1 étape faite sur 3"
        assert page.locator("progress").get_attribute("value") == "1"
    finally:
        context.close()


def test_a_goal_is_reached_with_the_keyboard_only(page, kit):
    page.goto("/odd/")
    tab_to(page, "Partenariats pour la réalisation des objectifs (")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/odd/17/")
    tab_to(page, "Faire alliance sur son territoire")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/ressources/" in page.url


def test_the_compass_works_without_javascript(browser, site_server, kit):
    context = browser.new_context(
        base_url=site_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/odd/")
        page.get_by_role("link", name="ODD 11 — Villes et communautés durables").click()
        page.wait_for_url("**/odd/11/")
        assert page.get_by_role("link", name="Faire alliance sur son territoire").is_visible()
    finally:
        context.close()
