"""Beyond an event's places, confirming puts a registration on the waiting list, shown
to the person with their rank; a confirmed registrant who cancels from the e-mail's
link gives their place to the first one waiting, in the order they joined, told by
e-mail. The place's e-mail carries the event as .ics, the cancel link and, for an
online event, the connection link, which no public page shows."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from network.enums import RegistrationStatus
from network.models import Event, Registration
from network.services import registration_confirm, waiting_list_refill
from tests.network.factories import EventFactory

pytestmark = pytest.mark.django_db


def registrant(event, name: str) -> Registration:
    return Registration.objects.create(
        event=event,
        name=name,
        email=f"{name.lower()}@example.org",
        site_url="https://agenda.example.org/",
    )


def confirmed_by_link(client, registration) -> Registration:
    assert client.post(registration.get_absolute_url()).status_code == 303
    registration.refresh_from_db()
    return registration


def statuses(event) -> dict[str, str]:
    return dict(event.registrations.values_list("name", "status"))


def test_the_waiting_list_is_promoted_in_the_order_people_joined_it(client):
    event = EventFactory(capacity=1, title="Atelier : évaluer ensemble")
    ada, bea, cyr, dan = (registrant(event, n) for n in ("Ada", "Bea", "Cyr", "Dan"))
    for registration in (ada, bea, cyr, dan):
        confirmed_by_link(client, registration)
    assert statuses(event) == {"Ada": "confirmee", "Bea": "liste-d-attente",
                               "Cyr": "liste-d-attente", "Dan": "liste-d-attente"}  # fmt: skip
    assert [r.waiting_rank() for r in (ada, bea, cyr, dan)] == [None, 1, 2, 3]
    page = client.get(cyr.get_absolute_url()).content.decode()
    assert "vous êtes sur la liste d’attente, en position 2." in page
    waiting_mail = mail.outbox[2]
    assert waiting_mail.to == ["cyr@example.org"] and "en position 2" in waiting_mail.body
    assert "https://agenda.example.org/agenda/inscription/" in waiting_mail.body
    mail.outbox.clear()

    client.post(f"/agenda/inscription/{dan.token}/annuler/")  # one waiting leaves: no seat
    assert not mail.outbox and statuses(event)["Bea"] == "liste-d-attente"
    client.post(f"/agenda/inscription/{ada.token}/annuler/")  # the confirmed one leaves
    assert statuses(event) == {"Bea": "confirmee", "Cyr": "liste-d-attente"}
    (promotion,) = mail.outbox
    assert promotion.to == ["bea@example.org"]
    assert promotion.subject == "Une place s’est libérée : Atelier : évaluer ensemble"
    assert "votre inscription est maintenant confirmée" in promotion.body
    cyr.refresh_from_db()
    assert cyr.waiting_rank() == 1
    assert "en position 1." in client.get(cyr.get_absolute_url()).content.decode()

    client.post(f"/agenda/inscription/{bea.token}/annuler/")
    assert statuses(event) == {"Cyr": "confirmee"}
    assert mail.outbox[-1].to == ["cyr@example.org"]


def test_places_added_by_staff_go_to_those_waiting_before_newcomers(client):
    event = EventFactory(capacity=1)
    first, waiting, newcomer = (registrant(event, n) for n in ("Ada", "Bea", "Cyr"))
    confirmed_by_link(client, first)
    confirmed_by_link(client, waiting)
    event.capacity = 2
    event.save()
    assert registration_confirm(registration=newcomer) == RegistrationStatus.WAITING
    assert statuses(event) == {"Ada": "confirmee", "Bea": "confirmee", "Cyr": "liste-d-attente"}
    event.capacity = 3
    event.save()
    assert [r.name for r in waiting_list_refill(event=event)] == ["Cyr"]


def test_the_confirmation_carries_the_event_as_ics_the_cancel_link_and_the_online_link(client):
    event = EventFactory(webinar=True, capacity=5, title="Webinaire des pionniers")
    registration = registrant(event, "Ada")
    public = client.get(f"/agenda/{event.slug}/").content.decode()
    assert event.online_url not in public
    assert event.online_url not in client.get(registration.get_absolute_url()).content.decode()

    confirmed_by_link(client, registration)
    (message,) = mail.outbox
    assert message.subject == "Inscription confirmée : Webinaire des pionniers"
    assert f"Lien de connexion : {event.online_url}" in message.body
    cancel = f"https://agenda.example.org/agenda/inscription/{registration.token}/annuler/"
    assert cancel in message.body
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == (f"{event.slug}.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Webinaire des pionniers"
    assert vevent["DTSTART"].dt == event.starts_at.replace(microsecond=0)
    assert str(vevent["UID"]) == f"evenement-{event.pk}@agenda.example.org"
    assert event.online_url in str(vevent["LOCATION"])

    page = client.get(registration.get_absolute_url()).content.decode()
    assert f'href="{event.online_url}"' in page  # revealed to the confirmed registrant
    assert event.online_url not in client.get(f"/agenda/{event.slug}/").content.decode()


def test_a_waiting_registrant_does_not_get_the_online_link(client):
    event = EventFactory(webinar=True, capacity=1)
    first, second = registrant(event, "Ada"), registrant(event, "Bea")
    confirmed_by_link(client, first)
    confirmed_by_link(client, second)
    waiting_mail = mail.outbox[-1]
    assert event.online_url not in waiting_mail.body and not waiting_mail.attachments
    assert event.online_url not in client.get(second.get_absolute_url()).content.decode()


def test_a_stale_email_is_not_sent_to_a_registration_cancelled_since():
    from network.registration_mails import MailKind, registration_mail

    event = EventFactory(capacity=1)
    registration = registrant(event, "Ada")
    assert registration_mail(registration_id=registration.pk, kind=MailKind.CONFIRMED) is False
    registration.delete()
    assert registration_mail(registration_id=registration.pk, kind=MailKind.MESSAGE) is False
    assert not mail.outbox


def test_an_event_over_or_moved_to_the_organisers_site_takes_no_confirmation(client):
    event = EventFactory(capacity=5, starts_at=timezone.now() + timedelta(days=3))
    registration = registrant(event, "Ada")
    event.registration_url = "https://inscription.example.org/"
    event.save()
    response = client.post(registration.get_absolute_url())
    assert response.status_code == 409
    assert "ne prend plus d’inscription" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_the_privacy_page_says_what_a_registration_and_the_waiting_list_keep(client):
    page = client.get("/donnees-personnelles/").content.decode()
    assert "sur liste d’attente" in page and "l’envoi du rappel la veille" in page
    assert "confirmée ou sur liste d’attente, est effacée dès que vous l’annulez" in page


def test_after_the_registration_deadline_nobody_registers_nor_confirms(client):
    now = timezone.now()
    event = EventFactory(capacity=5, registration_closes_at=now + timedelta(days=1))
    page = client.get(f"/agenda/{event.slug}/").content.decode()
    assert "Inscriptions ouvertes jusqu’au" in page and "M’inscrire" in page
    pending = registrant(event, "Ada")
    Event.objects.filter(pk=event.pk).update(registration_closes_at=now - timedelta(hours=1))
    page = client.get(f"/agenda/{event.slug}/").content.decode()
    assert "Les inscriptions sont closes depuis le" in page and "M’inscrire" not in page
    form = {"name": "Bea", "email": "bea@example.org", "consent": "on"}
    assert client.post(f"/agenda/{event.slug}/inscription/", form).status_code == 400
    assert client.post(pending.get_absolute_url()).status_code == 409
    assert statuses(event) == {"Ada": "a-confirmer"}
