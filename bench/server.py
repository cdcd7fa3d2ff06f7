"""The servers `make bench` runs and watches: its environment (production settings, a
database of its own), gunicorn with the committed gunicorn.conf.py, its workers' CPU
time and memory."""

import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


BENCH_DATABASE = "rameau_bench"


SMALL_DATABASE = "rameau_bench_petit"  # --small: its own rows, never mixed with the 100k


CSRF_SECRET = secrets.token_hex(16)  # 32 characters, as Django's CSRF secrets


CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2


# gunicorn writes which worker (pid) served each query, for the library-edit row.
ACCESS_LOG_FORMAT = "%(p)s %(s)s %(r)s"  # "<pid> 200 GET /path?query HTTP/1.1"


def bench_env(database: str = BENCH_DATABASE) -> dict[str, str]:
    """Production settings; on the embedded server, a database of its own so that the
    scale data never mixes with the demo content."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    if not env.get("DATABASE_URL"):
        from rameau_site import embedded_db

        embedded_db.start(database=database)
        env["RAMEAU_EMBEDDED_DB_NAME"] = database
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ROOT_URLCONF="bench.urls",
        DJANGO_STATIC_ROOT=str(BASE_DIR / "var" / "bench-static"),
        # Every virtual user of the journeys comes from 127.0.0.1.
        DIAGNOSTIC_STARTS_PER_HOUR="1000000",
        DIAGNOSTIC_EMAILS_PER_HOUR="1000000",  # the resume links of the two-server row
        # gunicorn's access log (below) records each request; no JSON line on stderr.
        RAMEAU_REQUEST_LOG="0",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def generated(env: dict[str, str], *args: str) -> dict:
    """Run a data generator that prints, on its last line, the JSON of what to measure."""
    output = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(output.splitlines()[-1])


def server_config(env: dict[str, str]) -> dict[str, str]:
    """gunicorn's settings as resolved from gunicorn.conf.py and GUNICORN_CMD_ARGS."""
    output = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--print-config",
         "rameau_site.wsgi"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    settings = {}
    for line in output.splitlines():
        name, _, value = line.partition("=")
        settings[name.strip()] = value.strip()
    return settings


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn s'est arrêté au démarrage.")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} ne répond pas après 30 s.")


def cpu_ticks(pids: list[int]) -> int:
    """The CPU time (user + system, in clock ticks) the processes have used so far."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total


def download(url: str) -> tuple[int, float]:
    """Read a (streamed) download to the end: its lines and the time taken."""
    started = time.monotonic()
    lines = 0
    with urllib.request.urlopen(url, timeout=600) as response:
        for _ in response:
            lines += 1
    return lines - 1, time.monotonic() - started


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def worker_peak_memory_mb(server: subprocess.Popen) -> float:
    """Largest resident set reached by any gunicorn worker (VmHWM), in MB."""
    peak = 0
    for pid in worker_pids(server):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peak = max(peak, int(match.group(1)))
    return peak / 1024


def stop(*processes: subprocess.Popen) -> None:
    """Ask each process to stop (gunicorn then finishes its requests), and kill what is
    still running 30 seconds later (a loaded machine can take longer than that)."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_server(env: dict[str, str], port: int, access_log: Path | None = None, stderr=None):
    """gunicorn with the repository's gunicorn.conf.py on a port of 127.0.0.1."""
    log = ["--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT]
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "rameau_site.wsgi",
         *(log if access_log else []), "--log-level", "warning"],
        cwd=BASE_DIR, env=env | {"HOST": "127.0.0.1", "PORT": str(port)}, stderr=stderr,
    )  # fmt: skip
