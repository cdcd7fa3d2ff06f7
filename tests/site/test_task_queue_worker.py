"""The task queue for real: gunicorn, procrastinate worker processes and a local SMTP
server (aiosmtpd) on their own embedded PostgreSQL. A visitor's resume-link request
answers at once whether or not the mail server is up; the e-mail goes out when it comes
back; with two workers each e-mail is sent once; a worker killed mid-task loses
nothing (another worker retries the job once the dead one's heartbeat is stale)."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller

from rameau_site import embedded_db
from tests.site.test_database_outage import free_port, wait_until_up

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


class Mailbox:
    """aiosmtpd handler: keeps what it accepts; `hold()` makes the next message wait
    (the worker is then inside its task) until `release()`, then refuses it (451)."""

    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []
        self.held = threading.Event()
        self._holding = False
        self._release = threading.Event()

    def hold(self):
        self._holding = True

    def release(self):
        self._release.set()

    async def handle_DATA(self, server, session, envelope):
        if self._holding:
            self._holding = False
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, self._release.wait, 30)
            return "451 Réessayez plus tard"
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"


def until(condition, what: str, seconds: float = 40):
    """Poll `condition` (a real process is doing the work) until true, or fail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {seconds} s")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A browser's side of the CSRF flow over plain HTTP: the cookie, then the field."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(NoRedirect)
        with self.opener.open(base + "/diagnostic/", timeout=10) as page:
            cookie = page.headers["Set-Cookie"].split(";")[0]
        self.cookie, self.token = cookie, cookie.split("=", 1)[1]

    def post(self, path: str, **fields) -> tuple[int, str, float]:
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, **fields}).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Cookie": self.cookie}
        )
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=10) as answer:
                status, location = answer.status, answer.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location", "")
        return status, location, time.perf_counter() - started

    def start_diagnostic(self) -> str:
        status, location, _ = self.post("/diagnostic/")
        assert status == 303, status
        return location.split("/")[2]

    def ask_resume_link(self, diagnostic: str, email: str) -> float:
        status, _, elapsed = self.post(
            f"/diagnostic/{diagnostic}/envoyer-le-lien/", email=email, etape="1"
        )
        assert status == 303, status
        return elapsed


