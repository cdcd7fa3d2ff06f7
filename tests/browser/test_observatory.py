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
