"""Registration on the site for an event with places: a form with consent and French
errors, a confirmation e-mail whose link confirms (by a POST) while places remain,
cancelling erases the registration, and registrations 30 days after their event go."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from network.enums import RegistrationStatus
from network.models import Registration
from network.services import registration_confirm, registrations_purge
from tests.network.factories import EventFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Camille Martin",
    "email": "camille@example.org",
    "organisation": "",
    "consent": "on",
}


@pytest.fixture
def event():
    return EventFactory(capacity=2, title="Atelier : évaluer ensemble")


def register(client, event, **fields):
    return client.post(f"/agenda/{event.slug}/inscription/", FORM | fields)


def link_in(message) -> str:
    return next(line for line in message.body.splitlines() if "/agenda/inscription/" in line)


def test_a_person_registers_confirms_from_the_email_and_cancels(client, event):
    page = client.get(f"/agenda/{event.slug}/").content.decode()
    assert "Il reste 2 places sur 2." in page and "M’inscrire" in page

    response = register(client, event)
    assert response.status_code == 303
    assert response["Location"] == f"/agenda/{event.slug}/inscription/envoyee/"
    assert "Vérifiez vos e-mails" in client.get(response["Location"]).content.decode()
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    link = link_in(mail.outbox[0]).removeprefix("http://testserver")
    assert link == f"/agenda/inscription/{registration.token}/"

    opened = client.get(link)  # a mail scanner opening the link confirms nothing
    assert opened.status_code == 200 and opened["X-Robots-Tag"] == "noindex"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
    assert client.post(link, {"action": "confirmer"}).status_code == 303
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert "Votre inscription est confirmée" in client.get(link).content.decode()
    assert "Il reste 1 place sur 2." in client.get(f"/agenda/{event.slug}/").content.decode()
    assert "camille@example.org" not in client.get(f"/agenda/{event.slug}/").content.decode()

    question = client.get(f"{link}annuler/")  # the e-mail's cancel link asks first
    assert question.status_code == 200 and Registration.objects.exists()
    cancelled = client.post(f"{link}annuler/")
    assert cancelled["Location"] == f"/agenda/{event.slug}/inscription/annulee/"
    assert not Registration.objects.exists()
    assert client.get(link).status_code == 404


def test_wrong_forms_get_french_errors_and_nothing_is_sent(client, event):
    response = register(client, event, email="pas-une-adresse", consent="", name="")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Cette adresse e-mail n’est pas valide" in text
    assert "Cochez cette case pour vous inscrire." in text
    assert "Ce champ est obligatoire." in text
    assert 'value="pas-une-adresse"' in text  # nothing typed is lost
    assert not mail.outbox and not Registration.objects.exists()


def test_beyond_the_places_a_confirmation_goes_on_the_waiting_list(client, event):
    for index in range(3):
        register(client, event, email=f"p{index}@example.org")
    first, second, third = Registration.objects.order_by("email")
    assert registration_confirm(registration=first) == RegistrationStatus.CONFIRMED
    assert registration_confirm(registration=second) == RegistrationStatus.CONFIRMED
    response = client.post(third.get_absolute_url(), {"action": "confirmer"})
    assert response.status_code == 303
    third.refresh_from_db()
    assert third.status == RegistrationStatus.WAITING
    text = client.get(third.get_absolute_url()).content.decode()
    assert "vous êtes sur la liste d’attente, en position 1." in text
    page = client.get(f"/agenda/{event.slug}/").content.decode()
    assert "L’événement est complet." in page and "M’inscrire sur la liste d’attente" in page


def test_registering_twice_keeps_one_registration(client, event):
    register(client, event)
    register(client, event, name="Autre nom")
    assert Registration.objects.get().name == "Camille Martin"
    assert len(mail.outbox) == 2  # the link is sent again


def test_no_form_where_the_organiser_registers_or_the_event_is_over(client):
    elsewhere = EventFactory(capacity=10, registration_url="https://inscription.example.org/")
    over = EventFactory(capacity=10, past=True)
    for event in (elsewhere, over, EventFactory()):
        assert "M’inscrire" not in client.get(f"/agenda/{event.slug}/").content.decode()
        assert register(client, event).status_code == 400
    assert not Registration.objects.exists()


def test_registrations_are_deleted_30_days_after_their_event(client):
    now = timezone.now()
    old = EventFactory(capacity=5, starts_at=now - timedelta(days=32))
    recent = EventFactory(capacity=5, starts_at=now - timedelta(days=20))
    for event in (old, recent):
        Registration.objects.create(event=event, name="A", email="a@example.org")
    assert registrations_purge() == 1
    assert list(Registration.objects.values_list("event", flat=True)) == [recent.pk]


def test_the_registration_link_answers_404_to_a_wrong_token(client):
    assert client.get("/agenda/inscription/faux/").status_code == 404
    assert client.post("/agenda/inscription/faux/").status_code == 404
    assert client.post("/agenda/inscription/faux/annuler/").status_code == 404


def test_administrators_see_the_registrants_and_editors_do_not(
    administrator_client, editor_client, event
):
    Registration.objects.create(event=event, name="Camille Martin", email="camille@example.org")
    url = f"/admin/network/event/{event.pk}/change/"
    assert "camille@example.org" in administrator_client.get(url).content.decode()
    page = editor_client.get(url)
    assert page.status_code == 200 and "camille@example.org" not in page.content.decode()


def test_the_purge_runs_every_day_from_the_task_queue():
    from procrastinate.contrib.django import app

    from network.tasks import registrations_purge_task

    app.perform_import_paths()
    schedule = {p.task.name: p.cron for p in app.periodic_registry.periodic_tasks.values()}
    assert schedule["registrations_purge"] == "45 1 * * *"
    event = EventFactory(capacity=5, starts_at=timezone.now() - timedelta(days=40))
    Registration.objects.create(event=event, name="A", email="a@example.org")
    assert registrations_purge_task(timestamp=0) == 1
