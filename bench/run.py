"""Serve the site with gunicorn (2 workers) and load each key page with wrk, beside the
bare-Django floor view measured in the same run. Prints one table and exits non-zero
when a page misses its goal (a minimum ratio of the floor's throughput).

    python -m bench.run [--duration 5] [--connections 8] [--only NAME ...]
"""

import argparse
import csv
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    min_ratio: float | None = None  # of the floor's throughput; None: no goal
    max_p95_ms: float | None = None
    bust_cache: bool = False  # a random parameter on every request: no cache hit
    post_body: str = ""  # a form POST (with a CSRF cookie and token) instead of a GET


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
    Page(
        "recherche fréquente, sans cache", "/ressources/?q=alliance", max_p95_ms=50, bust_cache=True
    ),
    Page("cas pratiques", "/cas-pratiques/?taille=moins-de-2000", 0.3),
    Page("API ressources", "/api/ressources/?public=entreprises", 0.3),
    # {step}, {results}, {body}: filled from generate_diagnostic_data's output.
    Page("diagnostic : étape (GET)", "/diagnostic/{step}/etape/2/", 0.5),
    Page("diagnostic : étape (POST)", "/diagnostic/{step}/etape/2/", 0.25, post_body="{body}"),
    Page("diagnostic : résultats", "/diagnostic/{results}/resultats/"),
    Page("observatoire", "/observatoire/", 0.5),
    Page("observatoire : indicateur", "/observatoire/indicateurs/test-echelle-0042/", 0.5),
]
CSV_PATH = "/observatoire/donnees.csv"  # fmt: skip


@dataclass
class Result:
    page: Page
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    ratio: float | None = None
    memory_mb: float = 0.0  # peak resident memory of a worker once this page was loaded

    @property
    def missed(self) -> bool:
        if self.errors:
            return True
        if self.page.max_p95_ms is not None and self.p95_ms > self.page.max_p95_ms:
            return True
        return self.page.min_ratio is not None and (self.ratio or 0) < self.page.min_ratio

    @property
    def goal(self) -> str:
        goals = []
        if self.page.min_ratio is not None:
            goals.append(f">={self.page.min_ratio:.2f}")
        if self.page.max_p95_ms is not None:
            goals.append(f"p95<={self.page.max_p95_ms:.0f}")
        return " ".join(goals) or "-"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


BENCH_DATABASE = "rameau_bench"
CSRF_SECRET = secrets.token_hex(16)  # 32 characters, as Django's CSRF secrets


