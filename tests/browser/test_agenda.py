"""The agenda in Chromium: axe on every page and state, 320 px, the type filter and the
registration used with the keyboard only and without JavaScript, the registration
form's error state."""

from datetime import timedelta

import pytest

TOKEN = "R" * 43
WAITING = "W" * 43
CONFIRMED = "C" * 43


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
    full = EventFactory(
        title="Visite complète",
        slug="visite-complete",
        kind="visite-de-terrain",
        capacity=1,
        registration_closes_at=now + timedelta(days=5),
    )
    Registration.objects.create(
        event=full, name="Ada", email="ada@example.org", token=CONFIRMED, status="confirmee",
        confirmed_at=now,
    )  # fmt: skip
    Registration.objects.create(
        event=full, name="Bea", email="bea@example.org", token=WAITING,
        status="liste-d-attente", waiting_since=now,
    )  # fmt: skip
    EventFactory(
        title="Formation close", slug="formation-close", kind="formation", capacity=5,
        registration_closes_at=now - timedelta(hours=1),
    )  # fmt: skip
    EventFactory(
        past=True, title="Session du MOOC passée", slug="mooc-passe", kind="session-mooc",
        replay_url="https://video.example.org/replay", starts_at=now - timedelta(days=10),
    )  # fmt: skip
    yield
    Event.objects.all().delete()


PAGES = [
    "/agenda/",
    "/agenda/?type=webinaire",
    "/agenda/?type=session-mooc",  # nothing of this type to come
    "/agenda/?type=inconnu&page=x",
    "/agenda/passes/",
    "/agenda/rencontre-essai/",
    "/agenda/webinaire-essai/",
    "/agenda/mooc-passe/",
    "/agenda/atelier-essai/",  # the registration form
    f"/agenda/inscription/{TOKEN}/",  # to confirm
    "/agenda/visite-complete/",  # full: the form for the waiting list, a deadline
    "/agenda/formation-close/",  # past its registration deadline
    f"/agenda/inscription/{CONFIRMED}/",  # confirmed, with the calendar link
    f"/agenda/inscription/{WAITING}/",  # on the waiting list, with the rank
    f"/agenda/inscription/{CONFIRMED}/annuler/",  # the e-mail's cancel link
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
    assert page.get_by_role("heading", level=1).inner_text() == "Webinaire des pionniers"
    assert page.get_by_role("link", name="Rejoindre l’événement en ligne").count() == 0


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


def submit_empty_registration(page):
    page.goto("/agenda/atelier-essai/")
    page.get_by_role("textbox", name="Adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="M’inscrire").click()
    page.wait_for_selector(".notice--error")


def test_the_registration_form_error_state_is_accessible_and_keeps_what_was_typed(
    page, assert_accessible, agenda
):
    submit_empty_registration(page)
    assert page.get_by_role("alert").is_visible()
    assert "Cette adresse e-mail n’est pas valide" in page.get_by_role("alert").inner_text()
    assert page.get_by_role("textbox", name="Adresse e-mail").input_value() == "pas-une-adresse"
    assert page.locator("[aria-invalid=true]").count() == 3  # name, e-mail, consent
    assert_accessible(page)


def test_the_registration_form_error_state_fits_narrow_screens(new_page, agenda):
    from tests.browser.conftest import horizontal_overflow

    page = new_page(viewport={"width": 320, "height": 640})
    submit_empty_registration(page)
    assert horizontal_overflow(page) <= 0


def test_a_person_registers_with_the_keyboard_only(page, agenda):
    from tests.browser.test_kit_pages import tab_to

    page.goto("/agenda/atelier-essai/")
    tab_to(page, "id_name")
    page.keyboard.type("Dominique Clavier")
    page.keyboard.press("Tab")
    page.keyboard.type("dominique@example.org")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    tab_to(page, "M’inscrire")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/agenda/atelier-essai/inscription/envoyee/")
    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez vos e-mails"
    _registration_delete("dominique@example.org")


def test_registration_works_without_javascript(browser, site_server, agenda):
    context = browser.new_context(
        base_url=site_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/agenda/atelier-essai/")
        page.get_by_role("button", name="M’inscrire").click()  # nothing filled in
        page.wait_for_selector(".notice--error")
        assert "Cochez cette case pour vous inscrire." in page.get_by_role("alert").inner_text()
        page.get_by_label("Nom et prénom").fill("Sans Script")
        page.get_by_role("textbox", name="Adresse e-mail").fill("sans-script@example.org")
        page.get_by_role("checkbox").check()
        page.get_by_role("button", name="M’inscrire").click()
        page.wait_for_url("**/agenda/atelier-essai/inscription/envoyee/")
        token = _registration_delete("sans-script@example.org", keep=True)
        page.goto(f"/agenda/inscription/{token}/")
        page.get_by_role("button", name="Confirmer mon inscription").click()
        page.wait_for_url(f"**/agenda/inscription/{token}/")
        assert "Votre inscription est confirmée" in page.get_by_role("status").inner_text()
        online = page.get_by_role("link", name="Rejoindre l’événement en ligne")
        assert online.get_attribute("href") == "https://visio.example.org/r"
        page.get_by_role("button", name="Annuler mon inscription").click()
        page.wait_for_url("**/agenda/atelier-essai/inscription/annulee/")
        assert page.get_by_role("heading", level=1).inner_text() == "Inscription annulée"
    finally:
        context.close()


def _registration_delete(email: str, *, keep: bool = False) -> str:
    """The token of the registration made by a test (deleted unless `keep`)."""
    from network.models import Registration

    registration = Registration.objects.get(email=email)
    if not keep:
        registration.delete()
    return registration.token
