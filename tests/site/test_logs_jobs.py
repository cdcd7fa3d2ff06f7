"""Production logs name a task's job by its task and id, never by its arguments: an
e-mail job holds the recipient's address and a diagnostic's secret link, which the
site promises not to keep. The records are built as procrastinate builds them."""

import io
import json
import logging
import threading

import pytest
from procrastinate.contrib.django import DjangoApp, app
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.jobs import Job
from procrastinate.testing import InMemoryConnector

from rameau_site.logs import REQUEST_ID, JsonFormatter, with_request_id
from rameau_site.mail import mail_enqueue

SECRET = "0KdzhPefxBjhSBht5y5_0jkqDjTn8Wrg"


def mail_job(job_id=8):
    return Job(
        id=job_id, queue="mail", lock=None, queueing_lock=None, task_name="mail_send",
        task_kwargs={"to": ["maire@example.org"], "subject": "Votre lien",
                     "body": f"Reprendre (ici) : https://exemple.fr/diagnostic/{SECRET}/"},
        status="doing", attempts=1,
    )  # fmt: skip


def logged(logger: str, message: str, **extra) -> dict:
    record = logging.getLogger(logger).makeRecord(
        logger, logging.INFO, __file__, 1, message, (), None, extra=extra
    )
    text = JsonFormatter().format(record)
    assert "maire@example.org" not in text and SECRET not in text
    return json.loads(text)


def test_a_worker_line_names_the_job_without_its_arguments():
    job = mail_job()
    start = logged(
        "procrastinate.worker.worker", f"Starting job {job.call_string}",
        action="start_job", job=job.log_context(),
    )  # fmt: skip
    assert start["message"] == "Starting job mail_send[8]"
    assert start["job"] == {
        "id": 8, "status": "doing", "queue": "mail", "task_name": "mail_send",
        "attempts": 1, "scheduled_at": None, "worker_id": None,
    }  # fmt: skip
    end = logged(
        "procrastinate.worker",
        f"Job {job.call_string} ended with status: Error, lasted 0.028 s",
        action="job_error", job=job.log_context(),
    )  # fmt: skip
    assert end["message"] == "Job mail_send[8] ended with status: Error, lasted 0.028 s"


def test_a_deferral_lists_its_jobs_without_their_arguments():
    line = logged(
        "procrastinate.jobs", "Deferred 2 jobs", action="jobs_deferred",
        jobs=[mail_job(1).log_context(), mail_job(2).log_context()],
    )  # fmt: skip
    assert [job["id"] for job in line["jobs"]] == [1, 2]
    assert all("task_kwargs" not in job for job in line["jobs"])


def test_a_line_without_the_job_field_still_hides_its_arguments():
    job = mail_job()
    line = logged(
        "procrastinate.worker",
        f"Waiting for job to finish: worker: {job.call_string} (started 1.0 s ago)",
        action="ending_job",
    )  # fmt: skip
    assert line["message"].startswith("Waiting for job to finish: worker: mail_send[8](…)")


def test_other_loggers_are_left_as_they_are():
    line = logged("rameau.requests", "GET /ressources/x[1](y)/ 404")
    assert line["message"] == "GET /ressources/x[1](y)/ 404"


# --- The request id carried to the worker -------------------------------------------


@pytest.fixture
def json_lines(caplog):
    """What a production console handler writes (JsonFormatter), with the worker's
    INFO lines as settings.LOGGING keeps them."""
    caplog.set_level(logging.INFO, logger="procrastinate")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(text) for text in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def contact(client):
    response = client.post(
        "/contact/", {"name": "Marie", "email": "marie@example.org", "message": "Bonjour"}
    )
    assert response.status_code == 303
    return response["X-Request-ID"]


def test_a_job_deferred_during_a_request_carries_its_id(client, db, settings):
    settings.TASKS_IMMEDIATE = False
    request_id = contact(client)
    job = ProcrastinateJob.objects.get(task_name="mail_send")
    assert job.args["request_id"] == request_id and len(request_id) == 32
    assert job.args["to"] == ["equipe@exemple.fr"]  # the task's own arguments, as before


@pytest.fixture
def outside_requests():
    """A command's or a worker's thread: no request id (not an earlier test's request)."""
    token = REQUEST_ID.set(None)
    yield
    REQUEST_ID.reset(token)


