"""The e-mails to an event's registrants once they confirmed: their place (at once or
from the waiting list), their rank on the waiting list, the reminder the day before,
and the messages staff write to them. The worker writes each one when it sends it:
the job holds the registration's id and the kind of message, never the address, and
a registration cancelled in between gets nothing.

A confirmed place comes with the event as an .ics attachment, the connection link of
an online event (given to confirmed registrants only, never on the public page) and
the link to cancel."""

from datetime import UTC

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app

from network import ics
from network.dates import when_label
from network.enums import RegistrationStatus
from network.models import Registration
from rameau_site.logs import with_request_id
from rameau_site.mail import MAIL_RETRY


class MailKind(models.TextChoices):
    CONFIRMED = "confirmee", "Inscription confirmée"
    PROMOTED = "promue", "Place libérée"
    WAITING = "attente", "Liste d’attente"
    REMINDER = "rappel", "Rappel"
    MESSAGE = "message", "Message de l’équipe"


# The status a registration must still have for its e-mail to be sent.
STATUS_FOR = {
    MailKind.CONFIRMED: {RegistrationStatus.CONFIRMED},
    MailKind.PROMOTED: {RegistrationStatus.CONFIRMED},
    MailKind.REMINDER: {RegistrationStatus.CONFIRMED},
    MailKind.WAITING: {RegistrationStatus.WAITING},
    MailKind.MESSAGE: {RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING},
}


@app.task(name="registration_mail", queue="mail", retry=MAIL_RETRY)
def registration_mail(
    *, registration_id: int, kind: str, subject: str = "", body: str = ""
) -> bool:
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.status not in STATUS_FOR[kind]:
        return False  # cancelled, or its status changed since: this message is stale
    registration_message(registration, MailKind(kind), subject=subject, body=body).send()
    return True


def registration_mail_enqueue(registration_id: int, kind: MailKind, **text: str) -> None:
    """Queued in the caller's transaction: it goes only if that transaction commits."""
    arguments = {"registration_id": registration_id, "kind": str(kind), **text}
    if settings.TASKS_IMMEDIATE:
        registration_mail(**arguments)
    else:
        registration_mail.defer(**with_request_id(arguments))  # the worker's lines repeat it


def absolute(registration: Registration, path: str) -> str:
    return registration.site_url.rstrip("/") + path


def calendar_attachment(registration: Registration) -> tuple[str, str, str]:
    """The event as the public .ics gives it (same UID), plus its connection link."""
    event = registration.event
    host = registration.site_url.split("//")[-1].split("/")[0].split(":")[0] or "localhost"
    entry = ics.event_entry(
        event,
        host=host,
        page_url=absolute(registration, event.get_absolute_url()),
        online_url=event.online_url if event.online else "",
    )
    text = ics.calendar([entry], name=event.title, stamp=timezone.now().astimezone(UTC))
    return (f"{event.slug}.ics", text, "text/calendar")


def registration_message(
    registration: Registration, kind: MailKind, *, subject: str = "", body: str = ""
) -> EmailMessage:
    event = registration.event
    title = f"« {event.title} »"
    when = when_label(event.starts_at, event.ends_at)
    link = absolute(registration, registration.get_absolute_url())
    cancel = absolute(registration, reverse("network:cancel", args=[registration.token]))
    facts = [f"Quand : {when}", f"Où : {'En ligne' if event.online else event.place}"]
    if event.online and event.place:
        facts[1] += f", et {event.place}"
    if event.online and event.online_url:
        facts.append(f"Lien de connexion : {event.online_url}")
    facts.append(f"Page de l’événement : {absolute(registration, event.get_absolute_url())}")
    place = (
        "\n".join(facts)
        + "\n\nL’événement est joint à ce message (fichier .ics), pour l’ajouter à votre "
        "calendrier."
        f"\n\nVotre inscription : {link}\nPour l’annuler et laisser votre place : {cancel}"
    )
    attachments = []
    if kind == MailKind.CONFIRMED:
        subject = f"Inscription confirmée : {event.title}"
        text = f"Votre inscription à {title} est confirmée : une place vous est réservée."
    elif kind == MailKind.PROMOTED:
        subject = f"Une place s’est libérée : {event.title}"
        text = (
            f"Une place s’est libérée à {title} : vous étiez sur la liste d’attente, votre "
            "inscription est maintenant confirmée."
        )
    elif kind == MailKind.REMINDER:
        subject = f"Rappel : {event.title}, demain"
        text = f"Un rappel : {title} a lieu demain."
        place = place.replace("Pour l’annuler et laisser", "Vous ne pouvez plus venir ? Laissez")
    elif kind == MailKind.WAITING:
        subject = f"Liste d’attente : {event.title}"
        text = (
            f"{title} ({when}) est complet : vous êtes sur la liste d’attente, en position "
            f"{registration.waiting_rank()}. Si une place se libère, votre inscription est "
            "confirmée d’elle-même, dans l’ordre de la liste, et un e-mail vous le dit."
        )
        place = f"Votre position à jour : {link}\nPour vous retirer de la liste : {cancel}"
    else:
        text = body.strip()
        place = (
            f"--\nVous recevez ce message parce que vous êtes inscrit ou inscrite à {title} "
            f"({when}).\nVotre inscription : {link}"
        )
    if kind in (MailKind.CONFIRMED, MailKind.PROMOTED, MailKind.REMINDER):
        attachments.append(calendar_attachment(registration))
    message = EmailMessage(
        subject=subject,
        body=f"Bonjour {registration.name},\n\n{text}\n\n{place}\n",
        to=[registration.email],
    )
    for attachment in attachments:
        message.attach(*attachment)
    return message
