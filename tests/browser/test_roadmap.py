"""The roadmap pages (feuille de route) in Chromium: axe on the form, its error state and
the frozen page; used with the keyboard only; at 320 px; without JavaScript; printed."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from diagnostics.forms import month_add
from diagnostics.models import Action, Campaign, Response, Roadmap
from kit.models import Parcours
from tests.browser.conftest import horizontal_overflow
from tests.diagnostics.conftest import Taker
from tests.diagnostics.test_campaign import Participant, create
from tests.kit.factories import ParcoursFactory

# The pages the tests below check with axe (for tests/site/test_accessibility_coverage).
ROUTES_CHECKED = ["diagnostics:roadmap", "diagnostics:campaign_roadmap"]


@pytest.fixture(scope="module")
def roadmaps(committed, django_db_blocker):
    """Four completed diagnostics (one per test that changes its roadmap), a shared
    diagnostic with three finished participants, the demo action catalogue and a
    parcours tied to every axis (shown under « Des parcours pour progresser »)."""
    with django_db_blocker.unblock():
        call_command("loaddata", "fixtures/08_actions.json", verbosity=0)
        ParcoursFactory(
            title="Parcours de la feuille de route", slug="parcours-feuille-de-route",
            diagnostic_axes=["vision", "ecosysteme", "action", "moyens", "evaluation"],
        )  # fmt: skip
        tokens = []
        for _ in range(4):
            taker = Taker(Client())
            taker.complete(points=lambda question: 1)
            tokens.append(taker.token)
        client = Client()
        create(client, name="Feuille de route partagée", cle="r" * 32)
        campaign = Campaign.objects.get(name="Feuille de route partagée")
        for kind in ["elu", "agent", "habitant"]:
            Participant(Client(), campaign).complete(actor_type=kind)
        yield {
            "paths": [f"/diagnostic/{token}/feuille-de-route/" for token in tokens],
            "group": f"/diagnostic/collectif/{campaign.organiser_token}/feuille-de-route/",
        }
        Response.objects.all().delete()  # their roadmaps and chosen actions cascade
        Campaign.objects.all().delete()
        Action.objects.all().delete()
        Parcours.objects.filter(slug="parcours-feuille-de-route").delete()


def month(offset: int) -> str:
    return f"{month_add(timezone.localdate().replace(day=1), offset):%m/%Y}"


def tab_to(page, selector, limit=120):
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} n’a pas reçu le focus au clavier")


def test_a_roadmap_built_and_frozen_with_the_keyboard_only(roadmaps, page, assert_accessible):
    path = roadmaps["paths"][0]
    page.goto(path)
    expect(page.get_by_role("heading", name="Votre feuille de route", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Parcours de la feuille de route")).to_be_visible()
    assert_accessible(page)

    tab_to(page, "#id_action_1")
    page.keyboard.press("ArrowDown")  # the first suggested action
    tab_to(page, "#id_qui_1", limit=5)
    page.keyboard.type("Le maire")
    page.keyboard.press("Tab")
    page.keyboard.type(month(-1))  # a month already past
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The error state: its summary has the focus, its link leads to the field.
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Ce mois est passé")
    expect(page.locator("#id_qui_1")).to_have_value("Le maire")  # nothing lost
    assert_accessible(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_mois_1")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(month(2))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("La feuille de route est enregistrée")
    assert_accessible(page)

    tab_to(page, "#id_confirm_freeze")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Enregistrer et figer")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Feuille de route figée le")
    expect(page.locator("main form")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("fichier .ics"))).to_be_visible()
    assert_accessible(page)
    roadmap = Roadmap.objects.get(response__token=path.split("/")[2])
    assert roadmap.is_frozen and roadmap.items.get().owner == "Le maire"


def test_the_roadmap_works_without_javascript(roadmaps, new_page):
    page = new_page(java_script_enabled=False)
    path = roadmaps["paths"][1]
    page.goto(path)
    expect(page.get_by_role("button", name="Imprimer ou enregistrer en PDF")).to_be_hidden()
    page.locator("#id_titre_1").fill("Réunir le conseil municipal")
    page.locator("#id_mois_1").fill("13/2030")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la feuille de route").click()
    expect(page.locator(".error-summary")).to_contain_text("Le mois va de 01 à 12")
    expect(page.locator("#id_titre_1")).to_have_value("Réunir le conseil municipal")
    page.locator("#id_mois_1").fill(month(1))
    page.locator("#id_cible_vision").select_option("demultiplication")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la feuille de route").click()
    expect(page.locator(".messages")).to_contain_text("La feuille de route est enregistrée")
    expect(page.locator("#id_cible_vision")).to_have_value("demultiplication")
    response = page.request.get(path + "../feuille-de-route.ics")
    assert response.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:Réunir le conseil municipal" in response.text()


def test_the_roadmap_pages_fit_a_320_px_screen(roadmaps, new_page, assert_fits_narrow_screens):
    path = roadmaps["paths"][2]
    assert_fits_narrow_screens(path)
    assert_fits_narrow_screens(roadmaps["group"])
    page = new_page(viewport={"width": 320, "height": 640})
    page.goto(path)
    page.locator("#id_mois_2").fill("bientôt")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la feuille de route").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert horizontal_overflow(page) <= 0


def test_the_group_roadmap_passes_axe(roadmaps, page, assert_accessible):
    page.goto(roadmaps["group"])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Feuille de route partagée")
    expect(page.locator("main")).to_contain_text("médiane des scores des participants")
    expect(page.get_by_role("link", name="Parcours de la feuille de route")).to_be_visible()
    assert_accessible(page)


def test_the_roadmap_prints_as_a_clean_a4_document(roadmaps, page):
    path = roadmaps["paths"][3]
    page.goto(path)
    page.locator("#id_action_1").select_option(index=1)
    page.locator("#id_qui_1").fill("Service développement local")
    page.locator("#id_mois_1").fill(month(4))
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la feuille de route").click()
    page.emulate_media(media="print")
    expect(page.locator(".roadmap-form")).to_be_hidden()
    expect(page.locator(".site-nav")).to_be_hidden()
    saved = page.locator(".roadmap-saved")
    expect(saved).to_be_visible()
    expect(saved).to_contain_text("Service développement local")
    expect(page.locator(".roadmap-keep .print-url")).to_contain_text("/feuille-de-route/")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 4, pages
