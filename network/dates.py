"""An event's dates and times in French, in Paris time (pure functions, no database)."""

import datetime

from django.utils import timezone

from resources.french import french_date

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
NBSP = "\u00a0"


def hour_label(moment: datetime.datetime) -> str:
    """« 14 h », « 9 h 30 » (French usage, non-breaking spaces)."""
    text = f"{moment.hour}{NBSP}h"
    return f"{text}{NBSP}{moment.minute:02d}" if moment.minute else text


def when_label(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    """« jeudi 12 mai 2027, de 14 h à 15 h 30 (heure de Paris) », or from one day to
    another « du 12 mai 2027 à 9 h au 13 mai 2027 à 17 h (heure de Paris) »."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        day = f"{WEEKDAYS[start.weekday()]} {french_date(start)}"
        text = f"{day}, de {hour_label(start)} à {hour_label(end)}"
    else:
        text = (
            f"du {french_date(start)} à {hour_label(start)}"
            f" au {french_date(end)} à {hour_label(end)}"
        )
    return f"{text} (heure de Paris)"