def bench_env() -> dict[str, str]:
    """Production settings; on the embedded server, a database of its own so that the
    scale data never mixes with the demo content."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    if not env.get("DATABASE_URL"):
        from rameau_site import embedded_db

        embedded_db.start(database=BENCH_DATABASE)
        env["RAMEAU_EMBEDDED_DB_NAME"] = BENCH_DATABASE
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ROOT_URLCONF="bench.urls",
        DJANGO_STATIC_ROOT=str(BASE_DIR / "var" / "bench-static"),
        # Every virtual user of the journeys comes from 127.0.0.1.
        DIAGNOSTIC_STARTS_PER_HOUR="1000000",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


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


def run_wrk(base: str, page: Page, duration: int, connections: int) -> Result:
    if page.bust_cache:
        # Uncached requests are slow: one connection per worker measures their latency
        # instead of the queue in front of them.
        connections = 2
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
    rps, p50, p95, p99, errors = line.split()[1:]
    return Result(page, float(rps), float(p50), float(p95), float(p99), int(errors))


def download(url: str) -> tuple[int, float]:
    """Read a (streamed) download to the end: its lines and the time taken."""
    started = time.monotonic()
    lines = 0
    with urllib.request.urlopen(url, timeout=600) as response:
        for _ in response:
            lines += 1
    return lines - 1, time.monotonic() - started


def worker_peak_memory_mb(server: subprocess.Popen) -> float:
    """Largest resident set reached by any gunicorn worker (VmHWM), in MB."""
    peak = 0
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peak = max(peak, int(match.group(1)))
    return peak / 1024


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

    @property
    def missed(self) -> bool:
        return bool(self.failures) or not self.complete


def run_journey(base: str, env: dict[str, str], users: int, seconds: int) -> Journey:
    """The locust journeys (bench/journey.py): `users` visitors for `seconds` seconds,
    then the check that every diagnostic they completed is in the database."""
    work = BASE_DIR / "var" / "bench-journey"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    tokens = work / "diagnostics.txt"
    journey_env = env | {"BENCH_CSRF": CSRF_SECRET, "BENCH_JOURNEY_TOKENS": str(tokens)}
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
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    check = subprocess.run(
        [sys.executable, "-m", "bench.check_journey", str(tokens)],
        cwd=BASE_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
    return Journey(
        users, seconds, int(total["Request Count"]), int(total["Failure Count"]),
        float(total["Requests/s"]), float(total["50%"]), float(total["95%"]),
        float(total["99%"]), check.stdout.strip() or check.stderr.strip()[-500:],
        check.returncode == 0,
    )  # fmt: skip


def print_journey(journey: Journey) -> None:
    flag = "  ÉCHEC" if journey.missed else ""
    print(
        f"\nParcours locust ({journey.users} visiteurs, {journey.seconds} s) : "
        f"{journey.requests} requêtes, {journey.requests_per_second:.0f} req/s, "
        f"{journey.failures} échecs, p50 {journey.p50_ms:.0f} ms, p95 {journey.p95_ms:.0f} ms, "
        f"p99 {journey.p99_ms:.0f} ms{flag}"
    )
    print(journey.check)


def print_table(results: list[Result], memory_mb: float) -> None:
    header = (
        f"{'page':<34} {'req/s':>8} {'ratio':>6} {'objectif':>16} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'erreurs':>7} {'Mo':>5}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = "-" if r.ratio is None else f"{r.ratio:.2f}"
        flag = "  ÉCHEC" if r.missed else ""
        decimals = 0 if r.requests_per_second >= 10 else 1
        print(
            f"{r.page.name:<34} {r.requests_per_second:>8.{decimals}f} {ratio:>6} {r.goal:>16} "
            f"{r.p50_ms:>7.1f} {r.p95_ms:>7.1f} {r.p99_ms:>7.1f} {r.errors:>7} "
            f"{r.memory_mb:>5.0f}{flag}"
        )
    print(
        "\nMo : mémoire maximale atteinte par un worker gunicorn (VmHWM) après la page ; "
        f"en fin de mesure : {memory_mb:.0f} Mo"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=5, help="secondes de charge par page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", nargs="*", help="noms de pages à mesurer (défaut : toutes)")
    parser.add_argument("--resources", type=int, default=100_000, help="ressources générées")
    parser.add_argument("--responses", type=int, default=100_000, help="diagnostics générés")
    parser.add_argument("--observations", type=int, default=100_000, help="observations")
    parser.add_argument("--small", action="store_true", help="jeu réduit : 5 000 de chaque")
    parser.add_argument("--journey-users", type=int, default=50, help="visiteurs locust")
    parser.add_argument("--journey-seconds", type=int, default=60, help="durée des parcours")
    parser.add_argument("--no-journey", action="store_true", help="sans les parcours locust")
    args = parser.parse_args(argv)
    if args.small:
        args.resources = args.responses = args.observations = 5_000

    if not shutil.which("wrk"):
        raise SystemExit("wrk est introuvable : installez-le (Debian : apt-get install wrk).")

    env = bench_env()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "generate_scale_data", "--resources", str(args.resources))
    diagnostics = json.loads(
        subprocess.run(
            [sys.executable, "manage.py", "generate_diagnostic_data", "--responses",
             str(args.responses)],
            cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True,
        ).stdout.splitlines()[-1]
    )  # fmt: skip
    manage(env, "generate_observations", "--observations", str(args.observations))
    print(
        f"Jeu de données : {args.resources} ressources, {args.responses} diagnostics "
        f"terminés et {args.observations} observations générés (base {BENCH_DATABASE})."
    )
    fill = {"step": diagnostics["step_token"], "results": diagnostics["results_token"],
            "body": diagnostics["step_body"]}  # fmt: skip
    pages = [
        replace(p, path=p.path.format(**fill), post_body=p.post_body.format(**fill))
        for p in PAGES
        if not args.only or p.name in args.only
    ]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "rameau_site.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--access-logfile", "/dev/null", "--log-level", "warning"],
        cwd=BASE_DIR, env=env,
    )  # fmt: skip
    try:
        wait_until_up(base + FLOOR.path, server)
        results = []
        for page in [FLOOR, *pages]:
            run_wrk(base, page, 1, args.connections)  # warm-up: caches, connections
            drain(base)
            results.append(run_wrk(base, page, args.duration, args.connections))
            results[-1].memory_mb = worker_peak_memory_mb(server)
            drain(base)
        before_csv_mb = worker_peak_memory_mb(server)
        csv_rows, csv_seconds = download(base + CSV_PATH)
        memory_mb = worker_peak_memory_mb(server)
        journey = None
        if not args.no_journey:
            journey = run_journey(base, env, args.journey_users, args.journey_seconds)
    finally:
        server.terminate()
        server.wait(timeout=15)

    floor_rps = results[0].requests_per_second
    for result in results[1:]:
        result.ratio = result.requests_per_second / floor_rps
    print_table(results, memory_mb)
    print(
        f"CSV complet de l'observatoire : {csv_rows} lignes en {csv_seconds:.1f} s ; mémoire "
        f"maximale d'un worker avant {before_csv_mb:.0f} Mo, après {memory_mb:.0f} Mo."
    )
    missed = [r.page.name for r in results if r.missed]
    if journey:
        print_journey(journey)
        if journey.missed:
            missed.append("parcours locust")
    if missed:
        print(f"\nObjectifs manqués : {', '.join(missed)}")
        return 1
    print("\nTous les objectifs sont atteints.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
