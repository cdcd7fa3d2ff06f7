"""Read replicas: which database answers a query.

`DATABASE_REPLICA_URLS` (comma-separated, each read as DATABASE_URL is) adds the
databases "replica_1", "replica_2", ... (streaming standbys of the primary). Without it
there is only "default" and this router sends everything there, as before.

Only one kind of request reads from a replica: a GET or HEAD of a public page by an
anonymous visitor. `ReplicaReadsMiddleware.process_view` decides, once the URL is
resolved, and puts the replica chosen for the request (at random) in a context
variable, which is per thread and per asyncio task; the router reads it. Everything
else reads from the primary, and every write goes there:
- any method but GET and HEAD (the form posts), and the admin;
- anyone with a session cookie (staff signed in, or about to be): no session is ever
  read from a replica, and the page reads what the session's owner just wrote;
- the diagnostic, its campaigns and every view with a `token` in its URL (a parcours'
  follow-up), which read what their visitor has just written;
- the few seconds after a visitor's own POST (see below);
- management commands, task workers and threads started by a request (a new thread
  has a fresh context): the variable is unset there.
Sessions, login attempts (axes) and the task queue are always read from the primary.
A replica that cannot be reached is left alone by the process for 30 s, and the page
that met it is read again from the primary: visitors see no error.

Reads right after a write. Every POST (or other unsafe method) answers with a cookie,
PIN_COOKIE, holding the time until which its visitor reads from the primary (now +
DATABASE_REPLICA_PIN_SECONDS, 10 s by default, far above a healthy replica's lag).
A cookie rather than the session: anonymous visitors have no session and we create
none; it costs no query, works whatever app server the next request reaches, and the
expiry is checked on the server, so a client that keeps the cookie gains nothing.

One replica per request, for the content and the shared cache alike: the page caches
key their pages by a content version read from the shared cache, and a replica replays
the primary's commits in order, so a page built from a replica is never stored under a
version newer than its content (a lagging replica only delays a new version).
Known gap: the library's list and feed (INDEX_PAGES) are keyed by the version of the
in-memory index, which a thread builds from the primary; a page drawn in the instant a
replica lags behind that index may show its rows as the replica has them, for the
page's lifetime (300 s).
"""

import contextvars
import logging
import random
import time

import dj_database_url
from django.conf import settings

PRIMARY = "default"
# Models read from the primary whatever the request: sessions, login attempts, queue.
PRIMARY_APPS = frozenset({"sessions", "axes", "procrastinate"})
# URL namespaces whose pages are part of a visitor's flow, or the staff's.
PRIMARY_NAMESPACES = frozenset({"admin", "diagnostics"})
PIN_COOKIE = "lecture_primaire"
SAFE_METHODS = frozenset({"GET", "HEAD"})
REST_SECONDS = 30

logger = logging.getLogger(__name__)

_replica: contextvars.ContextVar[str | None] = contextvars.ContextVar("replica", default=None)


def replica_databases(urls: list[str], primary: dict) -> dict[str, dict]:
    """The settings of the replicas at `urls`: connection options as the primary's,
    and, for the test runner, a mirror of the primary (no test database is created
    on a replica, which a standby would refuse anyway)."""
    databases = {}
    for number, url in enumerate(urls, start=1):
        replica = dj_database_url.parse(url)
        replica["CONN_MAX_AGE"] = primary.get("CONN_MAX_AGE", 0)
        replica["CONN_HEALTH_CHECKS"] = primary.get("CONN_HEALTH_CHECKS", False)
        replica["OPTIONS"] = {**primary.get("OPTIONS", {}), **replica.get("OPTIONS", {})}
        replica["TEST"] = {"MIRROR": PRIMARY}
        databases[f"replica_{number}"] = replica
    return databases


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_APPS:
            return PRIMARY
        return _replica.get()  # None: Django's default, the primary

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the primary's data: an object read from one may point to
        # an object read from another.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def pinned_to_primary(request) -> bool:
    try:
        return float(request.COOKIES[PIN_COOKIE]) > time.time()
    except (KeyError, ValueError):
        return False


def replica_allowed(request, view_kwargs) -> bool:
    """Whether this request may read from a replica (see the module's docstring)."""
    match = request.resolver_match
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not pinned_to_primary(request)
        and "token" not in view_kwargs
        and not PRIMARY_NAMESPACES.intersection(match.namespaces if match else ())
        and (match is None or match.url_name != "health")
    )


class ReplicaReadsMiddleware:
    def __init__(self, get_response, replicas: list[str] | None = None):
        self.get_response = get_response
        self.replicas = replica_aliases() if replicas is None else replicas
        self.resting: dict[str, float] = {}  # unreachable replica -> until (monotonic)

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            # set(None) rather than reset(): under ASGI, process_view may have run in
            # a copy of this context.
            _replica.set(None)
        if self.replicas and request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + settings.DATABASE_REPLICA_PIN_SECONDS + 1),
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS + 1,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not (self.replicas and replica_allowed(request, view_kwargs)):
            return
        now = time.monotonic()
        if available := [a for a in self.replicas if self.resting.get(a, 0) <= now]:
            _replica.set(random.choice(available))  # noqa: S311 (not a secret)
            request.replica_view = (view_func, view_args, view_kwargs)

    def process_exception(self, request, exception):
        """A replica that cannot be reached: this page is read again from the primary
        and this process leaves that replica alone for REST_SECONDS."""
        from django.db import InterfaceError, OperationalError, connections

        alias = _replica.get()
        if alias is None or not isinstance(exception, OperationalError | InterfaceError):
            return None
        replica = connections[alias]
        if replica.connection is not None and replica.is_usable():
            return None  # the replica answers: the error came from elsewhere
        logger.warning("Réplique %s injoignable : lectures sur la base principale", alias)
        self.resting[alias] = time.monotonic() + REST_SECONDS
        _replica.set(None)
        view_func, view_args, view_kwargs = request.replica_view
        return view_func(request, *view_args, **view_kwargs)


def reading_from() -> str:
    """The database this request's reads go to (for logs and tests)."""
    return _replica.get() or PRIMARY


def replica_lag_seconds() -> dict[str, float | None]:
    """How far behind the primary each replica is, in seconds: 0 when it has replayed
    all it received (or is not a standby), else the time since the last transaction
    it replayed; None when it cannot be reached or has replayed none yet."""
    from django.db import DatabaseError, connections

    lags: dict[str, float | None] = {}
    for alias in replica_aliases():
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(
                    "SELECT CASE"
                    " WHEN NOT pg_is_in_recovery()"
                    "   OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                    " ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())"
                    " END"
                )
                (lag,) = cursor.fetchone()
        except DatabaseError:
            lag = None
        lags[alias] = None if lag is None else max(0.0, float(lag))
    return lags
