"""« M'alerter » from a search, a theme and the agenda: a form with consent, honeypot,
rate limit and French errors; a confirmation e-mail (double opt-in) and nothing else
before the person confirms."""

from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import override_settings

from alerts.enums import AlertKind, Frequency
from alerts.models import Alert, Subscriber
from tests.alerts.factories import AlertFactory
from tests.network.factories import EventFactory
from tests.resources.factories import ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

FORM = {"email": "Camille@Example.org", "frequency": "hebdomadaire", "consent": "on"}


def link_in(message, part: str) -> str:
    line = next(line for line in message.body.splitlines() if part in line)
    return line.strip().removeprefix("http://testserver")


@pytest.fixture
def theme():
    return ThemeFactory(name="Évaluation", slug="evaluation")


def test_the_catalogue_offers_an_alert_on_its_exact_search(client, theme):
    ResourceFactory(title="Guide de l’évaluation", themes=[theme])
    page = client.get("/ressources/?q=évaluation&theme=evaluation&tri=titre&page=1").content
    assert (
        b'href="/alertes/recherche/?q=%C3%A9valuation&amp;theme=evaluation&amp;tri=titre"' in page
    )
    form = client.get("/alertes/recherche/?theme=evaluation&q=évaluation&tri=titre&inconnu=1")
    text = form.content.decode()
    assert form.status_code == 200
    assert "Recherche\u00a0: «\u00a0évaluation\u00a0»" in text and "Thème\u00a0: Évaluation" in text


def test_a_search_alert_is_kept_normalised_and_confirmed_by_a_post(client, theme):
    url = "/alertes/recherche/?" + urlencode(
        [("theme", "evaluation"), ("q", " évaluation "), ("type", "guide"), ("type", "etude"),
         ("tri", "titre"), ("page", "3"), ("inconnu", "x")]
    )  # fmt: skip
    response = client.post(url, FORM)
    assert response.status_code == 303 and response["Location"] == "/alertes/demande-envoyee/"
    assert "Vérifiez vos e-mails" in client.get(response["Location"]).content.decode()
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.SEARCH
    assert alert.query == "q=%C3%A9valuation&theme=evaluation&type=etude&type=guide"
    assert alert.subscriber.email == "camille@example.org"
    assert alert.confirmed_at is None and alert.due_at is None

    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    link = link_in(message, "/alertes/confirmer/")
    assert link == f"/alertes/confirmer/{alert.token}/"
    opened = client.get(link)  # a mail scanner opening the link confirms nothing
    assert opened.status_code == 200 and opened["X-Robots-Tag"] == "noindex"
    assert "Confirmer mon alerte" in opened.content.decode()
    alert.refresh_from_db()
    assert alert.confirmed_at is None

    assert client.post(link).status_code == 303
    alert.refresh_from_db()
    assert alert.confirmed_at is not None and alert.due_at > alert.confirmed_at
    assert alert.subscriber.confirmed_at is not None
    assert "Votre alerte est confirmée" in client.get(link).content.decode()
    assert len(mail.outbox) == 1  # nothing but the confirmation


def test_the_same_search_twice_is_one_alert(client):
    client.post("/alertes/recherche/?type=guide&type=etude", FORM)
    client.post("/alertes/recherche/?type=etude&type=guide&tri=recent", FORM)
    assert Alert.objects.count() == 1 and Subscriber.objects.count() == 1
    assert len(mail.outbox) == 2  # the confirmation sent again


def test_an_alert_already_confirmed_sends_the_link_of_ones_alerts(client):
    alert = AlertFactory(confirmed=True, subscriber__email="camille@example.org", query="")
    assert client.post("/alertes/recherche/", FORM).status_code == 303
    (message,) = mail.outbox
    assert link_in(message, "/alertes/") == f"/alertes/{alert.subscriber.token}/"
    assert Alert.objects.count() == 1


def test_a_theme_offers_its_alert_on_the_resources_page(client, theme):
    resource = ResourceFactory(slug="guide", themes=[theme])
    page = client.get(f"/ressources/{resource.slug}/").content.decode()
    assert 'href="/alertes/theme/evaluation/"' in page
    assert "M’alerter des nouveautés du thème «&nbsp;Évaluation&nbsp;»" in page
    assert client.post("/alertes/theme/evaluation/", FORM | {"frequency": "quotidienne"})[
        "Location"
    ] == ("/alertes/demande-envoyee/")
    alert = Alert.objects.get()
    assert (alert.kind, alert.theme, alert.frequency) == (AlertKind.THEME, theme, Frequency.DAILY)
    assert client.get("/alertes/theme/inconnu/").status_code == 404


def test_the_agenda_offers_an_alert_with_its_type(client):
    EventFactory()
    page = client.get("/agenda/?type=webinaire").content.decode()
    assert 'href="/alertes/agenda/?type=webinaire"' in page
    assert client.get("/alertes/agenda/?type=webinaire").status_code == 200
    client.post("/alertes/agenda/?type=webinaire", FORM)
    client.post("/alertes/agenda/?type=inconnu", FORM | {"email": "autre@example.org"})
    assert sorted(Alert.objects.values_list("kind", "query")) == [
        (AlertKind.AGENDA, ""),
        (AlertKind.AGENDA, "type=webinaire"),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": ""}, "Indiquez l’adresse e-mail où recevoir l’alerte."),
        ({"email": "camille@"}, "Cette adresse e-mail n’est pas valide"),
        ({"consent": ""}, "Cochez cette case pour recevoir l’alerte."),
        ({"frequency": "mensuelle"}, "Choisissez «\u00a0Chaque semaine\u00a0»"),
        ({"frequency": ""}, "Choisissez une fréquence."),
    ],
)
def test_form_errors_are_in_french_and_keep_what_was_typed(client, data, message):
    response = client.post("/alertes/agenda/", FORM | data)
    text = response.content.decode()
    assert response.status_code == 400
    assert message in text and "point à corriger" in text
    assert text.count('aria-invalid="true"') <= 1
    if data.get("email", FORM["email"]):
        assert f'value="{(FORM | data)["email"]}"' in text
    assert not Alert.objects.exists() and not mail.outbox


def test_the_honeypot_stores_and_sends_nothing(client):
    response = client.post("/alertes/agenda/", FORM | {"reference": "http://spam.example"})
    assert response.status_code == 303 and response["Location"] == "/alertes/demande-envoyee/"
    assert not Subscriber.objects.exists() and not mail.outbox


@override_settings(DIAGNOSTIC_EMAILS_PER_HOUR="2")
def test_requests_are_rate_limited_per_client(client):
    for n in range(2):
        assert (
            client.post("/alertes/agenda/", FORM | {"email": f"a{n}@example.org"}).status_code
            == 303
        )
    response = client.post("/alertes/agenda/", FORM | {"email": "a3@example.org"})
    assert response.status_code == 429
    assert Subscriber.objects.count() == 2


def test_the_form_page_reads_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for n in range(5):
        ResourceFactory(themes=[ThemeFactory(slug=f"t{n}")])
    client.get("/alertes/recherche/?theme=t1")  # the library index is built
    with django_assert_max_num_queries(3):
        assert client.get("/alertes/recherche/?theme=t1&theme=t2&q=mot").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/alertes/agenda/?type=webinaire").status_code == 200
