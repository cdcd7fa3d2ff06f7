"""Serve the site with gunicorn and the production settings of gunicorn.conf.py, load
each key page with wrk beside the bare-Django floor view measured in the same run, time
the searches that follow a library edit, then run the locust journeys, on this server
and then on two app servers with a task worker. Prints the
pages, then one row per goal, and exits non-zero when a goal is missed.

    python -m bench.run [--duration 5] [--connections 8] [--only NAME ...]
"""

import argparse
import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from statistics import median
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    min_ratio: float | None = None  # of the floor's throughput; None: no goal
    max_p95_ms: float | None = None
    bust_cache: bool = False  # a random parameter on every request: no cache hit
    post_body: str = ""  # a form POST (with a CSRF cookie and token) instead of a GET

    @property
    def latency_only(self) -> bool:
        """A row with only a latency goal is loaded by one connection per CPU: it
        measures a request's time, not the queue in front of the workers."""
        return self.min_ratio is None and self.max_p95_ms is not None


# The phrase row: two words that are each in nearly every generated row (an adjective
# and a verb of generate_scale_data's vocabulary), the phrase in about 40 % of them.
PHRASE = '"solidaire mobilise"'
FLOOR = Page("plancher (Django nu)", "/_bench/plancher/")
# The generated resources are published; the detail page is one in the middle.
PAGES = [
    Page("accueil", "/", 0.5),
    Page("santé", "/sante/", 0.5),
    Page("fiche ressource", "/ressources/test-echelle-500/", 0.5),
    Page("catalogue", "/ressources/", 0.3),
    Page(
        "catalogue filtré + recherche",
        "/ressources/?q=partenariat+collective&public=collectivites&usage=evaluer&tri=pertinence",
        0.3,
    ),
    Page("recherche fréquente, sans cache", "/ressources/?q=alliance", 0.2, 50, bust_cache=True),
    Page("phrase fréquente, sans cache", f"/ressources/?q={quote(PHRASE)}", None, 100, True),
    Page("cas pratiques", "/cas-pratiques/?taille=moins-de-2000", 0.3),
    Page("API ressources", "/api/ressources/?public=entreprises", 0.3),
    # {step}, {results}, {body}: filled from generate_diagnostic_data's output.
    Page("diagnostic : étape (GET)", "/diagnostic/{step}/etape/2/", 0.5),
    Page("diagnostic : étape (POST)", "/diagnostic/{step}/etape/2/", 0.25, post_body="{body}"),
    Page("diagnostic : résultats", "/diagnostic/{results}/resultats/", 0.3),
    # {organiser}: generate_campaign_data's campaign of 1,000 participants (10,000 others).
    Page("diagnostic partagé : organisateur", "{organiser}", 0.3),
    Page("diagnostic partagé : synthese.json", "{synthesis}", 0.3),
    # {use}, {parcours_progress}, {goal}: generate_kit_data's output (#15).
    Page("kit : un usage", "{use}", 0.5),
    Page("parcours avec progression", "{parcours_progress}", 0.5),
    Page("ODD : un objectif", "{goal}", 0.5),
    # {directory}, {directory_filtered}: generate_network_data's 10,000 profiles (#17).
    Page("réseau : annuaire", "{directory}", 0.5),
    Page("réseau : annuaire filtré", "{directory_filtered}", 0.3),
    # {agenda}, {agenda_page}, {event}: generate_event_data's 10,000 events (#17).
    Page("agenda", "{agenda}", 0.5),
    Page("agenda : page 10", "{agenda_page}", 0.5),
    Page("agenda : un événement", "{event}", 0.5),
    Page("observatoire", "/observatoire/", 0.5),
    Page("observatoire : indicateur", "/observatoire/indicateurs/test-echelle-{indicator}/", 0.5),
]
CSV_PATH = "/observatoire/donnees.csv"  # fmt: skip


