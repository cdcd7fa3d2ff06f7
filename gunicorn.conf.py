"""gunicorn's settings for this site, in production and in `make bench` (which serves the
site with this same file, so that it measures what production runs):

    gunicorn -c gunicorn.conf.py rameau_site.wsgi

Address: HOST (default 127.0.0.1, behind the reverse proxy that terminates HTTPS) and
PORT (default 8000). Workers: WEB_CONCURRENCY if set, else the rule below. Any setting
can be overridden on the command line or in GUNICORN_CMD_ARGS.

Workers: one gthread worker per CPU, 4 threads each. Slow uncached pages (a phrase
search, the diagnostic's results, a search nobody made before) hold a sync worker for
their whole time and every other visitor queues behind them; a thread lets the quick
pages go on, and two processes keep one search index each (3 sync workers keep three).
Measured on a 2-CPU machine shared with other work (load average 3 to 7, so absolute
figures moved a lot between runs; runs interleaved), 100k resources, diagnostics and
observations, `GUNICORN_CMD_ARGS="..." python -m bench.run --no-edit --only catalogue
"diagnostic : résultats" "recherche fréquente, sans cache"` (and a whole `make bench`),
locust journeys 50 visitors 60 s, p50 / p95 / p99 ms, req/s:
    sync x2       180 / 2100 / 4900, 64 req/s; 870 / 5900 / 12000, 26; 1700 / 5300 / 8700, 19
    sync x3       950 / 4200 / 5600, 29 req/s; 2300 / 7700 / 12000, 15
    gthread 2x4   1200 / 5100 / 10000, 23 req/s; 450 / 4200 / 6800, 38; 330 / 4300 / 7400, 38
    gthread 3x2   470 / 5800 / 11000, 28 req/s
(the first sync x2 run came while the machine was less loaded, load average about 2:
it compares with none of the others). In the interleaved stretch gthread 2x4 served the
journeys fastest (p50 330-450 ms and 38 req/s when sync x2 gave 870-1700 ms and 19-26
req/s, sync x3 2300 ms and 15 req/s), with the lowest worker memory (about 130 MB each
at 100k); its
failures (2 to 7 "status 0") were keep-alive connections closed by the server as the
client reused them, hence keepalive longer than a visitor's pause in the journeys (2 s).
These tails come from the application (the phrase row alone takes 1.5 s), not from the
server: see bench/README.md.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# gunicorn's control socket (for `gunicornc`) is one path per user by default: a second
# server on the same machine (another PORT) would take over the first one's. One per port.
control_socket = os.path.join(
    os.environ.get("XDG_RUNTIME_DIR") or os.path.expanduser("~/.gunicorn"),
    f"gunicorn-{os.environ.get('PORT', '8000')}.ctl",
)

# The CPUs this process may run on (a container's share, not the host's).
cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY") or cpus or 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A request never takes this long on purpose (the observatory's whole CSV streams in
# about 1 s at 100k rows); a worker stuck that long is killed and replaced.
timeout = 30
graceful_timeout = 30
# Longer than a visitor's pause between requests (the journeys wait 0.5 to 2 s), so that
# a client seldom reuses a connection the server has just closed.
keepalive = 5

# No max_requests: a new worker gets the library's search index before it serves (a copy
# another process built: 0.1 s at 100k resources; 2.6 to 13 s if it must build it), and
# recycling workers would only add that work.


def post_worker_init(worker):
    """Each worker gets the search index as it starts, in a thread, rather than in its
    first visitor's search (resources/index.py build_in_background), and compiles the
    site's templates and loads its URLs before it serves (rameau_site/warmup.py: 0.6 s)."""
    from rameau_site.warmup import warm_up
    from resources.index import build_in_background

    build_in_background()
    warm_up()


# Errors to stderr; no access log of its own (the reverse proxy in front keeps one).
errorlog = "-"
accesslog = None
