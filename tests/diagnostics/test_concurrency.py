"""Concurrent double submissions of a step store each answer once."""

import threading

import pytest
from django.db import connection
from django.test import Client

from diagnostics.models import Answer, Response
from tests.diagnostics.conftest import Taker


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Writes committed for real (threads use their own connections), without flushing
    the test database afterwards (that would drop the migrations' reference data):
    the response made here is deleted instead."""
    with django_db_blocker.unblock():
        before = set(Response.objects.values_list("pk", flat=True))
        yield
        Response.objects.exclude(pk__in=before).delete()


def test_concurrent_submissions_of_a_step_store_one_answer_per_question(committed, client):
    taker = Taker(client)
    taker.start()
    taker.profile()
    data = taker.axis_data(0, lambda q: 2)
    barrier = threading.Barrier(6)
    statuses = []

    def submit():
        try:
            barrier.wait(timeout=10)
            statuses.append(Client().post(taker.url(2), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [303] * 6
    questions = len([k for k in data if k.startswith("q")])
    assert Answer.objects.filter(response__token=taker.token).count() == questions


def redo_key(html: str) -> str:
    marker = 'name="cle" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_refaire_sent_ten_times_at_once_starts_one_new_diagnostic(committed, client):
    taker = Taker(client)
    taker.complete()
    first = taker.response
    key = redo_key(client.get(f"/diagnostic/{taker.token}/resultats/").content.decode())
    barrier = threading.Barrier(10)
    locations = []

    def submit():
        try:
            barrier.wait(timeout=10)
            answer = Client().post(f"/diagnostic/{taker.token}/refaire/", {"cle": key})
            locations.append((answer.status_code, answer["Location"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    new = Response.objects.filter(previous=first)
    assert new.count() == 1
    assert locations == [(303, f"/diagnostic/{new.get().token}/etape/1/")] * 10
    assert new.get().answers.count() == first.answers.count()
