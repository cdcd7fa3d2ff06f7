"""network/selectors.event_page's one statement against the simple way (the ORM's event,
its published resources in title order, places_left's count): published, in draft,
due later or another event's resources, confirmed or other registrations, unpublished
events found only for the preview, unknown slugs; and the page's Jinja2 body escaping
text as Django's templates did."""

import pytest
from django.utils import timezone

from network.models import Event
from network.selectors import event_page
from network.services import places_left
from resources.models import Resource
from tests.network.factories import EventFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def orm_resources(event: Event) -> list[tuple[str, str, str]]:
    published = event.resources.filter(status="publie", published_at__lte=timezone.now())
    return [
        (r.title, r.get_absolute_url(), r.get_kind_display()) for r in published.order_by("title")
    ]


def shown(event: Event) -> list[tuple[str, str, str]]:
    return [(r.title, r.url, r.kind_label) for r in event.published_resources]


def test_the_event_and_its_resources_are_those_the_orm_reads():
    event = EventFactory(title='L\'atelier "x" & <y>', capacity=12, webinar=True)
    resources = [
        ResourceFactory(title="Zèbre", case=True), ResourceFactory(title="Alpha & <b>"),
        ResourceFactory(title="Méthode", kind="outil"), ResourceFactory(draft=True),
        ResourceFactory(title="Plus tard", future=True),
    ]  # fmt: skip
    event.resources.add(*resources)
    EventFactory().resources.add(ResourceFactory(title="Ailleurs"))
    for n, status in enumerate(["confirmee", "confirmee", "a-confirmer", "liste-d-attente"]):
        event.registrations.create(
            name="A", email=f"a{n}@example.org", status=status, waiting_since=timezone.now()
        )

    page = event_page(event.slug)

    expected = Event.objects.get(pk=event.pk)
    fields = [field.attname for field in Event._meta.concrete_fields]
    assert {name: getattr(page, name) for name in fields} == {
        name: getattr(expected, name) for name in fields
    }
    assert (page.pk, page._state.adding, page._state.db) == (event.pk, False, "default")
    assert shown(page) == orm_resources(expected) and len(page.published_resources) == 3
    assert [r.title for r in page.published_resources] == ["Alpha & <b>", "Méthode", "Zèbre"]
    assert (
        page.places_taken == 2
        and places_left(page, page.places_taken) == places_left(expected) == 10
    )
    assert page.get_kind_display() == expected.get_kind_display()
    assert page.description_html == expected.description_html
    assert Resource.objects.count() == 6


def test_an_event_without_resources_or_registrations():
    event = EventFactory()
    page = event_page(event.slug)
    assert page.published_resources == [] == orm_resources(event) and page.places_taken == 0


def test_an_unpublished_event_is_found_for_the_preview_only():
    hidden = EventFactory(is_published=False)
    hidden.resources.add(ResourceFactory(title="Support"), ResourceFactory(draft=True))
    assert event_page(hidden.slug) is None
    preview = event_page(hidden.slug, published_only=False)
    assert preview.pk == hidden.pk and shown(preview) == orm_resources(hidden)
    assert event_page("inconnu") is None and event_page("inconnu", published_only=False) is None


def test_the_page_escapes_text_as_django_does(client, settings):
    """The body is a Jinja2 fragment: its text keeps Django's escaping (`&#x27;`)."""
    odd = 'L\'atelier "x" & <y>'
    event = EventFactory(title=odd, place=odd, organiser=odd, capacity=3)
    event.resources.add(ResourceFactory(title=odd))
    text = client.get(f"/agenda/{event.slug}/").content.decode()
    escaped = "L&#x27;atelier &quot;x&quot; &amp; &lt;y&gt;"
    assert f"<h1>{escaped}</h1>" in text and f"<dd>{escaped}</dd>" in text
    assert f">{escaped}</a>" in text and "&#39;" not in text and "&#34;" not in text
    settings.DIAGNOSTIC_EMAILS_PER_HOUR = 100
    data = {"name": odd, "email": "pas-une-adresse"}
    errors = client.post(f"/agenda/{event.slug}/inscription/", data).content.decode()
    assert f'name="name" id="id_name" value="{escaped}"' in errors
    assert 'aria-describedby="id_consent_erreur"' in errors and "&#39;" not in errors
