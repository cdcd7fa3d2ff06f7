"""Two app servers and two workers on one embedded PostgreSQL, started with the
Procfile's own commands (release, then web twice on two ports, worker twice), behind
what a reverse proxy would send (X-Forwarded-For). Nothing is shared but the database:
an edit made through server A is found by a search on server B within seconds, a rate
limit counted on A holds on B, a diagnostic started on A goes on on B, and e-mails
enqueued by A are each sent once by the two workers."""

import json
import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller

from rameau_site import embedded_db
from tests.site.test_database_outage import free_port

BASE_DIR = Path(__file__).resolve().parents[2]
CSRF_COOKIE = "__Host-csrftoken"  # production cookie names (DJANGO_DEBUG=0)
PASSWORD = "deux-serveurs-une-base"  # noqa: S105
DIAGNOSTIC_STARTS_PER_HOUR = 3

pytestmark = pytest.mark.slow

# Run after the release step: the draft an edit will publish, and a staff account.
SETUP = """
from django.contrib.auth import get_user_model
from resources.enums import Kind, Status
from resources.models import Resource
from resources.services import resource_refresh_derived
get_user_model().objects.create_superuser("admin", "admin@example.org", {password!r})
draft = Resource.objects.create(
    title="Les hydroliennes du bocage", slug="hydroliennes-du-bocage", kind=Kind.GUIDE,
    summary="Une coopérative d'élus et d'habitants.", body="Un guide.", year=2024,
    status=Status.DRAFT,
)
resource_refresh_derived(resource=draft)
print(draft.pk)
"""


def procfile() -> dict[str, str]:
    lines = (BASE_DIR / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def until(condition, what, seconds: float = 20):
    """Poll `condition` (real processes are doing the work) until true, or fail saying
    `what` (a callable: the state when it failed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"{what() if callable(what) else what}: not within {seconds} s")


class Mailbox:
    def __init__(self):
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor, with its cookies, whichever server it reaches; `address` is the
    client's address as the reverse proxy forwards it (DJANGO_PROXY_COUNT=1)."""

    def __init__(self, address: str):
        self.address = address
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, url: str, fields: dict | None = None) -> tuple[int, str, str]:
        data = None
        if fields is not None:
            fields = {"csrfmiddlewaretoken": self.cookies[CSRF_COOKIE], **fields}
            data = urllib.parse.urlencode(fields, doseq=True).encode()
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = {"X-Forwarded-For": self.address, "Cookie": cookie}
        try:
            with self.opener.open(urllib.request.Request(url, data, headers), timeout=10) as r:
                status, reply, body = r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as error:
            status, reply, body = error.code, error.headers, error.read().decode()
        for set_cookie in reply.get_all("Set-Cookie") or []:
            name, value = set_cookie.split(";")[0].split("=", 1)
            self.cookies[name] = value
        return status, reply.get("Location", ""), body

    def start_diagnostic(self, base: str) -> tuple[int, str]:
        if CSRF_COOKIE not in self.cookies:
            assert self.request(base + "/diagnostic/")[0] == 200
        status, location, _ = self.request(base + "/diagnostic/", {})
        return status, location


