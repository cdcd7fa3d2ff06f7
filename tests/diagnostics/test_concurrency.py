"""Concurrent double submissions of a step store each answer once."""

import threading

import pytest
from django.db import connection
from django.test import Client

from diagnostics.models import Answer
from tests.diagnostics.conftest import Taker


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_a_step_store_one_answer_per_question(client):
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
