"""What `/sante/` reports beside the database: the task queue (rameau_site/tasks.py,
procrastinate) and the read replicas (rameau_site/db_router.py).

One query reads the queue's state. A worker is "bloqué" when jobs are due and no
worker's heartbeat is newer than the stalled timeout (PROCRASTINATE_WORKER_DEFAULTS):
e-mails are then not going out, and the status says "dégradé". The answer stays 200
(the web servers can serve; a load balancer must not take them out for a worker), and
503 only when the database cannot be reached, as before."""

from django.conf import settings
from django.db import connection

from rameau_site.db_router import replica_aliases, replica_lag_seconds

QUEUE_STATE = """
SELECT
  (SELECT extract(epoch FROM now() - max(last_heartbeat)) FROM procrastinate_workers),
  (SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'),
  (SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'
     AND (scheduled_at IS NULL OR scheduled_at <= now())),
  (SELECT extract(epoch FROM now() - min(event.at)) FROM procrastinate_events AS event
     WHERE event.type = 'deferred' AND event.job_id = (
       SELECT min(id) FROM procrastinate_jobs WHERE status = 'todo'
         AND (scheduled_at IS NULL OR scheduled_at <= now())))
"""


def seconds(value) -> float | None:
    return None if value is None else round(max(0.0, float(value)), 1)


def queue_state() -> dict:
    """The worker's last heartbeat, the jobs waiting (all, and due now) and the age of
    the oldest due job, in seconds, with the worker's state: "ok", "bloqué" (jobs due,
    no fresh heartbeat) or "aucun" (no worker ever seen, nothing due)."""
    with connection.cursor() as cursor:
        cursor.execute(QUEUE_STATE)
        heartbeat, waiting, due, oldest = cursor.fetchone()
    heartbeat = seconds(heartbeat)
    timeout = settings.PROCRASTINATE_WORKER_DEFAULTS["stalled_worker_timeout"]
    alive = heartbeat is not None and heartbeat <= timeout
    if alive:
        worker = "ok"
    elif due:
        worker = "bloqué"
    else:
        worker = "aucun" if heartbeat is None else "arrêté"
    return {
        "worker": worker,
        "dernier_signe_de_vie_s": heartbeat,
        "taches_en_attente": waiting,
        "taches_a_executer": due,
        "plus_ancienne_a_executer_s": seconds(oldest),
    }


def report() -> tuple[dict, bool]:
    """The report's parts beside the database, and whether the site is degraded."""
    queue = queue_state()
    parts = {"file_de_taches": queue}
    degraded = queue["worker"] == "bloqué"
    if replica_aliases():
        lags = replica_lag_seconds()
        parts["replicas"] = {
            alias: {"retard_s": seconds(lag), "etat": "ok" if lag is not None else "injoignable"}
            for alias, lag in lags.items()
        }
        degraded |= any(lag is None for lag in lags.values())
    return parts, degraded
