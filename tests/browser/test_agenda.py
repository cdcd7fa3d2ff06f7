"""The agenda in Chromium: axe on every page and state, 320 px, the type filter used
with the keyboard only and without JavaScript."""

from datetime import timedelta

import pytest

TOKEN = "R" * 43


@pytest.fixture(scope="module")
def agenda(committed):
    from django.utils import timezone

    from network.models import Event
    from tests.network.factories import EventFactory
    from tests.resources.factories import ResourceFactory

    now = timezone.now()
    EventFactory(
        title="Rencontre : faire alliance sur son territoire, un titre assez long pour passer "
        "à la ligne sur un téléphone",
        slug="rencontre-essai",
        registration_url="https://inscription.example.org/",
        capacity=40,
        description="## Programme\n\n- Un **échange** entre pairs\n- Un [lien](https://ex.org/)",
    ).resources.add(ResourceFactory(title="Guide de l’évaluation partenariale"))
    EventFactory(webinar=True, title="Webinaire des pionniers", slug="webinaire-essai")
    workshop = EventFactory(
        title="Atelier : évaluer ensemble", slug="atelier-essai", kind="atelier", capacity=1,
        webinar=True,
    )  # fmt: skip
    from network.models import Registration

    Registration.objects.create(
        event=workshop, name="Camille Martin", email="camille@example.org", token=TOKEN
    )
    EventFactory(
        past=True, title="Session du MOOC passée", slug="mooc-passe", kind="session-mooc",
        replay_url="https://video.example.org/replay", starts_at=now - timedelta(days=10),
    )  # fmt: skip
    yield
    Event.objects.all().delete()


PAGES = [
    "/agenda/",
    "/agenda/?type=webinaire",
    "/agenda/?type=formation",  # nothing of this type
    "/agenda/?type=inconnu&page=x",
    "/agenda/passes/",
    "/agenda/rencontre-essai/",
    "/agenda/webinaire-essai/",
    "/agenda/mooc-passe/",
    "/agenda/atelier-essai/",  # the registration form
    f"/agenda/inscription/{TOKEN}/",  # to confirm
    "/agenda/atelier-essai/inscription/envoyee/",
    "/agenda/atelier-essai/inscription/annulee/",
]


@pytest.mark.parametrize("path", PAGES)
def test_agenda_pages_are_accessible(page, assert_accessible, agenda, path):
    assert page.goto(path).status == 200
    assert_accessible(page)


@pytest.mark.parametrize("path", PAGES)
def test_agenda_pages_fit_narrow_screens(assert_fits_narrow_screens, agenda, path):
    assert_fits_narrow_screens(path)


def test_the_agenda_is_filtered_and_an_event_opened_with_the_keyboard_only(page, agenda):
    from tests.browser.test_kit_pages import tab_to

    page.goto("/agenda/")
    tab_to(page, "#id_type")
    page.keyboard.press("ArrowDown")  # "Rencontre", the first type
    page.keyboard.press("ArrowDown")  # "Webinaire"
    tab_to(page, "Afficher")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/agenda/?type=webinaire")
    assert page.locator("#resultats").inner_text() == "1 événement à venir"
    tab_to(page, "Webinaire des pionniers")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/agenda/webinaire-essai/")
    assert page.get_by_role("link", name="Rejoindre l’événement en ligne").is_visible()


def test_the_agenda_works_without_javascript(browser, site_server, agenda):
    context = browser.new_context(
        base_url=site_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/agenda/")
        page.get_by_label("Type d’événement").select_option("rencontre")
        page.get_by_role("button", name="Afficher").click()
        page.wait_for_url("**/agenda/?type=rencontre")
        assert page.locator("#resultats").inner_text() == "1 événement à venir"
        page.get_by_role("link", name="Voir les événements passés et leurs replays").click()
        page.wait_for_url("**/agenda/passes/")
        replay = page.get_by_role("link", name="Voir le replay de « Session du MOOC passée »")
        assert replay.get_attribute("href") == "https://video.example.org/replay"
        page.get_by_role("link", name="Session du MOOC passée", exact=True).click()
        page.wait_for_url("**/agenda/mooc-passe/")
        assert page.get_by_role("link", name="Voir le replay").is_visible()
    finally:
        context.close()
