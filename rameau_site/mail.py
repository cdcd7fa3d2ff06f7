"""Every e-mail the site sends goes through the task queue: the request enqueues it and
answers at once, whether or not the mail server is up; a worker sends it through
Django's mail backends and retries with a growing wait when the server refuses.

After MAIL_ATTEMPTS failures the job stays "failed" in the admin (Procrastinate >
Procrastinate jobs, filter by status), with its error in the job's events, for staff
to see and retry. A sent job is deleted (PROCRASTINATE_WORKER_DEFAULTS), so the
visitor's address is kept only until the e-mail has gone.

With TASKS_IMMEDIATE (the unit tests) the e-mail is sent inside the call and a
refusal raises, as Django's send_mail does."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from rameau_site.logs import with_request_id

# Waits of 2, 4, 8 ... 512 s between attempts: about 17 minutes in all before a
# message is given up (a mail server restart or a short outage is covered).
MAIL_ATTEMPTS = 10
MAIL_RETRY = RetryStrategy(
    max_attempts=MAIL_ATTEMPTS,
    exponential_wait=2,
    retry_exceptions={OSError, smtplib.SMTPException},  # refused, timed out, rejected
)


@app.task(name="mail_send", queue="mail", retry=MAIL_RETRY)
def mail_send(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None,
    reply_to: list[str],
    headers: dict | None = None,
) -> None:
    EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email,
        to=to,
        reply_to=reply_to,
        headers=headers,
    ).send()


def mail_enqueue(
    subject: str,
    message: str,
    from_email: str | None,
    recipient_list: list[str],
    *,
    reply_to: list[str] | None = None,
    headers: dict | None = None,
) -> None:
    """Send an e-mail from the worker: send_mail's arguments, plus reply_to and extra
    headers (List-Unsubscribe). The job is written in the caller's transaction, so it
    goes only if that transaction commits."""
    arguments = {
        "subject": subject,
        "body": message,
        "to": list(recipient_list),
        "from_email": from_email,
        "reply_to": list(reply_to or []),
    }
    if headers:
        arguments["headers"] = dict(headers)
    if settings.TASKS_IMMEDIATE:
        mail_send(**arguments)
    else:
        mail_send.defer(**with_request_id(arguments))  # the worker's lines repeat the id
