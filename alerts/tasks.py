from procrastinate.contrib.django import app

from alerts.digest import digests_send
from alerts.services import alerts_purge


@app.periodic(cron="0 * * * *")  # every hour: a digest goes within the hour it is due
@app.task(name="alerts_digest", queue="maintenance", queueing_lock="alerts_digest")
def alerts_digest_task(timestamp: int) -> str:
    """The digests of the alerts due (alerts/digest.py)."""
    run = digests_send()
    return f"{run.checked} alertes vues, {run.sent} e-mails"


@app.periodic(cron="50 1 * * *")  # every day, 01:50 UTC
@app.task(name="alerts_purge", queue="maintenance", queueing_lock="alerts_purge")
def alerts_purge_task(timestamp: int) -> int:
    """Alerts never confirmed after 7 days, and addresses left without an alert."""
    return alerts_purge()
