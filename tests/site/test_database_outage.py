"""The site on its own embedded PostgreSQL, served by gunicorn: stop the database,
the pages answer a French 503 quickly; start it again, the site recovers without a
restart. Everything here is real: processes, sockets, server."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from rameau_site import embedded_db

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body, status, reply_headers = (
                response.read().decode(),
                response.status,
                response.headers,
            )
    except urllib.error.HTTPError as error:
        body, status, reply_headers = error.read().decode(), error.code, error.headers
    return status, body, reply_headers, time.monotonic() - started


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read().decode()
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within 30 s")


def admin_login_attempt(base: str):
    """POST the admin login form: a page that must query the database."""
    status, body, headers, _ = fetch(base + "/admin/login/")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";")[0]
    token = cookie.split("=", 1)[1]
    form = urllib.parse.urlencode(
        {"username": "personne", "password": "mauvais", "csrfmiddlewaretoken": token}
    ).encode()
    return fetch(base + "/admin/login/", data=form, headers={"Cookie": cookie})


@pytest.fixture
def outage_site(tmp_path):
    pgdata = tmp_path / "pgdata"
    embedded_db.start(pgdata=pgdata, database="outage")
    socket_dir = urllib.parse.quote(str(embedded_db.socket_dir(pgdata)), safe="")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=f"postgres://postgres@{socket_dir}/outage",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="outage-test-key-" + "y" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=os.environ["DJANGO_STATIC_ROOT"],
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "rameau_site.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "30"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/sante/", server)
        yield base, pgdata
    finally:
        server.terminate()
        server.wait(timeout=10)
        embedded_db.stop(pgdata)


def test_database_outage_gives_french_503_and_the_site_recovers(outage_site):
    base, pgdata = outage_site
    assert fetch(base + "/sante/")[0] == 200
    assert admin_login_attempt(base)[0] == 200  # wrong password: the form again

    embedded_db.stop(pgdata)

    status, body, _, elapsed = fetch(base + "/sante/")
    assert status == 503
    assert '"statut": "indisponible"' in body
    assert elapsed < 1
    status, body, headers, elapsed = admin_login_attempt(base)
    assert status == 503
    assert "Le service est momentanément indisponible" in body
    assert headers["Retry-After"] == "30"
    assert elapsed < 1
    status, body, _, _ = fetch(base + "/")
    assert status == 200  # pages that need no database still work

    embedded_db.start(pgdata=pgdata, database="outage")

    assert fetch(base + "/sante/")[0] == 200
    assert admin_login_attempt(base)[0] == 200