class Site:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.pgdata = tmp / "pgdata"
        self.smtp_port = free_port()
        self.workers: list[subprocess.Popen] = []
        self.mailbox = Mailbox()
        self.smtp: Controller | None = None
        uri = embedded_db.start(pgdata=self.pgdata, database="queue")
        self.dsn = uri
        socket_dir = urllib.parse.quote(str(embedded_db.socket_dir(self.pgdata)), safe="")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env.update(
            DATABASE_URL=f"postgres://postgres@{socket_dir}/queue",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="queue-test-key-" + "q" * 50,
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_STATIC_ROOT=os.environ["DJANGO_STATIC_ROOT"],
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            DJANGO_EMAIL_HOST="127.0.0.1",
            DJANGO_EMAIL_PORT=str(self.smtp_port),
            DIAGNOSTIC_EMAILS_PER_HOUR="1000",
            DIAGNOSTIC_STARTS_PER_HOUR="1000",
            RAMEAU_TASKS_IMMEDIATE="0",
            # A dead worker is noticed within seconds here (production: 30 s).
            RAMEAU_WORKER_HEARTBEAT_SECONDS="0.5",
            RAMEAU_WORKER_STALLED_SECONDS="3",
            RAMEAU_STALLED_CHECK_SECONDS="1",
        )
        for command in (["migrate", "--noinput"], ["createcachetable"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=BASE_DIR, env=self.env, check=True, capture_output=True, timeout=300,
            )  # fmt: skip
        self.port = free_port()
        self.web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "rameau_site.wsgi",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"
        wait_until_up(self.base + "/sante/", self.web)

    def worker(self) -> subprocess.Popen:
        log = open(self.tmp / f"worker-{len(self.workers)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker"],
            cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.workers.append(process)
        until(lambda: self.live_workers() >= self.running(), "the worker's heartbeat")
        return process

    def running(self) -> int:
        return sum(process.poll() is None for process in self.workers)

    def query(self, sql: str, *params):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def live_workers(self) -> int:
        return self.query(
            "SELECT count(*) FROM procrastinate_workers"
            " WHERE last_heartbeat > now() - interval '2 seconds'"
        )[0][0]

    def mail_jobs(self) -> list[tuple]:
        return self.query(
            "SELECT status, attempts FROM procrastinate_jobs WHERE task_name = 'mail_send'"
        )

    def smtp_start(self):
        self.smtp = Controller(self.mailbox, hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()

    def smtp_stop(self):
        if self.smtp:
            self.smtp.stop()
            self.smtp = None

    def workers_stop(self):
        for process in self.workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.workers:
            process.wait(timeout=30)
        self.workers = []

    def close(self):
        self.workers_stop()
        self.smtp_stop()
        self.web.terminate()
        self.web.wait(timeout=10)
        embedded_db.stop(self.pgdata)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("queue"))
    try:
        yield site
    finally:
        site.close()


@pytest.fixture
def fresh(site):
    """Each test starts with no worker, no SMTP server, an empty mailbox and queue."""
    site.workers_stop()
    site.smtp_stop()
    site.mailbox.__init__()
    site.query("DELETE FROM procrastinate_jobs WHERE task_name = 'mail_send'")
    return site


def test_the_resume_link_answers_at_once_and_goes_out_when_smtp_comes_back(fresh):
    site = fresh
    visitor = Visitor(site.base)
    diagnostic = visitor.start_diagnostic()
    visitor.ask_resume_link(diagnostic, "chauffe@example.org")  # the server's first POST
    site.query("DELETE FROM procrastinate_jobs WHERE task_name = 'mail_send'")
    site.worker()

    elapsed = visitor.ask_resume_link(diagnostic, "maire@example.org")  # SMTP is down
    print(f"resume-link request, SMTP down: {elapsed * 1000:.1f} ms")
    assert elapsed < 0.1
    # The worker tried, the server refused: the job waits for its next attempt.
    until(lambda: site.mail_jobs() == [("todo", 1)], "a first failed attempt")
    assert not site.mailbox.messages

    site.smtp_start()
    [(recipients, content)] = until(lambda: site.mailbox.messages, "the e-mail", 30)
    assert recipients == ["maire@example.org"]
    assert f"/diagnostic/{diagnostic}/" in content
    until(lambda: site.mail_jobs() == [], "the sent job deleted (the address not kept)")

    elapsed = visitor.ask_resume_link(diagnostic, "adjoint@example.org")  # SMTP is up
    print(f"resume-link request, SMTP up: {elapsed * 1000:.1f} ms")
    assert elapsed < 0.1
    until(lambda: len(site.mailbox.messages) == 2, "the second e-mail")


def test_with_two_workers_each_email_is_sent_exactly_once(fresh):
    site = fresh
    site.smtp_start()
    site.worker()
    site.worker()
    visitor = Visitor(site.base)
    diagnostic = visitor.start_diagnostic()
    addresses = [f"elu{n}@example.org" for n in range(30)]
    for address in addresses:
        visitor.ask_resume_link(diagnostic, address)

    until(lambda: len(site.mailbox.messages) >= 30, "30 e-mails")
    until(lambda: site.mail_jobs() == [], "every job done")
    # Every job is finished and deleted only after its e-mail went: a duplicate would
    # already be in the mailbox.
    assert sorted(r for recipients, _ in site.mailbox.messages for r in recipients) == sorted(
        addresses
    )
    assert site.running() == 2


def test_a_worker_killed_mid_task_loses_no_email(fresh):
    site = fresh
    site.smtp_start()
    site.mailbox.hold()
    doomed = site.worker()
    visitor = Visitor(site.base)
    diagnostic = visitor.start_diagnostic()
    visitor.ask_resume_link(diagnostic, "maire@example.org")

    until(site.mailbox.held.is_set, "the worker inside its task")
    assert site.mail_jobs() == [("doing", 0)]
    doomed.kill()  # SIGKILL: no clean-up, no goodbye
    doomed.wait(timeout=10)
    site.mailbox.release()

    site.worker()  # another worker, maybe on another machine
    [(recipients, content)] = until(lambda: site.mailbox.messages, "the e-mail, retried")
    assert recipients == ["maire@example.org"]
    assert f"/diagnostic/{diagnostic}/" in content
    until(lambda: site.mail_jobs() == [], "the job done")
    assert len(site.mailbox.messages) == 1
