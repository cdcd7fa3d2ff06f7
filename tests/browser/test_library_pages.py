import pytest

from resources.services import search_words_refresh
from tests.resources.factories import OrganisationFactory, ResourceFactory, ThemeFactory


@pytest.fixture(scope="module")
def library(committed):
    theme = ThemeFactory(name="Évaluation", slug="evaluation")
    publisher = OrganisationFactory(name="Le RAMEAU", slug="le-rameau")
    main = ResourceFactory(
        title="Évaluation partenariale en pratique",
        slug="evaluation-partenariale",
        summary="Un référentiel pour évaluer les alliances.",
        body="## Pour qui ?\n\nLes catalyseurs et les élus.\n\n- un point\n- un autre",
        kind="referentiel",
        external_url="https://www.odd17.org/",
        audiences=["collectivites"],
        usages=["evaluer"],
        themes=[theme],
        publishers=[publisher],
        tags=["évaluation", "impact"],
    )
    for index in range(24):
        ResourceFactory(
            title=f"Guide pratique {index}",
            audiences=["associations"],
            usages=["mettre-en-oeuvre"],
            themes=[theme],
            tags=["impact"],
        )
    ResourceFactory(
        case=True,
        title="Une coopération au Val-de-Brume",
        slug="cas-val-de-brume",
        region_id="53",
        size_band="moins-de-2000",
        is_fictional=True,
        territory_name="Val-de-Brume (territoire fictif)",
        impact_trust="La confiance a grandi.",
        goals=[17, 11],
    )
    search_words_refresh()
    return main


PAGES = [
    "/ressources/",
    "/ressources/?q=evaluation",
    "/ressources/?q=zzzzzz",
    "/ressources/?public=collectivites&public=associations&usage=evaluer",
    "/ressources/?page=2",
    "/ressources/evaluation-partenariale/",
    "/cas-pratiques/",
    "/cas-pratiques/?region=53",
    "/cas-pratiques/?odd=17",
    "/ressources/nexiste-pas/",
]


@pytest.mark.parametrize("path", PAGES)
def test_library_pages_are_accessible(page, assert_accessible, library, path):
    page.goto(path)

    assert_accessible(page)


def test_search_shows_highlighted_results_first(page, library):
    page.goto("/ressources/")
    page.get_by_label("Rechercher une ressource").fill("evaluation")
    page.get_by_role("button", name="Rechercher").click()

    first = page.locator("ol.results > li").first
    assert first.locator("mark").first.inner_text() == "Évaluation"
    assert "evaluation-partenariale" in first.locator("h3 a").get_attribute("href")


def test_facets_work_without_javascript(browser, site_server, library):
    context = browser.new_context(base_url=site_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/ressources/")
        page.get_by_label("Collectivités (1 résultat)").check()
        page.get_by_role("button", name="Appliquer les filtres").click()

        assert "public=collectivites" in page.url
        assert page.locator("#nombre-resultats").inner_text() == "1 résultat"
        page.get_by_role("link", name="Retirer le filtre Public : Collectivités").click()
        assert page.locator("#nombre-resultats").inner_text() == "26 résultats"
    finally:
        context.close()


def test_facet_change_updates_results_in_place_and_back_works(page, library):
    page.goto("/ressources/")
    page.evaluate("window.marker = 'same page'")

    page.get_by_label("Associations (24 résultats)").check()
    page.wait_for_url("**public=associations**")
    page.locator("#nombre-resultats", has_text="24 résultats").wait_for()

    assert page.evaluate("window.marker") == "same page"  # no full reload
    assert page.get_by_role("link", name="Retirer le filtre Public : Associations").is_visible()
    page.go_back()
    page.locator("#nombre-resultats", has_text="26 résultats").wait_for()
    assert not page.get_by_label("Associations (24 résultats)").is_checked()


def test_filters_fold_under_a_disclosure_on_a_phone(new_page, library):
    page = new_page(viewport={"width": 320, "height": 640})
    page.goto("/ressources/")

    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert not page.locator(".catalogue__filters").evaluate("el => el.open")
    page.get_by_text("Filtrer", exact=True).click()
    assert page.get_by_label("Associations (24 résultats)").is_visible()


def test_detail_page_links_out_and_back_to_the_catalogue(page, library):
    page.goto("/ressources/evaluation-partenariale/")

    assert page.locator("h1").inner_text() == "Évaluation partenariale en pratique"
    assert page.get_by_role(
        "link",
        name="Site de l’éditeur de « Évaluation partenariale en pratique » : www.odd17.org",
    ).is_visible()
    page.get_by_role("link", name="impact", exact=True).first.click()
    assert "tag=impact" in page.url
    assert page.locator("#nombre-resultats").inner_text() == "25 résultats"


def test_case_map_links_to_the_filtered_list(page, library):
    page.goto("/cas-pratiques/")
    page.locator(".tile--53 a").click()

    assert "region=53" in page.url
    assert page.locator("#nombre-resultats").inner_text() == "1 résultat"
    assert page.get_by_text("Cas illustratif").first.is_visible()


NARROW_PAGES = [
    "/ressources/?q=evaluation&public=collectivites",
    "/ressources/evaluation-partenariale/",
    "/cas-pratiques/",
]


@pytest.mark.parametrize("path", NARROW_PAGES)
def test_library_pages_fit_a_320_px_screen_and_a_200_percent_zoom(
    assert_fits_narrow_screens, library, path
):
    assert_fits_narrow_screens(path)
