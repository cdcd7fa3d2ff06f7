"""Structured logs for production: one JSON line per request and per log record (task
runs included: procrastinate logs each job's start and end), each with the id of the
request it belongs to.

- `RequestLogMiddleware` (first in MIDDLEWARE) takes the request id from the reverse
  proxy's `X-Request-ID` when it is sane (1 to 64 of `A-Z a-z 0-9 . _ -`), else draws
  one; sends it back in the response's `X-Request-ID`; and, when REQUEST_LOG is on,
  logs the request on "rameau.requests": method, the URL pattern that served it (no
  token, no query string: they hold secret links and visitors' searches), status,
  duration in ms.
- `JsonFormatter` writes a record as one JSON line: time (UTC, ISO 8601), level,
  logger, message, request_id, the record's extra fields, and the exception if any.
- A job deferred during a request carries the request's id in its arguments
  (`with_request_id`, under JOB_REQUEST_ID); the workers' `job_request_id` middleware
  takes it out before the task runs, so that the worker's lines of that job (its start,
  what the task logs, its end) repeat the id of the request that deferred it.

settings.LOGGING uses it when DEBUG is off; in development the plain text stays."""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings

REQUEST_ID = contextvars.ContextVar("request_id", default=None)
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")
requests_logger = logging.getLogger("rameau.requests")

# Attributes every LogRecord has: what is left are the fields given with `extra=`.
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def logged_path(request) -> str:
    """The URL pattern that served the request ("/diagnostic/<str:token>/resultats/")
    rather than its path: a diagnostic's, a campaign's or a parcours' secret token never
    goes into the logs. A path no pattern matched (a 404) is logged as it came."""
    match = request.resolver_match
    return "/" + match.route if match is not None and match.route else request.path


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID_RE.fullmatch(given) else uuid.uuid4().hex
        # Not reset on the way out: Django logs a 4xx/5xx ("django.request") after the
        # middleware has returned, and that line must carry the id too. Each request
        # (a thread serves one at a time) sets its own.
        REQUEST_ID.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response.headers["X-Request-ID"] = request_id
        if settings.REQUEST_LOG:
            path = logged_path(request)
            requests_logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response


# procrastinate describes a job by its arguments, in the message ("Starting job
# mail_send[8](to=[...], body='...')") and in its `job` / `jobs` fields: an e-mail's
# recipient and text, which holds a diagnostic's secret link. Only these fields of a
# job are logged, and the message names it by task and id.
JOB_FIELDS = ("id", "status", "queue", "task_name", "attempts", "scheduled_at", "worker_id")
CALL_STRING_RE = re.compile(r"(\b[\w.:]+\[(?:\d+|None)\])\(.*\)", re.DOTALL)


# The job argument holding the id of the request that deferred the job.
JOB_REQUEST_ID = "request_id"


def with_request_id(arguments: dict) -> dict:
    """A job's arguments, plus the current request's id when there is one."""
    request_id = REQUEST_ID.get()
    return arguments | {JOB_REQUEST_ID: request_id} if request_id else arguments


async def job_request_id(call_next, context, worker):
    """Worker middleware (PROCRASTINATE_WORKER_DEFAULTS): the job's request id becomes
    the id of its lines, and the task gets its own arguments only. Each job runs in its
    own asyncio task, whose context copy ends with it: the id is not reset, so that the
    worker's line saying how the job ended, written after this returns, carries it."""
    request_id = context.job.task_kwargs.pop(JOB_REQUEST_ID, None)
    sane = isinstance(request_id, str) and REQUEST_ID_RE.fullmatch(request_id)
    REQUEST_ID.set(request_id if sane else None)  # none for a job deferred elsewhere
    return await call_next()


def job_request_id_of(job) -> str | None:
    """The request id a job's arguments carry (the worker's line starting the job is
    written before the middleware takes it out)."""
    if isinstance(job, dict) and isinstance(job.get("task_kwargs"), dict):
        request_id = job["task_kwargs"].get(JOB_REQUEST_ID)
        if isinstance(request_id, str) and REQUEST_ID_RE.fullmatch(request_id):
            return request_id
    return None


def job_summary(job):
    return {key: job[key] for key in JOB_FIELDS if key in job} if isinstance(job, dict) else job


def job_message(record: logging.LogRecord) -> str:
    message = record.getMessage()
    if not record.name.startswith("procrastinate"):
        return message
    job = getattr(record, "job", None)
    if isinstance(job, dict) and job.get("call_string"):
        message = message.replace(job["call_string"], f"{job.get('task_name')}[{job.get('id')}]")
    return CALL_STRING_RE.sub(r"\1(…)", message)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": job_message(record),
            "request_id": job_request_id_of(getattr(record, "job", None)) or REQUEST_ID.get(),
        }
        for name, value in vars(record).items():
            if name not in STANDARD and not name.startswith("_"):
                line[name] = value
        if "job" in line:
            line["job"] = job_summary(line["job"])
        if isinstance(line.get("jobs"), list):
            line["jobs"] = [job_summary(job) for job in line["jobs"]]
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
