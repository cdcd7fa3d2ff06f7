"""The agenda's iCalendar files parsed back: CRLF lines of at most 75 octets, folding,
TEXT escaping, a stable UID, DTSTAMP and DTSTART/DTEND in UTC; one file per event and
one of all upcoming published events."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from network import ics
from tests.network.factories import EventFactory

UTC_STAMP = re.compile(r"\d{8}T\d{6}Z")


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def parse(body: bytes) -> tuple[dict, list[dict]]:
    """The calendar's properties and its events' (name -> unescaped value), after
    checking the line ends, the line lengths and the nesting."""
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    physical = body.decode().split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in physical)
    lines = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar, events, current = {}, [], None
    for line in lines[1:-1]:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            assert current is None
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        else:
            assert name not in (calendar if current is None else current), name
            (calendar if current is None else current)[name] = unescape(value)
    assert current is None
    return calendar, events


def test_a_calendar_escapes_folds_and_writes_times_in_utc():
    paris = datetime(2027, 5, 13, 12, 0, tzinfo=UTC)
    summary = "Rencontre ; pairs, élus \\ catalyseurs — " + "très longue " * 10
    text = ics.calendar(
        [ics.CalendarEvent(
            uid="evenement-1@exemple.fr", starts_at=paris, ends_at=paris + timedelta(hours=2),
            summary=summary, modified_at=paris, description="Ligne 1\nLigne 2\r\nFin",
            location="Mairie, 1 place de l’Église", url="https://exemple.fr/agenda/r/",
        )],
        name="Agenda, essai", stamp=paris,
    )  # fmt: skip
    calendar, (event,) = parse(text.encode())
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"] and calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Agenda, essai"
    assert event["SUMMARY"] == summary
    assert event["DESCRIPTION"] == "Ligne 1\nLigne 2\nFin"
    assert event["LOCATION"] == "Mairie, 1 place de l’Église"
    assert event["DTSTART"] == "20270513T120000Z" and event["DTEND"] == "20270513T140000Z"
    assert UTC_STAMP.fullmatch(event["DTSTAMP"])


@pytest.mark.django_db
def test_an_event_and_the_whole_agenda_download_as_ics(client):
    event = EventFactory(title="Webinaire : l’évaluation, en pratique", webinar=True)
    EventFactory(past=True, title="Passé")
    EventFactory(title="Brouillon", is_published=False)
    second = EventFactory(starts_at=event.starts_at + timedelta(days=1))

    response = client.get(f"/agenda/{event.slug}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{event.slug}.ics"' in response["Content-Disposition"]
    _calendar, (found,) = parse(response.content)
    assert found["SUMMARY"] == event.title
    assert found["DTSTART"] == event.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert found["LOCATION"] == "En ligne"
    assert found["URL"] == f"http://testserver/agenda/{event.slug}/"
    assert found["UID"] == f"evenement-{event.pk}@testserver"

    _calendar, events = parse(client.get("/agenda.ics").content)
    assert [e["SUMMARY"] for e in events] == [event.title, second.title]  # upcoming, published
    again = parse(client.get("/agenda.ics").content)[1]
    assert [e["UID"] for e in again] == [e["UID"] for e in events]  # stable UIDs


@pytest.mark.django_db
def test_the_ics_files_read_back_with_the_icalendar_library(client):
    import icalendar

    event = EventFactory(
        title="Rencontre ; pairs, élus \\ catalyseurs — " + "un titre très long " * 6,
        description="Ligne 1, avec virgule ;\nLigne 2 « guillemets »",
        place="Mairie, 1 place de l’Église, Lyon",
    )
    EventFactory(webinar=True)
    for path, count in ((f"/agenda/{event.slug}.ics", 1), ("/agenda.ics", 2)):
        calendar = icalendar.Calendar.from_ical(client.get(path).content)
        assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
        found = calendar.walk("VEVENT")
        assert len(found) == count
        for component in found:
            assert component.errors == []
            assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(component)
    first = icalendar.Calendar.from_ical(client.get(f"/agenda/{event.slug}.ics").content)
    (component,) = first.walk("VEVENT")
    assert str(component["SUMMARY"]) == event.title
    assert str(component["DESCRIPTION"]) == event.description
    assert str(component["LOCATION"]) == event.place
    assert component.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert component.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert component.decoded("DTSTART").utcoffset() == timedelta(0)
