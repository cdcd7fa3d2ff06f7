"""The self-diagnostic in Chromium: completed with the keyboard only, every step and
error state checked with axe, the report printed to an A4 PDF."""

import re

import pytest
from playwright.sync_api import expect

from diagnostics.models import Response
from tests.browser.conftest import horizontal_overflow


@pytest.fixture(scope="module")
def clean_responses(committed):
    yield


def skip_to_content(page):
    """The skip link, as a keyboard user does. After a form sent from a page reached by
    the skip link, the browser keeps "#contenu" in the address: the keyboard already
    starts in the content then, as it does on a step sent back with errors (the script
    focuses their summary)."""
    if page.url.endswith("#contenu") or error_summary_focused(page):
        return
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")


def error_summary_focused(page) -> bool:
    return page.evaluate("() => document.activeElement.matches('.error-summary')")


def answer_groups_with_keyboard(page):
    """Tab through each radio group; an unanswered one gets its third answer."""
    groups = page.locator("fieldset.question")
    for index in range(groups.count()):
        page.keyboard.press("Tab")
        if groups.nth(index).locator("input:checked").count() == 0:
            page.keyboard.press("Space")
            page.keyboard.press("ArrowDown")
            page.keyboard.press("ArrowDown")
        else:
            expect(groups.nth(index).locator("input:checked")).to_be_focused()


def submit_with_keyboard(page):
    button = page.locator("button[value=suivant]")
    for _ in range(10):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")


# The pages the keyboard test below checks with axe (for tests/site/test_accessibility_coverage).
ROUTES_CHECKED = ["diagnostics:index", "diagnostics:step", "diagnostics:results"]


def test_a_mayor_completes_the_diagnostic_with_the_keyboard_only(
    clean_responses, page, assert_accessible
):
    page.goto("/diagnostic/")
    assert_accessible(page)
    skip_to_content(page)
    start = page.get_by_role("button", name="Commencer le diagnostic")
    for _ in range(30):
        page.keyboard.press("Tab")
        if start.evaluate("b => b === document.activeElement"):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#progression")).to_have_text("Étape 1 sur 6")
    assert_accessible(page)

    # An empty submission: the error state, then the profile with the keyboard.
    submit_with_keyboard(page)
    expect(page.get_by_role("alert")).to_contain_text("points à corriger")
    assert_accessible(page)
    skip_to_content(page)
    page.keyboard.press("Tab")  # first error link
    page.keyboard.press("Enter")
    expect(page.locator("#id_role_0")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Votre commune")).to_be_focused()
    page.keyboard.type("Charenton-le-Pont")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # consent: oui
    submit_with_keyboard(page)

    for step in range(2, 7):
        expect(page.locator("#progression")).to_have_text(f"Étape {step} sur 6")
        assert_accessible(page)
        skip_to_content(page)
        answer_groups_with_keyboard(page)
        submit_with_keyboard(page)
        if page.get_by_role("alert").count():  # a follow-up question appeared
            assert_accessible(page)
            skip_to_content(page)
            for _ in range(page.locator(".error-summary a").count()):
                page.keyboard.press("Tab")
            answer_groups_with_keyboard(page)
            submit_with_keyboard(page)

    expect(page.get_by_role("heading", name="Vos résultats")).to_be_visible()
    token = re.search(r"/diagnostic/([\w-]+)/resultats/", page.url).group(1)
    assert_accessible(page)
    response = Response.objects.get(token=token)
    assert response.is_complete and response.level == "structuration"
    assert response.commune.name == "Charenton-le-Pont"


def test_the_report_prints_as_a_clean_a4_document(clean_responses, page, assert_accessible):
    page.goto("/diagnostic/")
    page.get_by_role("button", name="Commencer le diagnostic").click()
    page.get_by_label("Agent de collectivité").check()
    page.get_by_label("Votre commune").fill("94220")
    page.locator("#id_consent_1").check()
    page.get_by_role("button", name="Suivant").click()
    while page.locator("fieldset.question").count():
        for group in page.locator("fieldset.question:visible").all():
            if not group.locator("input:checked").count():
                group.locator("input[type=radio]").nth(1).check()
        page.locator("button[value=suivant]").click()
    expect(page.get_by_role("heading", name="Vos résultats")).to_be_visible()
    expect(page.get_by_role("button", name="Imprimer ou enregistrer en PDF")).to_be_visible()
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".report__actions")).to_be_hidden()
    expect(page.locator(".radar")).to_be_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 5, pages


