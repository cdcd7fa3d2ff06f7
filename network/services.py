"""Registration for an event on this site: requested with a form, confirmed from the
e-mailed link while places remain (counted under a lock on the event), cancelled by
deleting it."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from network.dates import when_label
from network.enums import RegistrationStatus
from network.models import Event, Registration
from rameau_site.mail import mail_enqueue

RETENTION_DAYS = 30  # registrations are deleted this long after their event


@transaction.atomic
def registration_request(
    *, event: Event, name: str, email: str, organisation: str, link_for
) -> Registration:
    """A pending registration (or the existing one for this address, left as it is)
    and the e-mail with its link; `link_for(registration)` gives the absolute URL."""
    registration, _created = Registration.objects.get_or_create(
        event=event, email=email, defaults={"name": name, "organisation": organisation}
    )
    mail_enqueue(
        f"Votre inscription : {event.title}",
        f"Bonjour,\n\nPour confirmer votre inscription à « {event.title} » "
        f"({when_label(event.starts_at, event.ends_at)}), ouvrez ce lien :\n\n"
        f"{link_for(registration)}\n\nLe même lien permet de l’annuler. Sans confirmation, "
        "aucune place ne vous est réservée.\n\nSi vous n’avez rien demandé, ignorez cet e-mail.",
        None,
        [email],
    )
    return registration


def places_left(event: Event) -> int:
    taken = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max((event.capacity or 0) - taken, 0)


@transaction.atomic
def registration_confirm(*, registration: Registration) -> bool:
    """Confirm while a place remains; False when the event is full. The event row is
    locked, so two confirmations of the last place give it to one of them only."""
    if registration.status == RegistrationStatus.CONFIRMED:
        return True
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    if not event.registers_here or places_left(event) <= 0:
        return False
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at"])
    return True


def registration_cancel(*, registration: Registration) -> None:
    """The registration and the personal data in it are deleted at once."""
    registration.delete()


def registrations_purge() -> int:
    """Registrations of events over for more than RETENTION_DAYS, deleted."""
    limit = timezone.now() - timedelta(days=RETENTION_DAYS)
    return Registration.objects.filter(event__ends_at__lt=limit).delete()[0]
