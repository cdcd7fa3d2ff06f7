"""Serve the site with gunicorn and the production settings of gunicorn.conf.py, load
each key page with wrk beside the bare-Django floor view measured in the same run, time
the searches that follow a library edit, then run the locust journeys, on this server
and then on two app servers with a task worker, and the alerts digest. Prints the
pages, then one row per goal, and exits non-zero when a goal is missed.

The parts, by role: bench/server.py (the environment, gunicorn, its workers),
bench/pages.py (the wrk rows and their goals), bench/edit.py (the row after a library
edit), bench/journeys.py (the locust journeys, one server and two); this module runs
them in order, with the digest, and prints the tables.

    python -m bench.run [--duration 5] [--connections 8] [--only NAME ...]
"""

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from statistics import median

from bench.edit import (
    EDIT_FIRST,
    EDIT_MAX_MS,
    EDIT_SECONDS,
    Edit,
    after_library_edit,
    warm_every_worker,
)
from bench.journeys import (
    Journey,
    print_journey,
    run_journey,
    run_two_servers_journey,
)
from bench.pages import CSV_PATH, FLOOR, PAGES, Goal, Result, drain, run_wrk, settle
from bench.server import (
    BASE_DIR,
    BENCH_DATABASE,
    CPUS,
    SMALL_DATABASE,
    bench_env,
    download,
    free_port,
    generated,
    manage,
    server_config,
    start_server,
    stop,
    wait_until_up,
    worker_peak_memory_mb,
)


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