def test_the_diagnostic_fits_a_320_px_screen(clean_responses, new_page):
    page = new_page(viewport={"width": 320, "height": 640})

    def overflow():
        return horizontal_overflow(page)

    page.goto("/diagnostic/")
    assert overflow() <= 0
    with page.expect_navigation():
        page.get_by_role("button", name="Commencer le diagnostic").click()
    assert overflow() <= 0
    with page.expect_navigation():
        page.get_by_role("button", name="Suivant").click()  # empty: the error state
    assert overflow() <= 0
    page.locator("#id_role_0").check()
    page.get_by_label("Votre commune").fill("Charenton-le-Pont")
    page.locator("#id_consent_0").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Suivant").click()
    expect(page.locator("#progression")).to_have_text("Étape 2 sur 6")
    assert overflow() <= 0


def start_and_reach_step(page, step):
    page.goto("/diagnostic/")
    with page.expect_navigation():
        page.get_by_role("button", name="Commencer le diagnostic").click()
    page.locator("#id_role_0").check()
    page.get_by_label("Votre commune").fill("Charenton-le-Pont")
    page.locator("#id_consent_0").check()
    with page.expect_navigation():
        page.locator("button[value=suivant]").click()
    for _ in range(2, step):
        for group in page.locator("fieldset.question:visible").all():
            group.locator("input[type=radio]").nth(2).check()
        with page.expect_navigation():
            page.locator("button[value=suivant]").click()
    expect(page.locator("#progression")).to_have_text(f"Étape {step} sur 6")


def test_the_catalysts_trades_are_revealed_in_place(clean_responses, page, assert_accessible):
    start_and_reach_step(page, 5)
    trades = page.get_by_role("group", name=re.compile("quatre métiers de la catalyse"))
    expect(trades).to_be_hidden()
    page.get_by_label("Oui, une partie de son temps").check()
    expect(trades).to_be_visible()
    expect(page.locator("[data-follow-up-status]")).to_have_text(
        re.compile("Une question complémentaire s’affiche")
    )
    assert_accessible(page)
    catalyst = page.get_by_role("group", name=re.compile("rôle de catalyseur territorial"))
    catalyst.get_by_label("Non", exact=True).check()
    expect(trades).to_be_hidden()
    page.get_by_label("Oui, c’est une mission reconnue et financée").check()
    for group in page.locator("fieldset.question:visible").all():
        if not group.locator("input:checked").count():
            group.locator("input[type=radio]").nth(2).check()
    url = page.url
    with page.expect_navigation():
        page.locator("button[value=suivant]").click()
    assert page.url != url  # no error, no second round: straight to the next step
    expect(page.locator("#progression")).to_have_text("Étape 6 sur 6")


def test_enter_on_an_answer_goes_to_the_next_step(clean_responses, page):
    start_and_reach_step(page, 2)
    for group in page.locator("fieldset.question").all():
        group.locator("input[type=radio]").nth(1).check()
    page.locator("fieldset.question input:checked").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#progression")).to_have_text("Étape 3 sur 6")


def test_a_step_sent_back_with_errors_focuses_their_summary(clean_responses, page):
    page.goto("/diagnostic/")
    with page.expect_navigation():
        page.get_by_role("button", name="Commencer le diagnostic").click()
    assert not error_summary_focused(page)  # a step without errors: focus left alone
    with page.expect_navigation():
        page.locator("button[value=suivant]").click()  # nothing answered
    expect(page.locator(".error-summary")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(".error-summary a").first).to_be_focused()

    start_and_reach_step(page, 2)
    assert not error_summary_focused(page)
    with page.expect_navigation():
        page.locator("button[value=suivant]").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("identifiées\u00a0? Répondez")
