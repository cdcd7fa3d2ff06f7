"""The alerts' pages in Chromium: axe on every page and state (form errors included),
320 px, an alert asked with the keyboard only, and the whole path without JavaScript."""

import pytest

ALERT_TOKEN = "A" * 43
CONFIRMED_TOKEN = "C" * 43
SUBSCRIBER_TOKEN = "S" * 43


@pytest.fixture(scope="module")
def alerts(committed):
    from datetime import timedelta

    from django.utils import timezone

    from alerts.models import Alert, Subscriber
    from tests.network.factories import EventFactory
    from tests.resources.factories import ResourceFactory, ThemeFactory

    theme = ThemeFactory(name="Évaluation partenariale", slug="evaluation-partenariale")
    ResourceFactory(title="Guide de l’évaluation partenariale", slug="guide-eval", themes=[theme])
    EventFactory(title="Webinaire des pionniers", slug="webinaire-alertes", webinar=True)
    subscriber = Subscriber.objects.create(
        email="camille@example.org", token=SUBSCRIBER_TOKEN, site_url="http://localhost/"
    )
    Alert.objects.create(
        subscriber=subscriber, kind="recherche", token=ALERT_TOKEN,
        query="q=%C3%A9valuation+des+partenariats+territoriaux&theme=evaluation-partenariale&type=guide",
    )  # fmt: skip
    now = timezone.now()
    Alert.objects.create(
        subscriber=subscriber, kind="agenda", query="type=webinaire", token=CONFIRMED_TOKEN,
        confirmed_at=now, last_sent_at=now, due_at=now + timedelta(days=7),
    )  # fmt: skip
    yield
    Subscriber.objects.all().delete()


PAGES = [
    "/alertes/",
    "/alertes/lien-envoye/",
    "/alertes/recherche/?q=évaluation des partenariats&theme=evaluation-partenariale&type=guide",
    "/alertes/recherche/",
    "/alertes/theme/evaluation-partenariale/",
    "/alertes/agenda/",
    "/alertes/agenda/?type=webinaire",
    "/alertes/reseau/?region=84&metier=dialogue-territorial",
    "/alertes/demande-envoyee/",
    f"/alertes/confirmer/{ALERT_TOKEN}/",  # to confirm
    f"/alertes/confirmer/{CONFIRMED_TOKEN}/",  # confirmed
    f"/alertes/desabonnement/{CONFIRMED_TOKEN}/",
    f"/alertes/{SUBSCRIBER_TOKEN}/",
    "/alertes/supprimees/",
]


@pytest.mark.parametrize("path", PAGES)
def test_alert_pages_are_accessible(page, assert_accessible, alerts, path):
    assert page.goto(path).status == 200
    assert_accessible(page)


@pytest.mark.parametrize("path", PAGES)
def test_alert_pages_fit_narrow_screens(assert_fits_narrow_screens, alerts, path):
    assert_fits_narrow_screens(path)


def test_the_form_errors_and_the_unsubscribed_page_are_accessible(
    page, new_page, assert_accessible, alerts
):
    page.goto("/alertes/theme/evaluation-partenariale/")
    page.get_by_label("Votre adresse e-mail").fill("camille@")
    page.get_by_role("button", name="M’alerter").click()
    page.wait_for_selector(".error-summary")
    summary = page.locator(".error-summary").inner_text()
    assert "2 points à corriger" in summary and "n’est pas valide" in summary
    assert "Cochez cette case" in summary
    assert page.get_by_label("Votre adresse e-mail").input_value() == "camille@"
    assert_accessible(page)

    page.goto("/alertes/")
    page.get_by_role("button", name="Recevoir le lien").click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page)

    narrow = new_page(viewport={"width": 320, "height": 640})
    narrow.goto("/alertes/theme/evaluation-partenariale/")
    narrow.get_by_role("button", name="M’alerter").click()
    narrow.wait_for_selector(".error-summary")
    assert narrow.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_an_alert_is_asked_with_the_keyboard_only(page, alerts):
    from alerts.models import Alert
    from tests.browser.test_kit_pages import tab_to

    page.goto("/agenda/")
    tab_to(page, "M’alerter par e-mail des nouveaux événements")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/alertes/agenda/")
    tab_to(page, "#id_email")
    page.keyboard.type("dominique@example.org")
    tab_to(page, "#id_frequency_0")
    page.keyboard.press("ArrowDown")  # « Chaque jour »
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "M’alerter")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/alertes/demande-envoyee/")
    alert = Alert.objects.get(subscriber__email="dominique@example.org")
    assert (alert.kind, alert.frequency, alert.confirmed_at) == ("agenda", "quotidienne", None)


def test_alerts_work_without_javascript(browser, site_server, alerts):
    from alerts.models import Alert

    context = browser.new_context(
        base_url=site_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/ressources/?q=évaluation&tri=titre")
        page.get_by_role(
            "link", name="M’alerter par e-mail des nouveautés de cette recherche"
        ).click()
        page.wait_for_url("**/alertes/recherche/?q=*")
        page.get_by_label("Votre adresse e-mail").fill("sans-js@example.org")
        page.get_by_role("button", name="M’alerter").click()
        page.wait_for_selector(".error-summary")  # the consent is missing
        page.get_by_label("J’accepte").check()
        page.get_by_role("button", name="M’alerter").click()
        page.wait_for_url("**/alertes/demande-envoyee/")
        alert = Alert.objects.get(subscriber__email="sans-js@example.org")
        assert alert.query == "q=%C3%A9valuation"

        page.goto(f"/alertes/confirmer/{alert.token}/")
        page.get_by_role("button", name="Confirmer mon alerte").click()
        page.wait_for_selector("text=Votre alerte est confirmée")
        page.goto(f"/alertes/desabonnement/{alert.token}/")
        page.get_by_role("button", name="Me désabonner").click()
        page.wait_for_selector("h1:has-text('Désabonnement effectué')")
        assert not Alert.objects.filter(pk=alert.pk).exists()

        page.goto(f"/alertes/{SUBSCRIBER_TOKEN}/")
        page.get_by_role("button", name="Annuler cette alerte n° 1").click()
        page.wait_for_url(f"**/alertes/{SUBSCRIBER_TOKEN}/")
        assert page.get_by_role("button", name="Annuler cette alerte n° 1").count() == 1
    finally:
        context.close()
