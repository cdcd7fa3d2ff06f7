"""The site's schedule, declared here rather than in a crontab: every running worker
(`manage.py procrastinate worker`) defers these jobs when they fall due, and
procrastinate's unique (task, time) row makes sure that with several workers on
several machines each run is deferred once and executed by one worker only.

The jobs call the existing management commands, which stay usable by hand.
Cron times are UTC."""

import io
import logging

from django.conf import settings
from django.core.management import call_command
from procrastinate.contrib.django import app

from rameau_site import mail  # noqa: F401 (registers the e-mail task)

logger = logging.getLogger(__name__)


def _command(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    summary = out.getvalue().strip().splitlines()[-1:] or [""]
    logger.info("%s : %s", name, summary[0])
    return summary[0]


@app.periodic(cron="0 2 * * 1")  # Mondays, 02:00 UTC
@app.task(name="links_check", queue="maintenance", queueing_lock="links_check")
def links_check(timestamp: int) -> str:
    """The resources' external links (resources/management/commands/check_links.py)."""
    return _command("check_links")


@app.periodic(cron="30 1 * * *")  # every day, 01:30 UTC
@app.task(name="diagnostics_purge", queue="maintenance", queueing_lock="diagnostics_purge")
def diagnostics_purge(timestamp: int) -> str:
    """Unfinished diagnostics past DIAGNOSTIC_INCOMPLETE_RETENTION_DAYS."""
    return _command("purge_diagnostics")


@app.periodic(cron="45 1 * * *")  # every day, 01:45 UTC
@app.task(name="progress_purge", queue="maintenance", queueing_lock="progress_purge")
def progress_purge(timestamp: int) -> str:
    """Parcours progresses unchanged for PROGRESS_RETENTION_DAYS (kit/progress.py)."""
    return _command("purge_progress")


@app.periodic(cron="15 * * * *")  # every hour
@app.task(name="jobs_prune", queue="maintenance", queueing_lock="jobs_prune")
async def jobs_prune(timestamp: int) -> None:
    """Forget finished jobs after JOBS_KEPT_DAYS: failed e-mails hold an address and
    stay that long in the admin for staff to see."""
    await app.job_manager.delete_old_jobs(
        nb_hours=24 * settings.JOBS_KEPT_DAYS, include_failed=True, include_cancelled=True
    )


@app.periodic(cron=f"* * * * * */{settings.STALLED_JOBS_CHECK_SECONDS}")  # 6th: seconds
@app.task(name="stalled_jobs_retry", queue="maintenance", queueing_lock="stalled_jobs_retry")
async def stalled_jobs_retry(timestamp: int) -> int:
    """A worker killed mid-task (machine lost, OOM, kill -9) stops its heartbeat: its
    running jobs go back to the queue for another worker."""
    stalled = await app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.PROCRASTINATE_WORKER_DEFAULTS["stalled_worker_timeout"]
    )
    for job in stalled:
        logger.warning("Tâche %s (%s) reprise : son worker ne répond plus.", job.id, job.task_name)
        await app.job_manager.retry_job(job)
    return len(stalled)
