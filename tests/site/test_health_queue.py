"""/sante/ reports the task queue: the worker's heartbeat, the jobs waiting and the
oldest due one; a stuck worker is reported ("dégradé"), not hidden. Rows are written
in procrastinate's own tables, as its worker and `defer()` write them."""

import pytest
from django.db import connection
from django.urls import reverse


def sql(statement: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def job(*, scheduled: str | None = None, age: str = "0 seconds"):
    """A 'todo' e-mail job (procrastinate's trigger records its 'deferred' event),
    deferred `age` ago, due now or at `scheduled` (an interval from now)."""
    sql(
        "INSERT INTO procrastinate_jobs (queue_name, task_name, args, scheduled_at)"
        " VALUES ('mail', 'mail_send', '{}',"
        " CASE WHEN %s::interval IS NULL THEN NULL ELSE now() + %s::interval END)",
        scheduled,
        scheduled,
    )
    sql(
        "UPDATE procrastinate_events SET at = now() - %s::interval"
        " WHERE job_id = (SELECT max(id) FROM procrastinate_jobs)",
        age,
    )


def worker(heartbeat_age: str):
    sql(
        "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - %s::interval)",
        heartbeat_age,
    )


def health(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200  # the web servers serve, whatever the worker
    return response.json()


@pytest.mark.django_db
def test_jobs_due_and_no_worker_is_reported_stuck(client):
    job(age="90 seconds")
    report = health(client)
    assert report["statut"] == "dégradé"
    queue = report["file_de_taches"]
    assert queue["worker"] == "bloqué"
    assert queue["taches_en_attente"] == queue["taches_a_executer"] == 1
    assert 89 <= queue["plus_ancienne_a_executer_s"] <= 120


@pytest.mark.django_db
def test_a_live_worker_is_ok_and_its_heartbeat_shown(client):
    worker("2 seconds")
    job(age="1 second")
    report = health(client)
    assert report["statut"] == "ok"
    assert report["file_de_taches"]["worker"] == "ok"
    assert 1.5 <= report["file_de_taches"]["dernier_signe_de_vie_s"] <= 30


@pytest.mark.django_db
def test_a_worker_whose_heartbeat_stopped_is_stuck_when_jobs_wait(client):
    worker("10 minutes")
    assert health(client)["file_de_taches"]["worker"] == "arrêté"
    assert health(client)["statut"] == "ok"  # nothing waits: nothing is late yet
    job()
    report = health(client)
    assert (report["statut"], report["file_de_taches"]["worker"]) == ("dégradé", "bloqué")


@pytest.mark.django_db
def test_a_retry_scheduled_later_waits_without_being_due(client):
    job(scheduled="5 minutes", age="1 minute")
    queue = health(client)["file_de_taches"]
    assert (queue["taches_en_attente"], queue["taches_a_executer"]) == (1, 0)
    assert queue["plus_ancienne_a_executer_s"] is None
    assert queue["worker"] == "aucun"


@pytest.mark.django_db
def test_the_oldest_due_job_is_the_one_reported(client):
    job(age="5 minutes")
    job(age="10 seconds")
    job(scheduled="1 hour", age="2 hours")  # older, but not due
    queue = health(client)["file_de_taches"]
    assert queue["taches_a_executer"] == 2
    assert 299 <= queue["plus_ancienne_a_executer_s"] <= 330


@pytest.mark.django_db
def test_health_makes_two_queries_however_many_jobs(client, django_assert_num_queries):
    for _ in range(30):
        job()
    worker("1 second")
    with django_assert_num_queries(2):
        client.get(reverse("health"))
