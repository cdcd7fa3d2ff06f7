"""An iCalendar (RFC 5545) file of the agenda's events, written by hand (as the roadmap's
diagnostics/ics.py, which this app may not import). Times are written in UTC, so that no
VTIMEZONE is needed. Pure functions, no database."""

from dataclasses import dataclass
from datetime import UTC, datetime

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


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545, 3.3.11): backslash, semicolon, comma, new line."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded to at most 75 octets a line (3.1), never inside a
    character's UTF-8 bytes: each continuation starts with one space."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


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
