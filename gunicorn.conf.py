"""gunicorn's settings for this site, in production and in `make bench` (which serves the
site with this same file, so that it measures what production runs):

    gunicorn -c gunicorn.conf.py rameau_site.wsgi

Address: HOST (default 127.0.0.1, behind the reverse proxy that terminates HTTPS) and
PORT (default 8000). Workers: WEB_CONCURRENCY if set, else the rule below. Any setting
can be overridden on the command line or in GUNICORN_CMD_ARGS.

Workers: one sync worker per CPU for now (the measured choice replaces this note).
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# The CPUs this process may run on (a container's share, not the host's).
cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY") or cpus or 1)
worker_class = "sync"
threads = 1

# A request never takes this long on purpose (the observatory's whole CSV streams in
# about 1 s at 100k rows); a worker stuck that long is killed and replaced.
timeout = 30
graceful_timeout = 30
keepalive = 2

# No max_requests: a new worker builds the library's search index on its first search
# (about 2.6 s at 100k resources), so recycling workers would make visitors wait for it.

# Errors to stderr; no access log of its own (the reverse proxy in front keeps one).
errorlog = "-"
accesslog = None
