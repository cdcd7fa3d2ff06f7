"""The observatory in Chromium: axe on every page state, the chart/table switch."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect


@pytest.fixture(scope="module")
def content(committed):
    call_command("loaddata", "fixtures/05_observatory.json", verbosity=0)


PAGES = [
    "/observatoire/",
    "/observatoire/?indicateur=modes-de-partenariat&vue=tableau",
    "/observatoire/?region=53",
    "/observatoire/?population=maires&indicateur=inconnu",
    "/observatoire/indicateurs/fragilites-territoires/",
    "/observatoire/indicateurs/demo-dynamique-regionale/",
    "/observatoire/indicateurs/devoir-d-alliance/integrer/",
    "/sources/",
]


@pytest.mark.parametrize("path", PAGES)
def test_observatory_pages_are_accessible(content, page, assert_accessible, path):
    page.goto(path)
    assert_accessible(page)


def test_the_chart_table_switch_works_with_the_keyboard(content, page):
    page.goto("/observatoire/")
    figure = page.locator("#indicateur-partenariats-source-innovation")
    table = figure.locator("[data-table]")
    expect(table).to_be_hidden()
    button = figure.get_by_role("button", name="Voir le tableau")
    button.focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    expect(figure.locator("[data-chart]")).to_be_hidden()
    expect(figure.get_by_role("button", name="Voir le graphique")).to_be_focused()


def test_the_switch_says_what_it_controls_and_whether_the_table_is_shown(content, page):
    page.goto("/observatoire/")
    figure = page.locator("#indicateur-fragilites-territoires")
    button = figure.get_by_role("button", name="Voir le tableau")
    expect(button).to_have_attribute("aria-expanded", "false")
    controlled = button.get_attribute("aria-controls").split()
    table_id = figure.locator("[data-table]").get_attribute("id")
    chart_id = figure.locator("[data-chart]").get_attribute("id")
    assert controlled == [table_id, chart_id] and all(controlled)
    assert page.locator(f"#{table_id}").count() == page.locator(f"#{chart_id}").count() == 1
    button.click()
    expect(figure.get_by_role("button", name="Voir le graphique")).to_have_attribute(
        "aria-expanded", "true"
    )


def test_key_figures_fill_their_rows_on_a_wide_screen(content, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto("/observatoire/")
    tops = page.locator(".key-figure").evaluate_all(
        "cards => cards.map(card => Math.round(card.getBoundingClientRect().top))"
    )
    rows = [tops.count(top) for top in sorted(set(tops))]
    assert len(tops) == 6 and rows == [3, 3], rows  # not 5 + 1


def test_without_javascript_chart_and_table_both_show(content, new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/observatoire/")
    figure = page.locator("#indicateur-partenariats-source-innovation")
    expect(figure.locator("[data-table]")).to_be_visible()
    expect(figure.locator("[data-chart] svg").first).to_be_visible()  # a bar per row


@pytest.mark.parametrize(
    "path", ["/observatoire/", "/observatoire/indicateurs/demo-dynamique-regionale/"]
)
def test_observatory_fits_a_320_px_screen_and_a_200_percent_zoom(
    content, assert_fits_narrow_screens, path
):
    assert_fits_narrow_screens(path)
