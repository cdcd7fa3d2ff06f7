"""The task queue as the request sees it: e-mails are enqueued (a procrastinate job in
the same database) and the request answers at once, whatever the mail server does; a
job that failed for good is listed in the admin; the schedule is declared in code.
tests/site/test_task_queue_worker.py runs the real worker processes."""

import socket
import time

import pytest
from django.db import connection
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from diagnostics.models import Response
from tests.diagnostics.conftest import Taker
from tests.site.text import visible_text


@pytest.fixture
def queued(settings):
    """The production path: enqueue, don't send; the mail server refuses."""
    settings.TASKS_IMMEDIATE = False
    with socket.socket() as probe:  # a local port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


def test_a_resume_link_request_enqueues_the_email_and_answers_at_once(
    queued, client, db, mailoutbox
):
    taker = Taker(client)
    taker.start()
    url = f"/diagnostic/{taker.token}/envoyer-le-lien/"
    started = time.perf_counter()
    sent = client.post(url, {"email": "maire@example.org", "etape": "1"})
    elapsed = time.perf_counter() - started

    assert sent.status_code == 303 and sent["Location"] == taker.url(1)
    assert elapsed < 0.1, elapsed
    html = visible_text(client.get(sent["Location"]).content.decode())
    assert "Le lien de reprise vous a été envoyé par e-mail." in html
    assert not mailoutbox
    job = ProcrastinateJob.objects.get(task_name="mail_send")
    assert (job.status, job.queue_name, job.args["to"]) == ("todo", "mail", ["maire@example.org"])
    assert f"/diagnostic/{taker.token}/" in job.args["body"]
    assert "maire@example.org" not in str(Response.objects.values().get(token=taker.token))


def test_the_contact_form_enqueues_a_message_the_team_can_answer(queued, client, db):
    response = client.post(
        "/contact/", {"name": "Marie", "email": "marie@example.org", "message": "Bonjour"}
    )
    assert response.status_code == 303
    job = ProcrastinateJob.objects.get(task_name="mail_send")
    assert job.args["to"] == ["equipe@exemple.fr"]
    assert job.args["reply_to"] == ["marie@example.org"]
    assert "Bonjour" in job.args["body"]


def test_a_job_failed_for_good_is_listed_for_staff_in_the_admin(
    queued, client, db, administrator_client
):
    client.post("/contact/", {"email": "marie@example.org", "message": "Bonjour"})
    job = ProcrastinateJob.objects.get(task_name="mail_send")
    with connection.cursor() as cursor:  # as the worker leaves it after its last attempt
        cursor.execute("UPDATE procrastinate_jobs SET status = 'doing' WHERE id = %s", [job.pk])
        cursor.execute("UPDATE procrastinate_jobs SET status = 'failed' WHERE id = %s", [job.pk])

    page = administrator_client.get("/admin/procrastinate/procrastinatejob/?status=failed")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/admin/procrastinate/procrastinatejob/{job.pk}/change/" in html
    assert client.get("/admin/procrastinate/procrastinatejob/").status_code == 302  # login


def test_the_schedule_is_declared_in_code():
    app.perform_import_paths()
    schedule = {
        periodic.task.name: periodic.cron
        for periodic in app.periodic_registry.periodic_tasks.values()
    }
    assert schedule["links_check"] == "0 2 * * 1"  # weekly
    assert schedule["diagnostics_purge"] == "30 1 * * *"  # daily
    assert "stalled_jobs_retry" in schedule and "jobs_prune" in schedule


def test_the_daily_purge_task_runs_the_purge(client, db, settings):
    from datetime import timedelta

    from django.utils import timezone

    from rameau_site.tasks import diagnostics_purge

    taker = Taker(client)
    taker.start()
    old = timezone.now() - timedelta(days=settings.DIAGNOSTIC_INCOMPLETE_RETENTION_DAYS + 1)
    Response.objects.filter(token=taker.token).update(updated_at=old)
    assert "1 diagnostic" in diagnostics_purge(timestamp=0)
    assert not Response.objects.filter(token=taker.token).exists()