@dataclass
class Result:
    page: Page
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    ratio: float | None = None
    connections: int = 0
    memory_mb: float = 0.0  # peak resident memory of a worker once this page was loaded
    # A row with a throughput goal and a latency goal: the p95 of a second load, one
    # connection per CPU (as the latency-only rows). Under the throughput load's 8
    # connections a request mostly waits for the others (p95 ~ 8 / req/s): that p95
    # says the throughput again, not how long one visitor waits.
    unqueued: "Result | None" = None

    @property
    def missed(self) -> bool:
        return not all(goal.met for goal in self.goals())

    @property
    def goal(self) -> str:
        goals = []
        if self.page.min_ratio is not None:
            goals.append(f">={self.page.min_ratio:.2f}")
        if self.page.max_p95_ms is not None:
            goals.append(f"p95<={self.page.max_p95_ms:.0f}")
        return " ".join(goals) or "-"

    def goals(self) -> list["Goal"]:
        """One goal per row and measure; an error fails each of them."""
        errors = f", {self.errors} erreurs" if self.errors else ""
        goals = []
        if self.page.min_ratio is not None:
            ratio = self.ratio or 0
            goals.append(Goal(
                f"{self.page.name} : débit", f">= {self.page.min_ratio:.2f} x le plancher",
                f"{ratio:.2f} x{errors}", ratio >= self.page.min_ratio and not self.errors,
            ))  # fmt: skip
        if self.page.max_p95_ms is not None:
            latency = self.unqueued or self
            measured = f"{latency.p95_ms:.1f} ms{errors}"
            if self.unqueued:
                measured += f" ({CPUS} connexions ; {self.p95_ms:.0f} ms à {self.connections})"
            goals.append(Goal(
                f"{self.page.name} : p95", f"<= {self.page.max_p95_ms:.0f} ms", measured,
                latency.p95_ms <= self.page.max_p95_ms and not self.errors and not latency.errors,
            ))  # fmt: skip
        return goals


@dataclass
class Goal:
    name: str
    target: str
    measured: str
    met: bool


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


def drain(base: str) -> None:
    """Wait until requests left over by the previous load are served (the floor view
    answers quickly again), so that one page's backlog is not charged to the next."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        urllib.request.urlopen(base + FLOOR.path, timeout=120).read()
        if time.monotonic() - started < 0.05:
            return


def cpu_ticks(pids: list[int]) -> int:
    """The CPU time (user + system, in clock ticks) the processes have used so far."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total


def settle(base: str, server: subprocess.Popen) -> None:
    """drain(), then wait until the workers are idle (under 5 % of a CPU for 0.4 s):
    with threads the floor view answers while other threads still serve the requests
    a load left queued when it stopped (a search row's, for seconds), and those would
    be charged to the next row. The first full run with this bench's rows measured the
    step page at 159 req/s after the searches and 407 req/s alone."""
    drain(base)
    pids = worker_pids(server)
    ticks_per_second = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        before = cpu_ticks(pids)
        time.sleep(0.4)
        if (cpu_ticks(pids) - before) / ticks_per_second <= 0.05 * 0.4:
            return


def run_wrk(base: str, page: Page, duration: int, connections: int) -> Result:
    if page.latency_only:
        connections = CPUS
    script = str(BASE_DIR / "bench" / "report.lua")
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", script]
    command.append(base + page.path)
    env = os.environ | {
        "BENCH_BUST_CACHE": "1" if page.bust_cache else "0",
        "BENCH_POST_BODY": page.post_body,
        "BENCH_CSRF": CSRF_SECRET,
    }
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    rps, p50, p95, p99, longest, errors = line.split()[1:]
    # No answer within the duration (every request slower than it) counts as an error.
    errors = int(errors) or int(float(rps) == 0)
    return Result(
        page, float(rps), float(p50), float(p95), float(p99), float(longest), errors,
        connections=connections,
    )  # fmt: skip


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


# The row "after a library edit": an uncached search, the first requests of each worker
# after the edit (their worst is the goal), and all those of a window long enough for
# every worker to rebuild its index in the background (2.6 s each at 100k resources).
EDIT_SEARCH = "/ressources/?q=alliance"
EDIT_FIRST = 5  # requests of each worker
EDIT_MAX_MS = 100
EDIT_SECONDS = 10


