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
    for command in (["migrate", "--noinput"], ["createcachetable"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
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
    status, body, _, _ = fetch(base + "/accessibilite/")
    assert status == 200  # pages that need no database still work
    status, body, _, _ = fetch(base + "/")  # its key figures are observations
    assert status == 503 and "momentanément indisponible" in body

    embedded_db.start(pgdata=pgdata, database="outage")

    assert fetch(base + "/sante/")[0] == 200
    assert admin_login_attempt(base)[0] == 200


CSRF = "0123456789abcdef0123456789abcdef"  # a CSRF secret of the test's own


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 303 itself is the answer


def post(base: str, path: str, fields: dict):
    """POST a form (with a CSRF cookie and token), without following the redirect."""
    data = urllib.parse.urlencode(fields | {"csrfmiddlewaretoken": CSRF}, doseq=True).encode()
    request = urllib.request.Request(
        base + path, data=data, headers={"Cookie": f"__Host-csrftoken={CSRF}"}
    )
    started = time.monotonic()
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            status, location = response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
    return status, location, time.monotonic() - started


def test_a_diagnostic_taken_across_an_outage_loses_nothing_and_half_writes_nothing(outage_site):
    """The database stops while a mayor is between two steps and while visitors search:
    every answer is a 200, a 303 or a French 503 given within a second; the step sent
    during the outage is not half saved; once the database is back, the same server
    takes the rest of the diagnostic to its results."""
    import json

    base, pgdata = outage_site
    questionnaire = json.loads(fetch(base + "/diagnostic/questionnaire.json")[1])
    status, location, _ = post(base, "/diagnostic/", {})
    assert status == 303
    step = location.rsplit("/etape/", 1)[0] + "/etape/"
    profile = {"role": "elu", "commune_query": "Charenton-le-Pont", "consent": "oui",
               "action": "suivant"}  # fmt: skip
    assert post(base, step + "1/", profile)[0] == 303

    def axis_answers(axis):
        answers = {"version": questionnaire["version"], "action": "suivant"}
        for question in axis["questions"]:
            graded = [c for c in question["reponses"] if c["points"] == 2]
            answers[f"q{question['id']}"] = (
                graded[0]["id"] if graded else question["reponses"][0]["id"]
            )
        return answers

    embedded_db.stop(pgdata)
    during = [post(base, step + "2/", axis_answers(questionnaire["axes"][0]))]
    during += [fetch(base + "/ressources/?q=alliance")[::3] for _ in range(3)]
    during += [fetch(base + step.replace("/etape/", "/resultats/"))[::3]]
    for status, *rest in during:
        elapsed = rest[-1]
        assert status == 503, during
        assert elapsed < 1, during

    embedded_db.start(pgdata=pgdata, database="outage")

    # Nothing of the step sent during the outage was kept: the step is still to answer.
    status, body, _, _ = fetch(base + step + "2/")
    assert status == 200
    assert " checked" not in body
    for number, axis in enumerate(questionnaire["axes"], start=2):
        status, location, _ = post(base, f"{step}{number}/", axis_answers(axis))
        assert status == 303, (number, status)
    assert location.endswith("/resultats/")
    status, body, _, _ = fetch(base + location)
    assert status == 200 and "Vos résultats" in body
