"""Two digest runs at once (two workers) send each digest once: alerts are claimed
with SELECT ... FOR UPDATE SKIP LOCKED and their marks moved in the same transaction
(committed writes: threads have their own connections)."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from alerts.digest import digests_send
from alerts.models import Alert, Subscriber
from resources.models import Resource, Theme
from tests.alerts.factories import AlertFactory
from tests.resources.factories import ResourceFactory, ThemeFactory


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Committed writes (threads have their own connections); rows made here are
    deleted afterwards instead of flushing the reference data."""
    with django_db_blocker.unblock():
        before = set(Resource.objects.values_list("pk", flat=True))
        themes = set(Theme.objects.values_list("pk", flat=True))
        yield
        Subscriber.objects.all().delete()
        Resource.objects.exclude(pk__in=before).delete()
        Theme.objects.exclude(pk__in=themes).delete()


def test_two_runs_at_once_send_each_digest_once(committed):
    theme = ThemeFactory(slug="concurrence")
    ResourceFactory(
        title="Nouvelle ressource", themes=[theme], published_at=timezone.now() - timedelta(hours=2)
    )
    for _ in range(60):
        AlertFactory(confirmed=True, query="theme=concurrence")
    barrier = threading.Barrier(2)
    runs = []

    def run():
        try:
            barrier.wait(timeout=10)
            runs.append(digests_send(chunk_size=7))  # small chunks: the runs interleave
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(runs) == 2
    assert sum(r.checked for r in runs) == 60 and sum(r.sent for r in runs) == 60
    addresses = [message.to[0] for message in mail.outbox]
    assert len(addresses) == 60 and len(set(addresses)) == 60
    assert not Alert.objects.due(timezone.now()).exists()
