"""The agenda's pages: upcoming events first, past ones with their replay, the filter by
type (a bad query string is ignored, never a 500), unpublished events hidden, the
detail page, French 404, query counts that do not grow with the events, the sitemap."""

from datetime import timedelta

import pytest
from django.utils import timezone

from network.dates import when_label
from network.models import Event
from tests.network.factories import EventFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [event.title for event in response.context["page"].object_list]


def test_upcoming_events_come_soonest_first_and_past_ones_on_their_own_page(client):
    now = timezone.now()
    later = EventFactory(title="Plus tard", starts_at=now + timedelta(days=60))
    soon = EventFactory(title="Bientôt", starts_at=now + timedelta(days=2))
    under_way = EventFactory(
        title="En cours", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    old = EventFactory(past=True, title="Il y a longtemps", starts_at=now - timedelta(days=300))
    recent = EventFactory(past=True, title="Récent", replay_url="https://video.example.org/r")
    EventFactory(title="Brouillon", is_published=False)
    EventFactory(past=True, title="Brouillon passé", is_published=False)

    agenda = client.get("/agenda/")
    assert agenda.status_code == 200
    assert titles(agenda) == [under_way.title, soon.title, later.title]
    assert "3 événements à venir" in agenda.content.decode()

    past = client.get("/agenda/passes/")
    assert titles(past) == [recent.title, old.title]
    assert 'href="https://video.example.org/r"' in past.content.decode()
    assert "Brouillon" not in agenda.content.decode() + past.content.decode()


def test_the_type_filter_is_a_get_form_and_bad_query_strings_are_ignored(client):
    EventFactory(title="Rencontre des pairs")
    EventFactory(webinar=True, title="Webinaire replay")
    page = client.get("/agenda/?type=webinaire")
    assert titles(page) == ["Webinaire replay"]
    text = page.content.decode()
    assert '<form method="get"' in text and '<option value="webinaire" selected>' in text
    for query in ("type=inconnu", "type=", "page=abc", "page=999", "type[]=x&page=-1", "page=1e9"):
        response = client.get(f"/agenda/?{query}")
        assert response.status_code == 200, query
    assert len(titles(client.get("/agenda/?type=autre"))) == 2  # a page not yet kept
    assert client.get("/agenda/passes/?type=%00").status_code == 200


def test_pagination_keeps_the_filter(client):
    for _ in range(21):
        EventFactory(webinar=True)
    page = client.get("/agenda/?type=webinaire")
    assert "Page 1 sur 2" in page.content.decode()
    assert 'href="?type=webinaire&amp;page=2"' in page.content.decode()
    assert len(titles(client.get("/agenda/?type=webinaire&page=2"))) == 1


def test_the_detail_page_says_when_where_and_links_published_resources(client):
    resource = ResourceFactory(title="Guide de l’évaluation partenariale")
    hidden = ResourceFactory(title="Ressource en brouillon", status="brouillon")
    event = EventFactory(
        title="Rencontre : évaluer",
        description="Un **échange**.\n\n<script>alert(1)</script>",
        registration_url="https://inscription.example.org/",
        capacity=40,
    )
    event.resources.add(resource, hidden)
    page = client.get(f"/agenda/{event.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert when_label(event.starts_at, event.ends_at) in text
    assert "(heure de Paris)" in text and "Hôtel de ville, Lyon" in text
    assert "<strong>échange</strong>" in text and "<script>alert" not in text
    assert resource.title in text and hidden.title not in text
    assert 'href="https://inscription.example.org/"' in text and "40" in text
    assert f'href="/agenda/{event.slug}.ics"' in text


def test_an_online_link_is_never_on_the_public_page(client):
    free = EventFactory(webinar=True)
    here = EventFactory(webinar=True, capacity=10)
    elsewhere = EventFactory(webinar=True, registration_url="https://inscription.example.org/")
    pages = {e: client.get(f"/agenda/{e.slug}/").content.decode() for e in (free, here, elsewhere)}
    assert all(event.online_url not in text for event, text in pages.items())
    assert (
        "Le lien de connexion est envoyé aux personnes dont l’inscription est confirmée."
        in pages[here]
    )
    assert "donné par l’organisateur aux personnes inscrites" in pages[elsewhere]
    for path in ("/agenda.ics", f"/agenda/{here.slug}.ics", "/agenda/flux/"):
        assert here.online_url not in client.get(path).content.decode()


def test_a_past_event_shows_its_replay_instead_of_registration(client):
    event = EventFactory(
        past=True, replay_url="https://video.example.org/r", registration_url="https://i.example/"
    )
    text = client.get(f"/agenda/{event.slug}/").content.decode()
    assert "Événement passé" in text and 'href="https://video.example.org/r"' in text
    assert "https://i.example/" not in text


def test_a_past_event_keeps_its_page_with_its_replay_and_its_documents(client):
    event = EventFactory(past=True, replay_url="https://video.example.org/r")
    slides = ResourceFactory(title="Support de la rencontre")
    event.resources.add(slides, ResourceFactory(title="Brouillon", status="brouillon"))
    text = client.get(f"/agenda/{event.slug}/").content.decode()
    assert "Documents de l’événement" in text and 'href="https://video.example.org/r"' in text
    assert f'href="{slides.get_absolute_url()}"' in text and "Brouillon" not in text
    assert f'<span class="badge">{slides.get_kind_display()}</span>' in text
    listed = client.get("/agenda/passes/").content.decode()
    assert event.get_absolute_url() in listed and "Voir le replay" in listed
    upcoming = EventFactory()
    upcoming.resources.add(slides)
    assert "Ressources liées" in client.get(f"/agenda/{upcoming.slug}/").content.decode()


def test_unpublished_and_unknown_events_get_the_french_404(client):
    hidden = EventFactory(is_published=False)
    for path in (f"/agenda/{hidden.slug}/", f"/agenda/{hidden.slug}.ics", "/agenda/inconnu/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Cette page est introuvable" in response.content.decode()


def test_query_counts_do_not_grow_with_the_events(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    def counts():
        found = []
        # A page rendered: the agenda's version, the count, the page; .ics: its events.
        for path, queries in (("/agenda/", 3), ("/agenda/passes/", 3), ("/agenda.ics", 1)):
            with django_assert_num_queries(queries) as context:
                assert client.get(path).status_code == 200
            found.append(len(context.captured_queries))
        return found

    with django_capture_on_commit_callbacks(execute=True):  # the agenda's version moves
        EventFactory()
        EventFactory(past=True)
    few = counts()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(15):
            EventFactory().resources.add(ResourceFactory())
            EventFactory(past=True)
    assert counts() == few
    event = EventFactory()
    event.resources.add(ResourceFactory(), ResourceFactory())
    with django_assert_num_queries(1):  # the event with its published resources
        assert client.get(f"/agenda/{event.slug}/").status_code == 200
    event = EventFactory(capacity=50)
    for n in range(30):
        event.registrations.create(name="A", email=f"a{n}@example.org", status="confirmee")
    with django_assert_num_queries(1):  # and the places taken, in the same statement
        assert "Il reste 20 places sur 50." in client.get(f"/agenda/{event.slug}/").content.decode()


def test_the_agenda_pages_are_kept_until_an_event_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(title="Rencontre de Lyon")
    assert "Rencontre de Lyon" in client.get("/agenda/").content.decode()
    with django_assert_num_queries(1):  # the version only: the page is kept
        assert "Rencontre de Lyon" in client.get("/agenda/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Rencontre de Dijon"
        event.save()
    assert "Rencontre de Dijon" in client.get("/agenda/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.filter(pk=event.pk).update(is_published=False)  # a bulk write too
    assert "Rencontre de Dijon" not in client.get("/agenda/").content.decode()


def test_the_sitemap_lists_the_agenda_and_published_events_only(client):
    shown, hidden = EventFactory(), EventFactory(is_published=False)
    text = client.get("/sitemap.xml").content.decode()
    assert "/agenda/</loc>" in text and "/agenda/passes/</loc>" in text
    assert f"/agenda/{shown.slug}/</loc>" in text and hidden.slug not in text


def test_when_is_said_in_french_in_paris_time():
    from datetime import UTC, datetime

    same_day = when_label(
        datetime(2027, 5, 13, 12, 0, tzinfo=UTC), datetime(2027, 5, 13, 13, 30, tzinfo=UTC)
    )
    assert same_day == "jeudi 13 mai 2027, de 14\u00a0h à 15\u00a0h\u00a030 (heure de Paris)"
    winter = when_label(
        datetime(2027, 1, 1, 8, 0, tzinfo=UTC), datetime(2027, 1, 2, 16, 0, tzinfo=UTC)
    )
    assert winter == "du 1er janvier 2027 à 9\u00a0h au 2 janvier 2027 à 17\u00a0h (heure de Paris)"


def test_the_main_navigation_leads_to_the_agenda_and_marks_it(client):
    home = client.get("/").content.decode()
    assert '<a href="/agenda/">Agenda</a>' in home
    assert (
        '<a href="/agenda/" aria-current="page">Agenda</a>'
        in client.get("/agenda/").content.decode()
    )
    event = EventFactory()
    detail = client.get(f"/agenda/{event.slug}/").content.decode()
    assert '<a href="/agenda/" aria-current="page">Agenda</a>' in detail
    assert "S’inscrire" not in detail  # no registration link given
