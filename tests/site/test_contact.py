"""The team's contact address on the legal pages, the /contact/ form that e-mails it, and
the deployment check that keeps placeholders off the legal pages in production."""

import re
import socket
from html import unescape

import pytest
from django.core.checks import run_checks

from rameau_site.checks import legal_pages_check
from tests.site.text import visible_text

MESSAGE = "Bonjour, je cherche un guide pour lancer un dialogue territorial."


def page_title(response) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1])


def send(client, **fields):
    data = {"name": "Camille Martin", "email": "camille@example.org", "message": MESSAGE}
    return client.post("/contact/", data | fields)


@pytest.mark.parametrize(
    "path", ["/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"]
)
def test_legal_pages_show_the_contact_address_and_the_form(client, db, settings, path):
    settings.SITE_CONTACT_EMAIL = "equipe@exemple.fr"
    html = client.get(path).content.decode()

    assert '<a href="mailto:equipe@exemple.fr">equipe@exemple.fr</a>' in html
    assert '<a href="/contact/">formulaire de contact</a>' in html


def test_a_message_is_emailed_to_the_team_who_can_reply(client, db, settings, mailoutbox):
    settings.SITE_CONTACT_EMAIL = "equipe@exemple.fr"
    sent = send(client)

    assert sent.status_code == 303 and sent["Location"] == "/contact/"
    assert "Votre message a été envoyé" in client.get("/contact/").content.decode()
    [mail] = mailoutbox
    assert mail.to == ["equipe@exemple.fr"] and mail.reply_to == ["camille@example.org"]
    assert MESSAGE in mail.body and "Camille Martin" in mail.subject


def test_errors_are_in_french_and_keep_what_was_written(client, db, mailoutbox):
    response = send(client, email="pas-une-adresse", message="")

    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "2 points à corriger" in text
    assert "Cette adresse e-mail n’est pas valide" in text
    assert "Écrivez votre message." in text
    assert 'value="Camille Martin"' in response.content.decode()
    assert not mailoutbox


def test_the_title_says_erreur_when_the_form_has_errors(client, db):
    assert page_title(client.get("/contact/")).startswith("Contact — ")
    assert page_title(send(client, message="")).startswith("Erreur\u00a0: Contact — ")


def test_a_robot_filling_the_hidden_field_is_thanked_and_ignored(client, db, mailoutbox):
    sent = send(client, reference="https://spam.example")

    assert sent.status_code == 303
    assert not mailoutbox


def test_a_refused_smtp_connection_keeps_the_text_with_a_french_message(
    client, db, settings, caplog
):
    with socket.socket() as probe:  # a local port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    response = send(client)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Votre message n’a pas pu être envoyé" in visible_text(html)
    assert page_title(response).startswith("Erreur\u00a0: Contact")
    assert f">{MESSAGE}</textarea>" in html
    assert any(
        record.levelname == "ERROR" and "formulaire de contact" in record.getMessage()
        for record in caplog.records
    )


def test_the_form_is_rate_limited_with_a_french_429(client, db, settings, mailoutbox):
    settings.CONTACT_MESSAGES_PER_HOUR = "2"
    assert send(client).status_code == 303
    assert send(client).status_code == 303
    blocked = send(client)

    assert blocked.status_code == 429
    assert "Trop de demandes" in blocked.content.decode()
    assert len(mailoutbox) == 2


def test_production_without_publisher_or_contact_warns_at_deploy_check(settings):
    settings.DEBUG = False
    settings.SITE_PUBLISHER, settings.SITE_CONTACT_EMAIL = "", ""
    warnings = run_checks(include_deployment_checks=True)
    assert {"rameau_site.W001", "rameau_site.W002"} <= {w.id for w in warnings}

    settings.SITE_PUBLISHER = "Association Exemple, Paris"
    settings.SITE_CONTACT_EMAIL = "equipe@exemple.fr"
    assert legal_pages_check(None) == []


def test_the_test_settings_name_a_publisher_and_a_contact(settings):
    # tests/environment.py sets both, as production must: the suite sees no placeholder.
    assert settings.SITE_PUBLISHER and settings.SITE_CONTACT_EMAIL
    assert "démonstration" not in settings.SITE_PUBLISHER
