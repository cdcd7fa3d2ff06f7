"""An iCalendar (RFC 5545) file of the agenda's events, written by hand on
rameau_site/ics.py's escaping and folding (as the roadmap's diagnostics/ics.py). Times
are written in UTC, so that no VTIMEZONE is needed. Pure functions, no database."""

from dataclasses import dataclass
from datetime import UTC, datetime

from rameau_site.ics import escape, fold

PRODID = "-//Co-construction territoriale//Agenda//FR"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    modified_at: datetime
    description: str = ""
    location: str = ""
    url: str = ""


def event_entry(event, *, host: str, page_url: str, online_url: str = "") -> CalendarEvent:
    """One of the agenda's events (a network.models.Event); `online_url`, its connection
    link, only in the copy e-mailed to a confirmed registrant."""
    place = "En ligne" if event.online else event.place
    return CalendarEvent(
        uid=f"evenement-{event.pk}@{host}",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        modified_at=event.updated_at,
        description=event.description,
        location=", ".join(part for part in (place, online_url) if part),
        url=page_url,
    )


def utc(moment: datetime) -> str:
    """A DATE-TIME in UTC (3.3.5, form #2)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: list[CalendarEvent], *, name: str, stamp: datetime) -> str:
    """The VCALENDAR text, CRLF line ends; `stamp` is every event's DTSTAMP."""
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
            f"DTSTAMP:{utc(stamp)}",
            f"DTSTART:{utc(event.starts_at)}",
            f"DTEND:{utc(event.ends_at)}",
            f"LAST-MODIFIED:{utc(event.modified_at)}",
            f"SUMMARY:{escape(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
