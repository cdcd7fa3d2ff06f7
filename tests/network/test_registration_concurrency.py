"""Concurrent confirmations of the last place give it to exactly one person, the
others go on the waiting list with distinct ranks; concurrent cancellations promote
exactly as many people as places freed (committed writes: threads have their own
connections)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from network.enums import RegistrationStatus
from network.models import Event, Registration
from tests.network.factories import EventFactory


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Committed writes (threads have their own connections); rows made here are
    deleted afterwards instead of flushing the reference data."""
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), "not the test database"
        before = set(Event.objects.values_list("pk", flat=True))
        yield
        Event.objects.exclude(pk__in=before).delete()


def at_once(requests: list) -> list[int]:
    """Each request from its own thread and connection, released together."""
    barrier = threading.Barrier(len(requests))
    statuses = []

    def run(send):
        try:
            barrier.wait(timeout=10)
            statuses.append(send())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(send,)) for send in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def registrants(event, count: int, status=RegistrationStatus.PENDING) -> list[Registration]:
    return [
        Registration.objects.create(
            event=event, name=f"P{n}", email=f"p{n}-{status}@example.org", status=status
        )
        for n in range(count)
    ]


@pytest.mark.django_db
def test_one_after_the_other_the_last_place_goes_to_the_first_to_confirm(client):
    event = EventFactory(capacity=1)
    first, second = registrants(event, 2)
    for registration in (first, second):
        assert client.post(registration.get_absolute_url()).status_code == 303
    assert dict(event.registrations.values_list("pk", "status")) == {
        first.pk: RegistrationStatus.CONFIRMED, second.pk: RegistrationStatus.WAITING,
    }  # fmt: skip


def test_concurrent_confirmations_of_the_last_place_give_one_place(committed):
    event = EventFactory(capacity=2)
    Registration.objects.create(
        event=event, name="Ada", email="ada@example.org", status=RegistrationStatus.CONFIRMED
    )
    urls = [registration.get_absolute_url() for registration in registrants(event, 8)]
    statuses = at_once([lambda url=url: Client().post(url).status_code for url in urls])
    assert statuses == [303] * 8
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    assert confirmed.count() == 2
    waiting = list(event.registrations.filter(status=RegistrationStatus.WAITING))
    assert len(waiting) == 7
    assert sorted(r.waiting_rank() for r in waiting) == list(range(1, 8))


def test_concurrent_cancellations_promote_one_person_per_place_freed(committed):
    event = EventFactory(capacity=3)
    confirmed = registrants(event, 3, RegistrationStatus.CONFIRMED)
    waiting = registrants(event, 5, RegistrationStatus.PENDING)
    client = Client()
    for registration in waiting:  # one after the other: ranks 1 to 5
        assert client.post(registration.get_absolute_url()).status_code == 303
    twice = confirmed[:2] * 2  # two people each cancel twice at once
    at_once([
        lambda url=f"/agenda/inscription/{r.token}/annuler/": Client().post(url).status_code
        for r in twice
    ])  # fmt: skip
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    promoted = event.registrations.filter(status=RegistrationStatus.CONFIRMED).exclude(
        pk=confirmed[2].pk
    )
    assert {r.pk for r in promoted} == {waiting[0].pk, waiting[1].pk}
    still = event.registrations.filter(status=RegistrationStatus.WAITING).order_by("pk")
    assert [r.waiting_rank() for r in still] == [1, 2, 3]
