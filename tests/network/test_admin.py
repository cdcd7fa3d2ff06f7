"""The agenda in the admin: editors create events in French, the database refuses an
event that ends before it starts or has neither a place nor « en ligne »."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from network.models import Event
from tests.network.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_an_event_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(ends_at=timezone.now())  # starts in 30 days


def test_the_database_refuses_an_event_without_a_place_that_is_not_online():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(place="", online=False)
    EventFactory(place="", online=True)


def test_an_editor_lists_filters_and_searches_events_in_french(editor_client):
    EventFactory(title="Rencontre à Lyon")
    EventFactory(webinar=True, title="Webinaire des pionniers", is_published=False)
    listing = editor_client.get("/admin/network/event/")
    assert listing.status_code == 200
    text = listing.content.decode()
    for label in ("Par type", "Par publié", "Par en ligne", "Rencontre à Lyon", "En ligne"):
        assert label in text
    found = editor_client.get("/admin/network/event/?kind__exact=webinaire&q=pionniers")
    assert "Webinaire des pionniers" in found.content.decode()
    assert "Rencontre à Lyon" not in found.content.decode()
    year = (timezone.now() + timedelta(days=30)).year
    assert editor_client.get(f"/admin/network/event/?starts_at__year={year}").status_code == 200


def test_an_editor_creates_an_event_and_a_wrong_one_gets_french_errors(editor_client):
    data = {
        "title": "Webinaire : évaluer une alliance",
        "slug": "webinaire-evaluer",
        "kind": "webinaire",
        "description": "Un *webinaire*.",
        "organiser": "Le RAMEAU",
        "starts_at_0": "12/05/2027",
        "starts_at_1": "14:00",
        "ends_at_0": "12/05/2027",
        "ends_at_1": "15:30",
        "online": "on",
        "place": "",
    }
    response = editor_client.post("/admin/network/event/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert timezone.localtime(event.starts_at).hour == 14  # typed in Paris time
    assert event.starts_at.utcoffset() == timedelta(0)  # stored in UTC

    wrong = editor_client.post(
        "/admin/network/event/add/",
        data | {"slug": "autre", "online": "", "ends_at_1": "13:00"},
    )
    assert wrong.status_code == 200
    errors = wrong.context["adminform"].form.non_field_errors()
    assert "La fin de l’événement doit venir après son début." in errors
    assert "Indiquez un lieu, ou cochez « en ligne »." in errors
    assert Event.objects.count() == 1


def test_staff_preview_an_unpublished_event_that_visitors_cannot_see(client, editor_client):
    event = EventFactory(is_published=False, title="Atelier en préparation")
    listing = editor_client.get("/admin/network/event/").content.decode()
    assert f'href="/agenda/{event.slug}/apercu/"' in listing
    preview = editor_client.get(f"/agenda/{event.slug}/apercu/")
    assert preview.status_code == 200
    assert "cet événement n’est pas publié" in preview.content.decode()
    assert preview["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(f"/agenda/{event.slug}/apercu/").status_code == 302  # to the login
    assert client.get(f"/agenda/{event.slug}/").status_code == 404
    assert "Aperçu" not in editor_client.get(f"/agenda/{EventFactory().slug}/").content.decode()
