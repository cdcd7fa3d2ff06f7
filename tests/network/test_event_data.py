"""generate_event_data fills the agenda for the benchmark (idempotent, its paths on the
last line), and the agenda stays paginated with the same queries whatever its size."""

import io
import json

import pytest
from django.core.management import call_command

from network.models import Event

pytestmark = pytest.mark.django_db


def generate(events: int) -> dict:
    out = io.StringIO()
    call_command("generate_event_data", events=events, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def queries_for(client, path, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(3) as context:  # the agenda's version, count, page
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_the_agenda_of_many_events_is_paginated_with_constant_queries(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # bulk_create moves the version
        paths = generate(8)
    few = [queries_for(client, p, django_assert_max_num_queries) for p in ("/agenda/",)]
    with django_capture_on_commit_callbacks(execute=True):
        paths = generate(400)
    assert Event.objects.filter(slug__startswith="test-echelle-evenement-").count() == 400
    assert generate(400) == paths  # a second run adds nothing
    assert Event.objects.count() == 400
    assert paths["agenda"] == "/agenda/"
    assert [queries_for(client, "/agenda/", django_assert_max_num_queries)] == few
    page = client.get(paths["agenda"]).content.decode()
    assert page.count('class="card event-card"') == 20 and "Page 1 sur 15" in page
    assert "[Données de test]" in page
    assert client.get(paths["agenda_page"]).status_code == 200
    assert client.get(paths["event"]).status_code == 200
    assert queries_for(client, "/agenda/passes/", django_assert_max_num_queries) == 3