def test_a_job_deferred_outside_a_request_carries_no_id(db, settings, outside_requests):
    settings.TASKS_IMMEDIATE = False
    mail_enqueue("Sujet", "Texte", None, ["equipe@exemple.fr"])
    assert "request_id" not in ProcrastinateJob.objects.get(task_name="mail_send").args


def test_the_worker_lines_of_a_job_repeat_the_id_of_the_request_that_deferred_it(
    client, db, settings, json_lines, mailoutbox
):
    settings.TASKS_IMMEDIATE = False
    with app.replace_connector(InMemoryConnector()) as in_memory:
        request_id = contact(client)
        other = contact(client)  # a second request, a second job: each keeps its own id
        in_memory.run_worker(queues=["mail"], wait=False, install_signal_handlers=False)
    assert len(mailoutbox) == 2  # the task got its own arguments only
    assert mailoutbox[0].to == ["equipe@exemple.fr"] and "Bonjour" in mailoutbox[0].body

    lines = json_lines()
    worker = [line for line in lines if line["logger"].startswith("procrastinate.worker")]
    started = {line["job"]["id"]: line["request_id"] for line in worker
               if line.get("action") == "start_job"}  # fmt: skip
    ended = {line["job"]["id"]: line["request_id"] for line in worker
             if line.get("action") == "job_success"}  # fmt: skip
    assert sorted(started.values()) == sorted(ended.values()) == sorted([request_id, other])
    assert started == ended
    text = "\n".join(json.dumps(line) for line in worker)
    assert "marie@example.org" not in text and "Bonjour" not in text
    assert all("task_kwargs" not in line["job"] for line in worker if "job" in line)


def test_a_forged_request_id_in_a_job_is_not_logged(outside_requests):
    job = mail_job()
    job.task_kwargs["request_id"] = '"}\n{"level": "forged'
    start = logged("procrastinate.worker", "Starting job", job=job.log_context())
    assert start["request_id"] is None
    job.task_kwargs["request_id"] = "proxy-42.a_b"
    assert (
        logged("procrastinate.worker", "Starting job", job=job.log_context())["request_id"]
        == "proxy-42.a_b"
    )


def test_what_a_task_logs_carries_the_id_of_the_request_that_deferred_it(
    settings, json_lines, outside_requests
):
    """A throwaway app with the site's worker settings, so that no task is added to the
    site's own app."""
    throwaway = DjangoApp(
        connector=InMemoryConnector(), worker_defaults=settings.PROCRASTINATE_WORKER_DEFAULTS
    )

    @throwaway.task(name="logs_inside", queue="essai")
    def logs_inside(*, number: int) -> None:
        logging.getLogger("rameau.essai").warning("Dans la tâche %s", number)

    def defer_and_work():
        request = REQUEST_ID.set("demande-42")  # as RequestLogMiddleware does
        logs_inside.defer(**with_request_id({"number": 1}))
        REQUEST_ID.reset(request)
        logs_inside.defer(**with_request_id({"number": 2}))  # outside any request
        throwaway.run_worker(queues=["essai"], wait=False, install_signal_handlers=False)

    # In a thread of its own: after the browser tests, Playwright's sync API leaves an
    # event loop running in the test thread, where procrastinate's sync calls (which
    # run their own loop) refuse to run.
    errors = []

    def run():
        try:
            defer_and_work()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not errors, errors
    inside = {line["message"]: line["request_id"] for line in json_lines()
              if line["logger"] == "rameau.essai"}  # fmt: skip
    assert inside == {"Dans la tâche 1": "demande-42", "Dans la tâche 2": None}


def test_an_agenda_registration_mail_carries_the_request_id(db, settings):
    """The agenda's own mail task (network/registration_mails.py) carries it too."""
    from network.registration_mails import MailKind, registration_mail_enqueue

    settings.TASKS_IMMEDIATE = False
    token = REQUEST_ID.set("a" * 32)
    try:
        registration_mail_enqueue(12345, MailKind.REMINDER)
    finally:
        REQUEST_ID.reset(token)
    job = ProcrastinateJob.objects.get(task_name="registration_mail")
    assert job.args["request_id"] == "a" * 32 and job.args["registration_id"] == 12345
