"""An iCalendar (RFC 5545) file of a roadmap's target months, written by hand: one
all-day event on the first day of each month aimed for. Pure functions, no database."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rameau_site.ics import escape, fold

PRODID = "-//Co-construction territoriale//Feuille de route//FR"


@dataclass(frozen=True)
class Event:
    uid: str
    day: date
    summary: str
    description: str = ""


def calendar(events: list[Event], *, name: str, stamp: datetime) -> str:
    """The VCALENDAR text, CRLF line ends; `stamp` (UTC) is every event's DTSTAMP."""
    dtstamp = stamp.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
