"""The day before an event, its confirmed registrants get a reminder, once: an hourly
periodic job marks each registration it reminds, and two workers running it at once
send one e-mail per person (committed rows, two threads)."""

import threading
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from network.enums import RegistrationStatus
from network.models import Event, Registration
from network.services import reminders_send
from tests.network.factories import EventFactory

PARIS = timezone.get_current_timezone()
NOW = datetime(2027, 3, 10, 9, 0, tzinfo=PARIS)  # a Wednesday morning in Paris


def registrant(event, name, status=RegistrationStatus.CONFIRMED) -> Registration:
    return Registration.objects.create(
        event=event, name=name, email=f"{name.lower()}@example.org", status=status,
        site_url="https://agenda.example.org/",
    )  # fmt: skip


def event_at(day: int, hour: int, **fields) -> Event:
    starts_at = datetime(2027, 3, day, hour, 0, tzinfo=PARIS)
    return EventFactory(capacity=10, starts_at=starts_at, **fields)


@pytest.mark.django_db
def test_confirmed_registrants_of_tomorrows_events_are_reminded_once():
    tomorrow = event_at(11, 0, title="Rencontre du jeudi")  # midnight: still tomorrow
    late = event_at(11, 23)
    after = event_at(12, 0)  # the day after tomorrow
    today = event_at(10, 18)
    hidden = event_at(11, 14, is_published=False)
    registrant(tomorrow, "Ada")
    registrant(late, "Bea")
    registrant(tomorrow, "Cyr", RegistrationStatus.PENDING)
    Registration.objects.create(
        event=tomorrow, name="Dan", email="dan@example.org", waiting_since=NOW,
        status=RegistrationStatus.WAITING,
    )  # fmt: skip
    for event in (after, today, hidden):
        registrant(event, f"Eve{event.pk}")
    assert reminders_send(now=NOW) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bea@example.org"]
    message = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert message.subject == "Rappel : Rencontre du jeudi, demain"
    assert "/annuler/" in message.body and message.attachments[0][0].endswith(".ics")
    assert reminders_send(now=NOW + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 2
    assert Registration.objects.filter(reminded_at=NOW).count() == 2


@pytest.mark.django_db
def test_a_registration_confirmed_later_that_day_is_reminded_at_the_next_run():
    event = event_at(11, 10)
    registrant(event, "Ada")
    assert reminders_send(now=NOW) == 1
    registrant(event, "Bea")
    assert reminders_send(now=NOW + timedelta(hours=1)) == 1
    assert [m.to for m in mail.outbox] == [["ada@example.org"], ["bea@example.org"]]


def test_the_reminders_run_every_hour_from_the_task_queue():
    from procrastinate.contrib.django import app

    import network.tasks  # noqa: F401 (registers the periodic jobs)

    app.perform_import_paths()
    schedule = {p.task.name: p.cron for p in app.periodic_registry.periodic_tasks.values()}
    assert schedule["registrations_remind"] == "0 7-19 * * *"


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Committed rows (threads have their own connections), deleted afterwards."""
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), "not the test database"
        before = set(Event.objects.values_list("pk", flat=True))
        yield
        Event.objects.exclude(pk__in=before).delete()


def test_two_workers_reminding_at_once_send_one_email_per_person(committed, monkeypatch):
    monkeypatch.setattr("network.services.REMINDER_BATCH", 10)  # the claims interleave
    event = EventFactory(capacity=300, starts_at=timezone.now() + timedelta(days=1))
    Registration.objects.bulk_create(
        Registration(event=event, name=f"P{n}", email=f"p{n}@example.org",
                     status=RegistrationStatus.CONFIRMED)
        for n in range(300)
    )  # fmt: skip
    barrier = threading.Barrier(2)
    counts = []

    def worker():
        try:
            barrier.wait(timeout=10)
            counts.append(reminders_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == 300 and len(counts) == 2
    recipients = [message.to[0] for message in mail.outbox]
    assert len(recipients) == 300 and len(set(recipients)) == 300
    assert not event.registrations.filter(reminded_at__isnull=True).exists()