class Cluster:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.pgdata = tmp / "pgdata"
        self.processes: list[subprocess.Popen] = []
        self.mailbox = Mailbox()
        self.smtp: Controller | None = None
        self.dsn = embedded_db.start(pgdata=self.pgdata, database="deux")
        try:
            self.up()
        except BaseException:
            self.close()
            raise

    def up(self):
        smtp_port = free_port()
        socket_dir = urllib.parse.quote(str(embedded_db.socket_dir(self.pgdata)), safe="")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env.update(
            # The Procfile says `python` and `gunicorn`: this virtualenv's.
            PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            DATABASE_URL=f"postgres://postgres@{socket_dir}/deux",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="two-servers-test-key-" + "z" * 50,  # the same on every process
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_PROXY_COUNT="1",
            DJANGO_STATIC_ROOT=os.environ["DJANGO_STATIC_ROOT"],
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            DJANGO_EMAIL_HOST="127.0.0.1",
            DJANGO_EMAIL_PORT=str(smtp_port),
            DIAGNOSTIC_STARTS_PER_HOUR=str(DIAGNOSTIC_STARTS_PER_HOUR),
            DIAGNOSTIC_EMAILS_PER_HOUR="100",
            RAMEAU_TASKS_IMMEDIATE="0",
            RAMEAU_REQUEST_LOG="1",  # production's default (tests/environment.py turns it off)
            LIBRARY_INDEX_BACKGROUND="1",  # as in production: rebuilt in a thread
            RAMEAU_WORKER_HEARTBEAT_SECONDS="0.5",
            WEB_CONCURRENCY="1",  # one gunicorn worker (4 threads) per server
        )
        commands = procfile()
        self.run(commands["release"])
        setup = shlex.quote(SETUP.format(password=PASSWORD))
        self.draft_id = int(self.run(f"python manage.py shell -c {setup}").splitlines()[-1])
        self.smtp = Controller(self.mailbox, hostname="127.0.0.1", port=smtp_port)
        self.smtp.start()
        self.a, self.b = (self.web(commands["web"]) for _ in range(2))
        for _ in range(2):
            self.start(commands["worker"], {}, "worker")
        until(lambda: self.live_workers() == 2, "two workers' heartbeats")

    def run(self, command: str) -> str:
        done = subprocess.run(
            ["bash", "-c", command], cwd=BASE_DIR, env=self.env, capture_output=True,
            text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip()

    def start(self, command: str, env: dict, name: str) -> subprocess.Popen:
        # To a file, not a pipe: their JSON log lines would fill an unread pipe and
        # block them.
        log = self.tmp / f"{name}-{len(self.processes)}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                ["bash", "-c", f"exec {command}"], cwd=BASE_DIR, env=self.env | env,
                stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        process.log = log
        self.processes.append(process)
        return process

    def web(self, command: str) -> str:
        port = free_port()
        server = self.start(command, {"HOST": "127.0.0.1", "PORT": str(port)}, "web")
        base = f"http://127.0.0.1:{port}"

        def up():
            assert server.poll() is None, server.log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(base + "/sante/", timeout=2) as answer:
                    return answer.status == 200
            except OSError:
                return False

        until(up, f"the web server on port {port}", 30)
        return base

    def query(self, sql: str, *params):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def mail_jobs(self) -> list[tuple]:
        return self.query(
            "SELECT status, attempts FROM procrastinate_jobs WHERE task_name = 'mail_send'"
        )

    def live_workers(self) -> int:
        return self.query(
            "SELECT count(*) FROM procrastinate_workers"
            " WHERE last_heartbeat > now() - interval '2 seconds'"
        )[0][0]

    def close(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.smtp:
            self.smtp.stop()
        embedded_db.stop(self.pgdata)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    started = time.monotonic()
    cluster = Cluster(tmp_path_factory.mktemp("two-servers"))
    print(f"two servers and two workers up in {time.monotonic() - started:.1f} s")
    try:
        yield cluster
    finally:
        cluster.close()


def found(base: str, query: str, slug: str) -> bool:
    status, _, body = Browser("198.51.100.1").request(f"{base}/ressources/?q={query}")
    assert status == 200
    return f'href="/ressources/{slug}/"' in body


def test_an_edit_through_one_server_is_searchable_through_the_other(cluster):
    assert not found(cluster.b, "hydroliennes", "hydroliennes-du-bocage")  # B's index built
    assert not found(cluster.a, "hydroliennes", "hydroliennes-du-bocage")

    staff = Browser("192.0.2.10")
    assert staff.request(cluster.a + "/admin/login/")[0] == 200
    status, location, _ = staff.request(
        cluster.a + "/admin/login/?next=/admin/",
        {"username": "admin", "password": PASSWORD, "next": "/admin/"},
    )
    assert (status, location) == (302, "/admin/")
    status, _, _ = staff.request(
        cluster.a + "/admin/resources/resource/",
        {"action": "publish", "_selected_action": cluster.draft_id, "index": 0},
    )
    assert status == 302  # back to the list, the resource published through server A
    published = time.monotonic()

    until(lambda: found(cluster.b, "hydroliennes", "hydroliennes-du-bocage"), "B finds it", 10)
    print(f"edit on A searchable on B after {time.monotonic() - published:.2f} s")
    # A serves its old index while its thread builds the new one, as B did.
    until(lambda: found(cluster.a, "hydroliennes", "hydroliennes-du-bocage"), "A finds it", 10)


def test_a_rate_limit_counted_on_one_server_holds_on_the_other(cluster):
    mayor, neighbour = Browser("203.0.113.7"), Browser("203.0.113.8")
    servers = [cluster.a, cluster.b, cluster.a][:DIAGNOSTIC_STARTS_PER_HOUR]
    assert [mayor.start_diagnostic(base)[0] for base in servers] == [303] * len(servers)
    assert mayor.start_diagnostic(cluster.b)[0] == 429  # over the limit, counted on A and B
    assert mayor.start_diagnostic(cluster.a)[0] == 429
    assert neighbour.start_diagnostic(cluster.b)[0] == 303  # per client, not for everyone


def test_a_diagnostic_started_on_one_server_goes_on_on_the_other(cluster):
    mayor = Browser("203.0.113.20")
    status, location = mayor.start_diagnostic(cluster.a)
    assert status == 303
    token = location.split("/")[2]
    status, location, _ = mayor.request(
        f"{cluster.b}/diagnostic/{token}/etape/1/",
        {"role": "elu", "commune_query": "Charenton-le-Pont", "consent": "oui",
         "action": "suivant"},
    )  # fmt: skip
    assert (status, location) == (303, f"/diagnostic/{token}/etape/2/")
    # Back on A, the link resumes where B left it, with B's answers.
    status, location, _ = mayor.request(f"{cluster.a}/diagnostic/{token}/")
    assert (status, location) == (302, f"/diagnostic/{token}/etape/2/")
    status, _, body = mayor.request(f"{cluster.a}/diagnostic/{token}/etape/1/")
    assert status == 200 and "Charenton-le-Pont" in body


def test_emails_enqueued_by_one_server_are_sent_once_by_two_workers(cluster):
    assert cluster.live_workers() == 2
    mayor = Browser("203.0.113.30")
    status, location = mayor.start_diagnostic(cluster.a)
    token = location.split("/")[2]
    addresses = [f"elu{n}@example.org" for n in range(12)]
    for address in addresses:
        status, _, _ = mayor.request(
            f"{cluster.a}/diagnostic/{token}/envoyer-le-lien/", {"email": address, "etape": "1"}
        )
        assert status == 303

    until(
        lambda: len(cluster.mailbox.recipients) >= len(addresses),
        lambda: f"every e-mail (sent: {cluster.mailbox.recipients}, jobs: {cluster.mail_jobs()})",
    )
    # A job is deleted only once its e-mail is sent: a second sending would be in the
    # mailbox by the time the queue is empty.
    until(
        lambda: not cluster.mail_jobs(),
        "every job done",
    )
    assert sorted(cluster.mailbox.recipients) == sorted(addresses)

    # The processes' production logs (JSON lines): the request that enqueued each job
    # is found by its id, each job was started once, and no address is written.
    logs = "".join(process.log.read_text() for process in cluster.processes)
    assert not [address for address in addresses if address in logs]
    lines = [json.loads(text) for text in logs.splitlines() if text.startswith("{")]
    posts = {
        line["request_id"]
        for line in lines
        if line["logger"] == "rameau.requests" and line["path"].endswith("/envoyer-le-lien/")
    }
    deferred = [line for line in lines if line.get("action") == "jobs_deferred"]
    assert len(posts) == len(addresses) and {line["request_id"] for line in deferred} == posts
    started = [line["job"]["id"] for line in lines if line.get("action") == "start_job"]
    mail_ids = [job["id"] for line in deferred for job in line["jobs"]]
    assert sorted(job for job in started if job in mail_ids) == sorted(mail_ids)
    # The workers' lines of each job (its start and its end) carry the id of the request
    # that deferred it.
    deferred_by = {job["id"]: line["request_id"] for line in deferred for job in line["jobs"]}
    for action in ("start_job", "job_success"):
        worker = {line["job"]["id"]: line["request_id"] for line in lines
                  if line.get("action") == action and line["job"]["id"] in deferred_by}  # fmt: skip
        assert worker == deferred_by, action


def test_each_server_has_its_own_control_socket(cluster):
    webs = [process for process in cluster.processes if process.log.name.startswith("web-")]
    sockets = {
        line.rsplit(" ", 1)[-1]
        for process in webs
        for line in process.log.read_text().splitlines()
        if "Control socket listening at" in line
    }
    assert len(webs) == len(sockets) == 2  # gunicorn.conf.py: one per PORT
