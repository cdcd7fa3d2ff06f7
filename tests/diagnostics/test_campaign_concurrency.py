"""Concurrent joins of a shared diagnostic and a double submission of a participant's
last step store once (committed writes: threads have their own connections)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from diagnostics.models import Campaign
from tests.diagnostics.test_campaign import Participant, create


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Committed writes (threads have their own connections); rows made here are
    deleted afterwards instead of flushing the reference data."""
    with django_db_blocker.unblock():
        before = set(Campaign.objects.values_list("pk", flat=True))
        yield
        Campaign.objects.exclude(pk__in=before).delete()


def test_concurrent_joins_and_a_double_last_step_store_once(committed):
    client = Client()
    assert create(client).status_code == 303
    campaign = Campaign.objects.latest("created_at")
    url = f"/diagnostic/collectif/rejoindre/{campaign.invitation_token}/"
    barrier = threading.Barrier(8)
    locations = []

    def run(send):
        try:
            barrier.wait(timeout=10)
            locations.append(send())
        finally:
            connection.close()

    def join():
        return Client().post(url, {"actor_type": "elu", "cle": "m" * 32})["Location"]

    threads = [threading.Thread(target=run, args=(join,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert campaign.participants.count() == 1
    assert len(set(locations)) == 1 and len(locations) == 8

    taker = Participant(client, campaign)
    taker.token = campaign.participants.get().token
    assert taker.profile("elu").status_code == 303
    for index in range(len(taker.axes) - 1):
        assert taker.answer_axis(index, lambda q: 2).status_code == 303
    last = taker.axis_data(len(taker.axes) - 1, lambda q: 2)
    barrier = threading.Barrier(6)
    locations.clear()
    threads = [
        threading.Thread(target=run, args=(lambda: Client().post(
            taker.url(len(taker.axes) + 1), last)["Location"],))
        for _ in range(6)
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # The first completes; the others find it complete: all go to the results.
    assert locations == [f"/diagnostic/{taker.token}/resultats/"] * 6
    campaign.refresh_from_db()
    assert campaign.completed_count == 1
    assert campaign.synthesis["participants"] == 1
    assert taker.response.axis_results.count() == len(taker.axes)
