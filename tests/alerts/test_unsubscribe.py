"""Leaving: one click from every message (GET shows a button, POST unsubscribes, with
no CSRF token, as mail clients do), the page of one's alerts from a magic link asked
at /alertes/ (the same answer for any address), and the address deleted with its last
alert. No address is ever shown on a page."""

import pytest
from django.core import mail
from django.test import Client

from alerts.models import Alert, Subscriber
from alerts.services import alerts_purge
from tests.alerts.factories import AlertFactory, SubscriberFactory
from tests.resources.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_the_unsubscribe_link_asks_then_a_post_unsubscribes(client):
    alert = AlertFactory(confirmed=True, subscriber__email="camille@example.org")
    other = AlertFactory(confirmed=True, subscriber=alert.subscriber, query="type=guide")
    url = f"/alertes/desabonnement/{alert.token}/"
    page = client.get(url)
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    assert "Me désabonner" in page.content.decode()
    assert Alert.objects.filter(pk=alert.pk).exists()  # opening the link changes nothing

    assert client.post(url).status_code == 200
    assert not Alert.objects.filter(pk=alert.pk).exists()
    assert Subscriber.objects.filter(pk=alert.subscriber_id).exists()  # one alert left
    client.post(f"/alertes/desabonnement/{other.token}/")
    assert not Subscriber.objects.exists()  # the address went with its last alert


def test_the_one_click_post_of_a_mail_client_needs_no_csrf_token(csrf_client):
    alert = AlertFactory(confirmed=True)
    response = csrf_client.post(
        f"/alertes/desabonnement/{alert.token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Désabonnement effectué" in response.content.decode()
    assert not Alert.objects.exists() and not Subscriber.objects.exists()
    again = csrf_client.post(f"/alertes/desabonnement/{alert.token}/", {})
    assert again.status_code == 200  # a second click (or a retry) is no error
    assert Client().get(f"/alertes/desabonnement/{alert.token}/").status_code == 404


def test_the_other_forms_still_need_their_csrf_token(csrf_client):
    alert = AlertFactory()
    assert csrf_client.post(f"/alertes/confirmer/{alert.token}/").status_code == 403
    assert (
        csrf_client.post(f"/alertes/{alert.subscriber.token}/", {"alerte": alert.pk}).status_code
        == 403
    )
    assert csrf_client.post("/alertes/agenda/", {}).status_code == 403


def test_the_link_to_ones_alerts_is_sent_with_the_same_answer_for_any_address(client):
    subscriber = SubscriberFactory(email="camille@example.org")
    AlertFactory(confirmed=True, subscriber=subscriber)
    known = client.post("/alertes/", {"email": "Camille@example.org"})
    unknown = client.post("/alertes/", {"email": "personne@example.org"})
    assert known.status_code == unknown.status_code == 303
    assert known["Location"] == unknown["Location"] == "/alertes/lien-envoye/"
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    assert f"http://testserver/alertes/{subscriber.token}/" in message.body
    page = client.get("/alertes/lien-envoye/").content.decode()
    assert "Si des alertes existent pour cette adresse" in page


def test_the_link_form_errors_are_in_french(client):
    response = client.post("/alertes/", {"email": "pas-une-adresse"})
    assert response.status_code == 400
    assert "Cette adresse e-mail n’est pas valide" in response.content.decode()
    assert 'value="pas-une-adresse"' in response.content.decode()
    assert not mail.outbox


def test_the_page_of_ones_alerts_cancels_one_then_the_last_with_the_address(client):
    theme = ThemeFactory(name="Évaluation", slug="evaluation")
    subscriber = SubscriberFactory(email="camille@example.org")
    first = AlertFactory(confirmed=True, subscriber=subscriber, query="q=alliance")
    AlertFactory(confirmed=True, subscriber=subscriber, kind="theme", theme=theme)
    url = f"/alertes/{subscriber.token}/"
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    assert "Recherche\u00a0: «\u00a0alliance\u00a0»" in text and "Thème\u00a0: Évaluation" in text
    assert "camille@example.org" not in text

    assert client.post(url, {"alerte": first.pk})["Location"] == url
    assert client.post(url, {"alerte": "x"})["Location"] == url  # nonsense: nothing happens
    assert subscriber.alerts.count() == 1
    last = subscriber.alerts.get()
    assert client.post(url, {"alerte": last.pk})["Location"] == "/alertes/supprimees/"
    assert not Subscriber.objects.exists() and not Alert.objects.exists()
    assert client.get(url).status_code == 404
    assert "votre adresse e-mail est effacée" in client.get("/alertes/supprimees/").content.decode()


def test_cancelling_all_deletes_the_address(client):
    alert = AlertFactory(confirmed=True)
    AlertFactory(subscriber=alert.subscriber, agenda=True)
    response = client.post(f"/alertes/{alert.subscriber.token}/", {"action": "tout-annuler"})
    assert response["Location"] == "/alertes/supprimees/"
    assert not Subscriber.objects.exists() and not Alert.objects.exists()


def test_unconfirmed_alerts_and_orphan_addresses_are_purged():
    from datetime import timedelta

    from django.utils import timezone

    old = AlertFactory()
    Alert.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    kept = AlertFactory()
    confirmed = AlertFactory(confirmed=True)
    Alert.objects.filter(pk=confirmed.pk).update(created_at=timezone.now() - timedelta(days=30))
    theme = ThemeFactory(slug="supprime")
    gone_with_theme = AlertFactory(confirmed=True, kind="theme", theme=theme)
    theme.delete()
    assert alerts_purge() == 3  # the old request, its address, the theme's orphan address
    assert set(Alert.objects.values_list("pk", flat=True)) == {kept.pk, confirmed.pk}
    assert not Subscriber.objects.filter(pk=gone_with_theme.subscriber_id).exists()


def test_no_page_shows_an_address(client):
    alert = AlertFactory(subscriber__email="camille@example.org")
    pages = [
        f"/alertes/confirmer/{alert.token}/",
        f"/alertes/desabonnement/{alert.token}/",
        f"/alertes/{alert.subscriber.token}/",
        "/alertes/", "/alertes/lien-envoye/", "/alertes/demande-envoyee/", "/alertes/agenda/",
        "/alertes/recherche/?q=camille", "/alertes/supprimees/",
    ]  # fmt: skip
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "camille@example.org" not in response.content.decode(), path
    response = client.post("/alertes/agenda/", {"email": "camille@example.org"})  # errors
    assert response.status_code == 400
    # Only the field's value, typed by the visitor, holds it; no other text does.
    assert response.content.decode().count("camille@example.org") == 1


def test_the_pages_of_ones_alerts_read_a_constant_number_of_queries(
    client, django_assert_num_queries
):
    subscriber = SubscriberFactory()

    def count():
        with django_assert_num_queries(3) as captured:
            assert client.get(f"/alertes/{subscriber.token}/").status_code == 200
        return len(captured)

    AlertFactory(confirmed=True, subscriber=subscriber, query="type=guide")
    client.get(f"/alertes/{subscriber.token}/")  # the library index is built
    small = count()
    for n in range(6):
        AlertFactory(confirmed=True, subscriber=subscriber, query=f"type=guide&annee={2000 + n}")
    AlertFactory(confirmed=True, subscriber=subscriber, agenda=True)
    assert count() == small


def test_a_cancellation_after_the_address_went_is_no_error():
    from alerts.services import alert_cancel

    alert = AlertFactory(confirmed=True)
    Subscriber.objects.all().delete()  # "cancel all" in another tab, meanwhile
    assert alert_cancel(alert=alert) is True
