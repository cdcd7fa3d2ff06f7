"""Production logs name a task's job by its task and id, never by its arguments: an
e-mail job holds the recipient's address and a diagnostic's secret link, which the
site promises not to keep. The records are built as procrastinate builds them."""

import json
import logging

from procrastinate.jobs import Job

from rameau_site.logs import JsonFormatter

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