@dataclass
class Edit:
    first_ms: dict[int, list[float]]  # worker pid -> its first requests after the edit
    all_ms: list[float]
    workers: int
    errors: int
    version: dict = field(default_factory=dict)
    before_ms: list[float] = field(default_factory=list)  # the same searches, before

    @property
    def worst_first_ms(self) -> float:
        return max((ms for first in self.first_ms.values() for ms in first), default=0.0)

    def percentile(self, share: float) -> float:
        times = sorted(self.all_ms)
        return times[min(len(times) - 1, int(share * len(times)))] if times else 0.0

    def goal(self) -> Goal:
        problems = []
        if self.version.get("after") == self.version.get("before"):
            problems.append("la version de la bibliothèque n'a pas changé")
        if len(self.first_ms) < self.workers:
            problems.append(f"{len(self.first_ms)} workers sur {self.workers} mesurés")
        if self.errors:
            problems.append(f"{self.errors} erreurs")
        measured = f"pire {self.worst_first_ms:.0f} ms" + "".join(f", {p}" for p in problems)
        measured += f" (avant : pire {max(self.before_ms, default=0):.0f} ms)"
        return Goal(
            "1res requêtes après une modification", f"<= {EDIT_MAX_MS} ms", measured,
            self.worst_first_ms <= EDIT_MAX_MS and not problems,
        )  # fmt: skip


def time_searches(
    base: str, seconds: float, clients: int = CPUS
) -> tuple[list[tuple[float, float, str]], int]:
    """Uncached searches from `clients` clients, back to back for `seconds`: for each,
    when it was sent, its time in ms and its token (in the access log); and the errors."""
    timings: list[tuple[float, float, str]] = []
    errors = 0
    stop = time.monotonic() + seconds

    def client():
        nonlocal errors
        while time.monotonic() < stop:
            token = secrets.token_hex(8)
            started = time.perf_counter()
            try:
                urllib.request.urlopen(f"{base}{EDIT_SEARCH}&_essai={token}", timeout=30).read()
            except OSError:
                errors += 1
                continue
            timings.append((started, (time.perf_counter() - started) * 1000, token))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors


def warm_every_worker(base: str, server: subprocess.Popen, access_log: Path) -> None:
    """Until every worker has answered an uncached search in under a second: each one
    builds its search index on its first search (seconds at 100k resources), which no
    row should measure. With threads, the floor view answers while a worker still
    builds, so the drain before each row cannot wait for it."""
    workers = set(worker_pids(server))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        log_start = access_log.stat().st_size
        timings, _ = time_searches(base, 2, clients=2 * len(workers))
        served_by = served_by_worker(access_log, log_start)
        quick = {served_by.get(token) for _, ms, token in timings if ms < 1000}
        if workers <= quick:
            return
    raise SystemExit("Des workers n'ont pas construit leur index de recherche en 5 minutes.")


def served_by_worker(access_log: Path, start: int) -> dict[str, int]:
    """Which worker (pid) served each search token, from the access log after `start`."""
    served_by = {}
    with open(access_log, encoding="utf-8", errors="replace") as log:
        log.seek(start)
        for line in log:
            match = re.match(r"<(\d+)> \d+ .*_essai=(\w+)", line)
            if match:
                served_by[match.group(2)] = int(match.group(1))
    return served_by


