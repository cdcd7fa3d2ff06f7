"""The locust journeys (bench/journey.py) on one server, then on two app servers and a
task worker around the one database, with a local SMTP server counting the e-mails."""

import csv
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass

from bench.edit import warm_every_worker
from bench.pages import FLOOR, Goal
from bench.server import BASE_DIR, CSRF_SECRET, free_port, start_server, stop, wait_until_up


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
    # Each row keeps its own locust files (their history per second shows a stall).
    work = MAILS_FILE.parent if hosts else BASE_DIR / "var" / "bench-journey"
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


MAILS_FILE = BASE_DIR / "var" / "bench-journey-2-serveurs" / "mails.txt"


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
