"""French typography for dates (pure functions): "1er décembre 2026", "3 mai 2018 à 14:05"."""

import datetime

from django.utils import timezone

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def french_date(value: datetime.date | datetime.datetime | None, *, with_time=False) -> str:
    """The date in full, the first of the month written "1er" (as French usage wants);
    an aware datetime is shown in the site's time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{day} {MONTHS[value.month - 1]} {value.year}"
    if with_time and isinstance(value, datetime.datetime):
        text += f" à {value:%H:%M}"
    return text
