"""Serve the site with gunicorn (2 workers) and load each key page with wrk, beside the
bare-Django floor view measured in the same run. Prints one table and exits non-zero
when a page misses its goal (a minimum ratio of the floor's throughput).

    python -m bench.run [--duration 5] [--connections 8] [--only NAME ...]
"""

import argparse
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
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    min_ratio: float | None  # None: measured, no goal


FLOOR = Page("plancher (Django nu)", "/_bench/plancher/", None)
PAGES = [
    Page("accueil", "/", 0.5),
    Page("plan du site", "/plan-du-site/", 0.5),
    Page("santé", "/sante/", 0.5),
]


@dataclass
class Result:
    page: Page
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    ratio: float | None = None

    @property
    def missed(self) -> bool:
        if self.errors:
            return True
        return self.page.min_ratio is not None and (self.ratio or 0) < self.page.min_ratio


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


BENCH_DATABASE = "rameau_bench"


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


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    if not match:
        raise ValueError(f"wrk output has no {percentile}% latency:\n{output}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(page: Page, output: str) -> Result:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(page, rps, parse_latency(output, "50"), parse_latency(output, "99"), errors)


def run_wrk(base: str, page: Page, duration: int, connections: int) -> Result:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", base + page.path]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(page, output)


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


def print_table(results: list[Result], memory_mb: float) -> None:
    header = (
        f"{'page':<24} {'req/s':>9} {'ratio':>7} {'objectif':>9} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'erreurs':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = "-" if r.ratio is None else f"{r.ratio:.2f}"
        goal = "-" if r.page.min_ratio is None else f">={r.page.min_ratio:.2f}"
        flag = "  ÉCHEC" if r.missed else ""
        print(
            f"{r.page.name:<24} {r.requests_per_second:>9.0f} {ratio:>7} {goal:>9} "
            f"{r.p50_ms:>8.1f} {r.p99_ms:>8.1f} {r.errors:>8}{flag}"
        )
    print(f"\nMémoire maximale d'un worker gunicorn (VmHWM) : {memory_mb:.0f} Mo")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=5, help="secondes de charge par page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", nargs="*", help="noms de pages à mesurer (défaut : toutes)")
    args = parser.parse_args(argv)

    if not shutil.which("wrk"):
        raise SystemExit("wrk est introuvable : installez-le (Debian : apt-get install wrk).")

    env = bench_env()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v", "0")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "rameau_site.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--access-logfile", "/dev/null", "--log-level", "warning"],
        cwd=BASE_DIR, env=env,
    )  # fmt: skip
    try:
        wait_until_up(base + FLOOR.path, server)
        pages = [p for p in PAGES if not args.only or p.name in args.only]
        results = []
        for page in [FLOOR, *pages]:
            run_wrk(base, page, 1, args.connections)  # warm-up: caches, connections
            results.append(run_wrk(base, page, args.duration, args.connections))
        memory_mb = worker_peak_memory_mb(server)
    finally:
        server.terminate()
        server.wait(timeout=15)

    floor_rps = results[0].requests_per_second
    for result in results[1:]:
        result.ratio = result.requests_per_second / floor_rps
    print_table(results, memory_mb)
    missed = [r.page.name for r in results if r.missed]
    if missed:
        print(f"\nObjectifs manqués : {', '.join(missed)}")
        return 1
    print("\nTous les objectifs sont atteints.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