def after_library_edit(
    base: str, env: dict[str, str], server: subprocess.Popen, access_log: Path
) -> Edit:
    """Edit the library while the server runs (bench/edit_library.py), then time
    uncached searches from one client per CPU; the access log says which worker served
    each one. The same searches before the edit give the usual time, for comparison."""
    warm_every_worker(base, server, access_log)
    drain(base)
    before, _ = time_searches(base, 3)
    log_start = access_log.stat().st_size
    edit = subprocess.run(
        [sys.executable, "-m", "bench.edit_library"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    version = json.loads(edit.stdout.splitlines()[-1])
    timings, errors = time_searches(base, EDIT_SECONDS)
    served_by = served_by_worker(access_log, log_start)
    first_ms: dict[int, list[float]] = {}
    for _, ms, token in sorted(timings):
        pid = served_by.get(token)
        if pid is not None and len(first_ms.setdefault(pid, [])) < EDIT_FIRST:
            first_ms[pid].append(ms)
    return Edit(
        first_ms, [ms for _, ms, _ in timings], len(worker_pids(server)), errors, version,
        before_ms=[ms for _, ms, _ in before],
    )  # fmt: skip


@dataclass
class Journey:
    users: int
    seconds: int
    requests: int
    failures: int
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    check: str  # what the database check printed
    complete: bool  # every diagnostic completed by a journey is in the database
    missing: int  # diagnostics completed by a journey and not in the database
    label: str = ""  # the row's setting, e.g. "deux serveurs + un worker"
    mails_asked: int | None = None  # resume links asked by e-mail (the two-server row)
    mails_missing: int = 0  # asked and never received by the SMTP server
    mails_duplicated: int = 0  # received more than once

    MAX_P95_MS = 150
    MAX_P99_MS = 500

    @property
    def missed(self) -> bool:
        return not all(goal.met for goal in self.goals())

    def goals(self) -> list[Goal]:
        name = f"parcours locust ({self.users} visiteurs, {self.seconds} s{self.label})"
        goals = [
            Goal(f"{name} : p95", f"<= {self.MAX_P95_MS} ms", f"{self.p95_ms:.0f} ms",
                 self.p95_ms <= self.MAX_P95_MS),
            Goal(f"{name} : p99", f"<= {self.MAX_P99_MS} ms", f"{self.p99_ms:.0f} ms",
                 self.p99_ms <= self.MAX_P99_MS),
            Goal(f"{name} : échecs", "0", str(self.failures), not self.failures),
            Goal(f"{name} : diagnostics manquants", "0", str(self.missing), self.complete),
        ]  # fmt: skip
        if self.mails_asked is not None:
            wrong = self.mails_missing + self.mails_duplicated
            goals.append(Goal(
                f"{name} : e-mails envoyés une fois", f"{self.mails_asked} sur {self.mails_asked}",
                f"{self.mails_missing} manquants, {self.mails_duplicated} en double",
                self.mails_asked > 0 and not wrong,
            ))  # fmt: skip
        return goals


def run_journey(
    base: str, env: dict[str, str], users: int, seconds: int, hosts: list[str] | None = None
) -> Journey:
    """The locust journeys (bench/journey.py): `users` visitors for `seconds` seconds,
    then the check that every diagnostic they completed is in the database. With
    `hosts`, each visitor takes the servers in turn and asks for its resume link by
    e-mail (the addresses are in the returned journey's work directory)."""
    work = BASE_DIR / "var" / "bench-journey"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    tokens = work / "diagnostics.txt"
    journey_env = env | {"BENCH_CSRF": CSRF_SECRET, "BENCH_JOURNEY_TOKENS": str(tokens)}
    if hosts:
        journey_env |= {"BENCH_HOSTS": ",".join(hosts), "BENCH_JOURNEY_MAILS": str(MAILS_FILE)}
    locust = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(BASE_DIR / "bench" / "journey.py"),
         "--headless", "--users", str(users), "--spawn-rate", str(max(users // 2, 1)),
         "--run-time", f"{seconds}s", "--stop-timeout", "60", "--host", base,
         "--only-summary", "--csv", str(work / "locust"), "--exit-code-on-error", "0",
         "--loglevel", "WARNING"],
        cwd=BASE_DIR, env=journey_env, capture_output=True, text=True,
    )  # fmt: skip
    if locust.returncode:
        raise SystemExit(f"locust a échoué :\n{locust.stderr[-3000:]}")
    with open(work / "locust_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    slowest = sorted((r for r in rows if r["Name"] != "Aggregated"),
                     key=lambda r: float(r["95%"] or 0), reverse=True)[:4]  # fmt: skip
    check = subprocess.run(
        [sys.executable, "-m", "bench.check_journey", str(tokens)],
        cwd=BASE_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
    printed = check.stdout.strip() or check.stderr.strip()[-500:]
    missing = re.search(r"manquants : (\d+)", printed)
    detail = "\n".join(
        f"  {r['Name']:<44} {r['Request Count']:>6} req  p50 {r['50%']:>5} ms  "
        f"p95 {r['95%']:>5} ms  p99 {r['99%']:>5} ms" for r in slowest
    )  # fmt: skip
    return Journey(
        users, seconds, int(total["Request Count"]), int(total["Failure Count"]),
        float(total["Requests/s"]), float(total["50%"]), float(total["95%"]),
        float(total["99%"]), f"{printed}\nLes plus lentes (p95) :\n{detail}",
        check.returncode == 0, int(missing.group(1)) if missing else -1,
    )  # fmt: skip


MAILS_FILE = BASE_DIR / "var" / "bench-journey" / "mails.txt"


class SmtpCounter:
    """A real SMTP server on a free port of 127.0.0.1 (aiosmtpd, a dev dependency) that
    counts the messages it receives per recipient."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.received: Counter[str] = Counter()
        counter = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd)
                counter.received.update(address.lower() for address in envelope.rcpt_tos)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


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


def run_two_servers_journey(env: dict[str, str], users: int, seconds: int) -> Journey:
    """The journeys served by two app servers (two gunicorns of gunicorn.conf.py, as two
    machines behind a proxy would run them) and one task worker, around the one
    database; the e-mails go through the worker to a local SMTP server that counts them."""
    # The processes' own log lines (the queue's JSON lines) go to a file, not the table.
    log = (BASE_DIR / "var" / "bench-two-servers.log").open("w")
    with SmtpCounter() as smtp, log:
        served = env | {"DJANGO_EMAIL_HOST": "127.0.0.1", "DJANGO_EMAIL_PORT": str(smtp.port)}
        ports = [free_port(), free_port()]
        access_logs = [BASE_DIR / "var" / f"bench-access-{port}.log" for port in ports]
        servers = [
            start_server(served, port, access, stderr=log)
            for port, access in zip(ports, access_logs, strict=True)
        ]
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker"],
            cwd=BASE_DIR, env=served, stdout=log, stderr=log,
        )  # fmt: skip
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            # As the one-server row: every worker builds its search index before the
            # visitors come (the first run had 4 cold workers: p95 26 s, 11 failures).
            for base, server, access in zip(bases, servers, access_logs, strict=True):
                wait_until_up(base + FLOOR.path, server)
                warm_every_worker(base, server, access)
            journey = run_journey(bases[0], served, users, seconds, hosts=bases)
            asked = Counter(MAILS_FILE.read_text().split()) if MAILS_FILE.exists() else Counter()
            deadline = time.monotonic() + 60  # the worker sends what is left in the queue
            while time.monotonic() < deadline and set(asked) - set(smtp.received):
                time.sleep(0.5)
            time.sleep(2)  # a duplicate would come now
        finally:
            stop(*servers, worker)
            for access in access_logs:
                access.unlink(missing_ok=True)
        journey.label = ", 2 serveurs + worker"
        journey.mails_asked = sum(asked.values())
        journey.mails_missing = len(set(asked) - set(smtp.received))
        journey.mails_duplicated = sum(
            count - asked[address] for address, count in smtp.received.items() if address in asked
            and count > asked[address]
        )  # fmt: skip
    return journey


@dataclass
class Digest:
    """One alerts digest run over many subscriptions (bench/digest.py, #17)."""

    subscriptions: int
    checked: int
    sent: int
    seconds: float
    rss_before_mb: float
    rss_after_mb: float

    # Flat memory: the run ends within 5 % of the process's peak before it.
    MAX_GROWTH = 1.05

    def goals(self) -> list[Goal]:
        name = f"digest, {self.subscriptions} abonnements"
        return [
            Goal(f"{name} : tous vus", str(self.subscriptions), str(self.checked),
                 self.checked == self.subscriptions),
            Goal(f"{name} : mémoire", "stable (<= +5 %)",
                 f"{self.rss_before_mb:.0f} -> {self.rss_after_mb:.0f} Mo",
                 self.rss_after_mb <= self.rss_before_mb * self.MAX_GROWTH),
        ]  # fmt: skip


def run_digest(env: dict[str, str], subscriptions: int) -> Digest:
    output = subprocess.run(
        [sys.executable, "-m", "bench.digest", "--subscriptions", str(subscriptions)],
        cwd=BASE_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if not output.stdout.strip():
        raise SystemExit(f"bench.digest a échoué :\n{output.stderr[-3000:]}")
    found = json.loads(output.stdout.splitlines()[-1])
    return Digest(
        found["subscriptions"], found["checked"], found["sent"], found["seconds"],
        found["max_rss_mb_before"], found["max_rss_mb_after"],
    )  # fmt: skip


def print_journey(journey: Journey) -> None:
    flag = "  ÉCHEC" if journey.missed else ""
    mails = (
        f"\nRappels de lien demandés par e-mail : {journey.mails_asked} ; manquants : "
        f"{journey.mails_missing} ; en double : {journey.mails_duplicated}"
        if journey.mails_asked is not None
        else ""
    )
    print(
        f"\nParcours locust ({journey.users} visiteurs, {journey.seconds} s{journey.label}) : "
        f"{journey.requests} requêtes, {journey.requests_per_second:.0f} req/s, "
        f"{journey.failures} échecs, p50 {journey.p50_ms:.0f} ms, p95 {journey.p95_ms:.0f} ms, "
        f"p99 {journey.p99_ms:.0f} ms{flag}"
    )
    print(journey.check + mails)


def print_table(results: list[Result], memory_mb: float, edit: Edit | None) -> None:
    header = (
        f"{'page':<38} {'req/s':>8} {'ratio':>6} {'objectif':>16} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'erreurs':>7} {'Mo':>5}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = "-" if r.ratio is None else f"{r.ratio:.2f}"
        flag = "  ÉCHEC" if r.missed else ""
        decimals = 0 if r.requests_per_second >= 10 else 1
        print(
            f"{r.page.name:<38} {r.requests_per_second:>8.{decimals}f} {ratio:>6} {r.goal:>16} "
            f"{r.p50_ms:>7.1f} {r.p95_ms:>7.1f} {r.p99_ms:>7.1f} {r.max_ms:>7.1f} {r.errors:>7} "
            f"{r.memory_mb:>5.0f}{flag}"
        )
    if edit:
        flag = "" if edit.goal().met else "  ÉCHEC"
        print(
            f"{'après une modification (fenêtre)':<38} {'-':>8} {'-':>6} "
            f"{f'1res<={EDIT_MAX_MS}':>16} {edit.percentile(0.5):>7.1f} "
            f"{edit.percentile(0.95):>7.1f} {edit.percentile(0.99):>7.1f} "
            f"{max(edit.all_ms, default=0):>7.1f} {edit.errors:>7} {'':>5}{flag}"
        )
    print(
        "\nMo : mémoire maximale atteinte par un worker gunicorn (VmHWM) après la page ; "
        f"en fin de mesure : {memory_mb:.0f} Mo"
    )
    if edit:
        firsts = " ; ".join(
            f"{pid} : {', '.join(f'{ms:.0f}' for ms in times)}"
            for pid, times in sorted(edit.first_ms.items())
        )
        print(
            f"Après une modification de la bibliothèque (version {edit.version.get('before')} → "
            f"{edit.version.get('after')}) : {len(edit.all_ms)} recherches sans cache en "
            f"{EDIT_SECONDS} s par {CPUS} clients ; les {EDIT_FIRST} premières de chaque worker "
            f"(ms) : {firsts or 'aucune'} ; avant la modification, {len(edit.before_ms)} "
            f"recherches en 3 s : p50 {median(edit.before_ms or [0]):.0f} ms, pire "
            f"{max(edit.before_ms, default=0):.0f} ms"
        )


def print_goals(goals: list[Goal]) -> None:
    header = f"{'objectif':<58} {'cible':>22}  {'résultat':<8}  mesuré"
    print(f"\n{header}\n{'-' * (len(header) + 20)}")
    for goal in goals:
        status = "atteint" if goal.met else "ÉCHEC"
        print(f"{goal.name:<58} {goal.target:>22}  {status:<8}  {goal.measured}")


def collect_goals(
    results: list[Result], edit: Edit | None, *journeys: Journey | None
) -> list[Goal]:
    """Every goal of the run, in the order printed: the pages' (the floor first, which
    has none but must answer without errors), the library edit's, the journeys'."""
    floor, *pages = results
    goals = [Goal(f"{FLOOR.name} : erreurs", "0", str(floor.errors), False)] if floor.errors else []
    goals += [goal for result in pages for goal in result.goals()]
    if edit:
        goals.append(edit.goal())
    for journey in journeys:
        if journey:
            goals.extend(journey.goals())
    return goals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=5, help="secondes de charge par page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", nargs="*", help="noms de pages à mesurer (défaut : toutes)")
    parser.add_argument("--resources", type=int, default=100_000, help="ressources générées")
    parser.add_argument("--responses", type=int, default=100_000, help="diagnostics générés")
    parser.add_argument("--observations", type=int, default=100_000, help="observations")
    parser.add_argument("--participants", type=int, default=1_000, help="d'un diagnostic partagé")
    parser.add_argument("--campaigns", type=int, default=10_000, help="autres diagnostics partagés")
    parser.add_argument("--profiles", type=int, default=10_000, help="fiches de l'annuaire")
    parser.add_argument("--events", type=int, default=10_000, help="événements de l'agenda")
    parser.add_argument("--small", action="store_true", help="jeu réduit : 5 000 de chaque")
    parser.add_argument("--journey-users", type=int, default=50, help="visiteurs locust")
    parser.add_argument("--journey-seconds", type=int, default=60, help="durée des parcours")
    parser.add_argument("--no-journey", action="store_true", help="sans les parcours locust")
    parser.add_argument("--no-edit", action="store_true", help="sans la modification en charge")
    parser.add_argument("--subscriptions", type=int, default=100_000, help="alertes du digest")
    parser.add_argument("--no-digest", action="store_true", help="sans le digest des alertes")
    parser.add_argument(
        "--no-two-servers",
        action="store_true",
        help="sans les parcours servis par deux serveurs et un worker",
    )
    args = parser.parse_args(argv)
    database = BENCH_DATABASE
    if args.small:
        args.resources = args.responses = args.observations = 5_000
        args.campaigns = args.profiles = args.events = 500
        args.subscriptions = 5_000
        database = SMALL_DATABASE

    if not shutil.which("wrk"):
        raise SystemExit("wrk est introuvable : installez-le (Debian : apt-get install wrk).")

    env = bench_env(database)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "generate_scale_data", "--resources", str(args.resources))
    diagnostics = generated(env, "generate_diagnostic_data", "--responses", str(args.responses))
    manage(env, "generate_observations", "--observations", str(args.observations))
    campaign = generated(env, "generate_campaign_data", "--participants",
                         str(args.participants), "--campaigns", str(args.campaigns))  # fmt: skip
    kit = generated(env, "generate_kit_data")
    network = generated(env, "generate_network_data", "--profiles", str(args.profiles))
    agenda = generated(env, "generate_event_data", "--events", str(args.events))
    print(
        f"Jeu de données : {args.resources} ressources, {args.responses} diagnostics "
        f"terminés et {args.observations} observations générés (base {database})."
    )
    fill = {"step": diagnostics["step_token"], "results": diagnostics["results_token"],
            "body": diagnostics["step_body"],
            "organiser": campaign["organiser_page"], "synthesis": campaign["synthese_json"],
            "use": kit["use_page"], "parcours_progress": kit["progress_page"],
            "goal": kit["goal_page"], "directory": network["directory"],
            "directory_filtered": network["directory_filtered"],
            "agenda": agenda["agenda"], "agenda_page": agenda["agenda_page"],
            "event": agenda["event"],
            # One in the middle: generate_observations makes one indicator per 1,000 rows.
            "indicator": f"{min(42, args.observations // 2000):04d}"}  # fmt: skip
    pages = [
        replace(p, path=p.path.format(**fill), post_body=p.post_body.format(**fill))
        for p in PAGES
        if not args.only or p.name in args.only
    ]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = server_config(env)
    print(
        f"Serveur : gunicorn -c gunicorn.conf.py ({config['workers']} workers "
        f"{config['worker_class']}, {config['threads']} threads, {CPUS} CPU"
        + (
            f", GUNICORN_CMD_ARGS={env['GUNICORN_CMD_ARGS']!r}"
            if env.get("GUNICORN_CMD_ARGS")
            else ""
        )
        + ")"
    )
    access_log = BASE_DIR / "var" / "bench-access.log"
    access_log.unlink(missing_ok=True)
    # The production settings (gunicorn.conf.py), on a free port of 127.0.0.1, with an
    # access log that says which worker served each request.
    server = start_server(env, port, access_log)
    edit = journey = two_servers = None
    try:
        wait_until_up(base + FLOOR.path, server)
        warm_every_worker(base, server, access_log)
        drain(base)
        results = []
        for page in [FLOOR, *pages]:
            run_wrk(base, page, 1, args.connections)  # warm-up: caches, connections
            settle(base, server)
            results.append(run_wrk(base, page, args.duration, args.connections))
            results[-1].memory_mb = worker_peak_memory_mb(server)
            settle(base, server)
            if page.min_ratio is not None and page.max_p95_ms is not None:
                latency_row = replace(page, min_ratio=None)
                results[-1].unqueued = run_wrk(base, latency_row, args.duration, args.connections)
                settle(base, server)
        if not args.no_edit:
            edit = after_library_edit(base, env, server, access_log)
            drain(base)
        before_csv_mb = worker_peak_memory_mb(server)
        csv_rows, csv_seconds = download(base + CSV_PATH)
        memory_mb = worker_peak_memory_mb(server)
        if not args.no_journey:
            journey = run_journey(base, env, args.journey_users, args.journey_seconds)
    finally:
        stop(server)
    if not args.no_journey and not args.no_two_servers:
        two_servers = run_two_servers_journey(env, args.journey_users, args.journey_seconds)
    digest = None if args.no_digest else run_digest(env, args.subscriptions)

    floor_rps = results[0].requests_per_second
    for result in results[1:]:
        result.ratio = result.requests_per_second / floor_rps
    print_table(results, memory_mb, edit)
    print(
        f"CSV complet de l'observatoire : {csv_rows} lignes en {csv_seconds:.1f} s ; mémoire "
        f"maximale d'un worker avant {before_csv_mb:.0f} Mo, après {memory_mb:.0f} Mo."
    )
    for ran in (journey, two_servers):
        if ran:
            print_journey(ran)
    if digest:
        print(
            f"\nDigest des alertes : {digest.checked} abonnements vus, {digest.sent} e-mails, "
            f"en {digest.seconds:.1f} s ; mémoire maximale du processus {digest.rss_before_mb:.0f} "
            f"Mo avant, {digest.rss_after_mb:.0f} Mo après"
        )
    goals = collect_goals(results, edit, journey, two_servers)
    if digest:
        goals.extend(digest.goals())
    print_goals(goals)
    missed = [goal.name for goal in goals if not goal.met]
    if missed:
        print(f"\nObjectifs manqués ({len(missed)} sur {len(goals)}) : {', '.join(missed)}")
        return 1
    print(f"\nLes {len(goals)} objectifs sont atteints.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
