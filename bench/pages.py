"""The pages `make bench` loads with wrk, each beside the bare-Django floor view of the
same run, and the goals of their rows."""

import os
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote

from bench.server import BASE_DIR, CPUS, CSRF_SECRET, cpu_ticks, worker_pids


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


def drain(base: str) -> None:
    """Wait until requests left over by the previous load are served (the floor view
    answers quickly again), so that one page's backlog is not charged to the next."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        urllib.request.urlopen(base + FLOOR.path, timeout=120).read()
        if time.monotonic() - started < 0.05:
            return


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
