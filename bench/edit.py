"""The row "after a library edit": uncached searches timed while the workers rebuild
their search index, and the warm-up that waits until every worker has built one."""

import json
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.pages import Goal, drain
from bench.server import BASE_DIR, CPUS, worker_pids

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
