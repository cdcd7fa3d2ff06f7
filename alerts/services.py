"""Asking for an alert, confirming it from the e-mailed link, cancelling it. Nothing is
sent to an address before its owner confirms; the address is deleted with its last
alert."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from alerts.enums import PERIODS, AlertKind
from alerts.models import Alert, Subscriber
from network.models import Event
from rameau_site.mail import mail_enqueue
from resources.models import Theme

UNCONFIRMED_DAYS = 7  # an alert not confirmed within this many days is deleted


def absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path


@transaction.atomic
def alert_request(
    *,
    email: str,
    kind: AlertKind,
    frequency: str,
    site_url: str,
    query: str = "",
    theme: Theme | None = None,
) -> None:
    """An alert to confirm and the e-mail with its link; for an alert already
    confirmed, an e-mail with the link of the page of one's alerts instead. The
    visitor sees the same answer either way."""
    subscriber, _created = Subscriber.objects.update_or_create(
        email=email.strip().lower(), defaults={"site_url": site_url}
    )
    alert, created = Alert.objects.get_or_create(
        subscriber=subscriber, kind=kind, query=query, theme=theme,
        defaults={"frequency": frequency},
    )  # fmt: skip
    if alert.confirmed_at is None and not created and alert.frequency != frequency:
        alert.frequency = frequency
        alert.save(update_fields=["frequency"])
    context = {
        "alert": alert,
        "confirm_url": absolute(site_url, alert.get_absolute_url()),
        "manage_url": absolute(site_url, subscriber.get_absolute_url()),
    }
    if alert.confirmed_at is None:
        subject = "Confirmez votre alerte"
        body = render_to_string("alerts/email/confirm.txt", context)
    else:
        subject = "Votre alerte existe déjà"
        body = render_to_string("alerts/email/already.txt", context)
    mail_enqueue(subject, body, None, [subscriber.email])


def latest_event_id() -> int:
    return Event.objects.aggregate(last=Max("pk"))["last"] or 0


@transaction.atomic
def alert_confirm(*, alert: Alert) -> None:
    """From now on, what is new is sent at the chosen frequency."""
    if alert.confirmed_at is not None:
        return
    now = timezone.now()
    alert.confirmed_at = alert.last_sent_at = now
    alert.last_event_id = latest_event_id()
    alert.due_at = now + PERIODS[alert.frequency]
    alert.save(update_fields=["confirmed_at", "last_sent_at", "last_event_id", "due_at"])
    Subscriber.objects.filter(pk=alert.subscriber_id, confirmed_at__isnull=True).update(
        confirmed_at=now
    )


@transaction.atomic
def alert_cancel(*, alert: Alert) -> bool:
    """Delete the alert, and the address with it when it was the last one (the
    subscriber's row is locked: two cancellations at once leave no address behind).
    True when the address is gone."""
    subscriber = Subscriber.objects.select_for_update().filter(pk=alert.subscriber_id).first()
    if subscriber is None:  # gone meanwhile (a second click, "cancel all" in another tab)
        return True
    Alert.objects.filter(pk=alert.pk).delete()
    if not subscriber.alerts.exists():
        subscriber.delete()
        return True
    return False


@transaction.atomic
def subscriber_cancel_all(*, subscriber: Subscriber) -> None:
    subscriber.delete()  # its alerts with it (CASCADE)


def manage_link_send(*, email: str, site_url: str) -> None:
    """The link of the page of one's alerts, e-mailed if the address has any; the
    visitor is told the same thing whether it has or not."""
    subscriber = Subscriber.objects.filter(email=email.strip().lower()).first()
    if subscriber is None:
        return
    url = absolute(site_url, subscriber.get_absolute_url())
    body = render_to_string("alerts/email/manage.txt", {"manage_url": url})
    mail_enqueue("Vos alertes", body, None, [subscriber.email])


def alerts_purge(*, now=None) -> int:
    """Alerts never confirmed after UNCONFIRMED_DAYS, and addresses left without any
    alert (a theme deleted takes its alerts with it)."""
    now = now or timezone.now()
    limit = now - timedelta(days=UNCONFIRMED_DAYS)
    deleted = Alert.objects.filter(confirmed_at__isnull=True, created_at__lt=limit).delete()[0]
    orphans = Subscriber.objects.filter(alerts__isnull=True).delete()[0]
    return deleted + orphans
