from procrastinate.contrib.django import app

from network.services import directory_purge, registrations_purge, reminders_send


@app.periodic(cron="45 1 * * *")  # every day, 01:45 UTC
@app.task(name="registrations_purge", queue="maintenance", queueing_lock="registrations_purge")
def registrations_purge_task(timestamp: int) -> int:
    """Registrations 30 days after their event: personal data kept no longer."""
    return registrations_purge()


@app.periodic(cron="50 1 * * *")  # every day, 01:50 UTC
@app.task(name="directory_purge", queue="maintenance", queueing_lock="directory_purge")
def directory_purge_task(timestamp: int) -> int:
    """The directory's relay records after 30 days, unconfirmed proposals after 7."""
    return directory_purge()


# Every hour from 07:00 to 19:00 UTC: the reminders go out in the morning of the day
# before, and a registration confirmed later that day, or a run missed while no worker
# was up, is reminded at the next hour; `reminded_at` makes it once.
@app.periodic(cron="0 7-19 * * *")
@app.task(name="registrations_remind", queue="maintenance", queueing_lock="registrations_remind")
def registrations_remind_task(timestamp: int) -> int:
    """E-mails the confirmed registrants of the events starting tomorrow, once each."""
    return reminders_send()
