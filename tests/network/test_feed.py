"""The agenda's Atom feed: the upcoming published events of the page's type filter,
soonest first, a plain-text summary, a query count that does not grow."""

import html
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from tests.network.factories import EventFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list:
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_the_feed_lists_what_the_agenda_lists_with_the_same_filter(client):
    later = EventFactory(title="Plus tard <b>&</b>")
    soon = EventFactory(webinar=True, starts_at=later.starts_at - timedelta(days=5))
    EventFactory(past=True)
    EventFactory(is_published=False)
    found = entries(client.get("/agenda/flux/"))
    links = [entry.find(f"{ATOM}link").get("href") for entry in found]
    assert links == [f"http://testserver{e.get_absolute_url()}" for e in (soon, later)]
    assert found[1].find(f"{ATOM}title").text == "Plus tard <b>&</b>"
    summary = found[0].find(f"{ATOM}summary")
    assert "<" not in summary.text and html.unescape(summary.text).startswith("Webinaire, ")
    assert len(entries(client.get("/agenda/flux/?type=webinaire"))) == 1
    assert len(entries(client.get("/agenda/flux/?type=inconnu"))) == 2
    page = client.get("/agenda/?type=webinaire").content.decode()
    assert 'href="/agenda/flux/?type=webinaire"' in page


def test_the_feed_query_count_does_not_grow(client, django_assert_num_queries):
    EventFactory()
    with django_assert_num_queries(1):
        client.get("/agenda/flux/")
    for _ in range(10):
        EventFactory()
    with django_assert_num_queries(1):
        assert len(entries(client.get("/agenda/flux/"))) == 11
