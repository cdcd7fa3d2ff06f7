"""The shared diagnostic in Chromium: every new page and state checked with axe, at
320 px, and the organiser's page without JavaScript."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from diagnostics.models import Campaign, ErasedLink
from diagnostics.services import campaign_delete
from tests.browser.conftest import horizontal_overflow
from tests.diagnostics.test_campaign import Participant, create

# The pages the tests below check with axe (for tests/site/test_accessibility_coverage).
ROUTES_CHECKED = ["diagnostics:collective", "diagnostics:join", "diagnostics:campaign",
                  "diagnostics:campaign_delete"]  # fmt: skip


def answers(kind):
    return lambda question: {"elu": 3, "agent": 1}.get(kind, 2) if question.position % 3 else "nsp"


@pytest.fixture(scope="module")
def campaigns(committed, django_db_blocker):
    """An empty campaign, one with 7 finished participants (élus, agents, a pool), a
    deleted one with a participant, and their links."""
    with django_db_blocker.unblock():
        client = Client()
        create(client, name="Conseil de développement", cle="a" * 32)
        empty = Campaign.objects.get()
        create(client, name="Pacte territorial 2027", cle="b" * 32)
        full = Campaign.objects.exclude(pk=empty.pk).get()
        for kind in ["elu", "elu", "elu", "agent", "agent", "agent", "habitant"]:
            Participant(Client(), full).complete(points=answers(kind), actor_type=kind)
        create(client, name="Ancien diagnostic", cle="c" * 32)
        gone = Campaign.objects.exclude(pk__in=[empty.pk, full.pk]).get()
        erased = Participant(Client(), gone)
        erased.complete(actor_type="catalyseur")
        participant = full.participants.first()
        links = {
            "empty": empty.get_absolute_url(),
            "full": full.get_absolute_url(),
            "join": f"/diagnostic/collectif/rejoindre/{full.invitation_token}/",
            "participant": f"/diagnostic/{participant.token}/resultats/",
            "gone": f"/diagnostic/{erased.token}/resultats/",
            "closed_join": None,
        }
        campaign_delete(campaign=gone)
        create(client, name="Diagnostic clos", cle="d" * 32)
        closed = Campaign.objects.filter(name="Diagnostic clos").get()
        client.post(f"/diagnostic/collectif/{closed.organiser_token}/statut/", {"action": "clore"})
        links["closed_join"] = f"/diagnostic/collectif/rejoindre/{closed.invitation_token}/"
        yield links
        Campaign.objects.all().delete()
        ErasedLink.objects.all().delete()


def test_creating_a_shared_diagnostic_with_errors_then_without(campaigns, page, assert_accessible):
    page.goto("/diagnostic/collectif/")
    assert_accessible(page)
    page.get_by_role("button", name="Créer le diagnostic partagé").click()
    expect(page.get_by_role("alert")).to_contain_text("points à corriger")
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.title().startswith("Erreur")
    assert_accessible(page)
    page.get_by_label("Nom du diagnostic partagé").fill("Réunion des acteurs")
    page.get_by_label("Le territoire (commune)").fill("Saint-Denis")
    page.get_by_role("button", name="Créer le diagnostic partagé").click()
    expect(page.get_by_role("group", name="Précisez la commune")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Précisez la commune").get_by_role("radio").first.check()
    page.get_by_role("button", name="Créer le diagnostic partagé").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réunion des acteurs")
    expect(page.get_by_text("La synthèse apparaît quand au moins 3 participants")).to_be_visible()
    assert_accessible(page)
    Campaign.objects.filter(name="Réunion des acteurs").delete()


def test_the_organiser_page_shows_the_synthesis_with_a_chart_and_table(
    campaigns, page, assert_accessible
):
    page.goto(campaigns["full"])
    expect(page.get_by_role("heading", name="La synthèse du groupe")).to_be_visible()
    expect(page.get_by_role("table", name="Participants par type d’acteur")).to_contain_text(
        "Élu·e"
    )
    expect(page.locator(".spread-chart")).to_have_count(5)
    expect(page.get_by_text("les regards divergent").first).to_be_visible()
    expect(page.locator("img[alt='Code QR du lien d’invitation']")).to_be_visible()
    assert page.locator(".qr img").evaluate("img => img.naturalWidth") > 0  # the SVG loads
    expect(page.get_by_role("button", name="Copier le lien")).to_be_visible()
    assert_accessible(page)
    # Valid for the browser, not for the site (no domain extension).
    page.get_by_label("Envoyer l’invitation par e-mail").fill("nom@exemple")
    page.get_by_role("button", name="Envoyer l’invitation", exact=True).click()
    expect(page.get_by_text("n’est pas valide")).to_be_visible()
    assert_accessible(page)
    page.goto(campaigns["empty"])
    assert_accessible(page)


def test_without_javascript_the_invitation_link_is_a_selectable_field(campaigns, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(campaigns["full"])
    field = page.get_by_label("Lien d’invitation")
    assert field.input_value().endswith(campaigns["join"])
    assert field.get_attribute("readonly") is not None
    expect(page.get_by_role("button", name="Copier le lien")).to_be_hidden()


def test_joining_with_an_error_then_the_participant_profile(campaigns, page, assert_accessible):
    page.goto(campaigns["join"])
    assert_accessible(page)
    page.get_by_role("button", name="Commencer le diagnostic").click()
    expect(page.get_by_role("alert")).to_contain_text("Choisissez votre type d’acteur")
    assert_accessible(page)
    page.get_by_label("Entreprise").check()
    page.get_by_role("button", name="Commencer le diagnostic").click()
    expect(page.locator("#progression")).to_have_text("Étape 1 sur 6")
    expect(page.get_by_label("Entreprise")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("alert")).to_contain_text("point à corriger")
    assert_accessible(page)


def test_results_closed_deleted_and_confirmation_states(campaigns, page, assert_accessible):
    page.goto(campaigns["participant"])
    expect(page.get_by_text("Vous avez participé au diagnostic partagé")).to_be_visible()
    assert_accessible(page)
    page.goto(campaigns["closed_join"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce diagnostic partagé est clos")
    assert_accessible(page)
    page.goto(campaigns["gone"])
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ce diagnostic partagé a été supprimé"
    )
    assert_accessible(page)
    page.goto(campaigns["empty"] + "supprimer/")
    assert_accessible(page)
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page.get_by_role("alert")).to_contain_text("Cochez la case")
    assert_accessible(page)


@pytest.mark.parametrize("key", ["collective", "full", "join", "empty_delete", "gone"])
def test_the_shared_diagnostic_pages_fit_a_320_px_screen(campaigns, new_page, key):
    path = {
        "collective": "/diagnostic/collectif/",
        "empty_delete": campaigns["empty"] + "supprimer/",
    }
    path = path.get(key) or campaigns[key]
    for viewport, scale in (({"width": 320, "height": 640}, 1), ({"width": 640, "height": 400}, 2)):
        page = new_page(viewport=viewport, device_scale_factor=scale)
        page.goto(path)
        assert horizontal_overflow(page) <= 0, (path, viewport)
