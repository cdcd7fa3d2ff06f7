from urllib.parse import urlsplit

from django.core.management import call_command

from network.models import Event
from resources.models import Resource
from tests.resources.test_demo_content import SOURCED_HOSTS
from tests.site.test_french_typography import typography_faults
from tests.site.text import visible_text


def test_the_demo_agenda_loads_and_says_it_is_demonstration(client, db):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent

    events = list(Event.objects.published().prefetch_related("resources"))
    assert 3 <= len(events) <= 4 and Event.objects.count() == len(events)
    # Far enough ahead and behind for the agenda and its past events both to show.
    assert {event.starts_at.year for event in events} == {2026, 2027}
    published = set(Resource.objects.published().values_list("pk", flat=True))
    for event in events:
        assert "(événement de démonstration)" in event.title
        assert event.description.startswith("**Événement de démonstration** :")
        assert {resource.pk for resource in event.resources.all()} <= published
        for url in (event.registration_url, event.replay_url, event.online_url):
            assert not url or urlsplit(url).hostname in SOURCED_HOSTS, url
        page = client.get(event.get_absolute_url())
        assert page.status_code == 200
        assert "Événement de démonstration" in page.content.decode()
    assert any(event.replay_url for event in events if event.starts_at.year == 2026)


def test_the_agenda_pages_follow_french_typography(client, db):
    call_command("load_demo", verbosity=0)
    paths = ["/agenda/", "/agenda/passes/", "/agenda/?type=formation"]
    paths += [event.get_absolute_url() for event in Event.objects.all()]
    for path in paths:
        faults = typography_faults(visible_text(client.get(path).content.decode()))
        assert not faults, (path, faults)
