from datetime import timedelta

import factory
from django.utils import timezone

from network.enums import EventKind
from network.models import Event


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Rencontre des catalyseurs {n}")
    slug = factory.Sequence(lambda n: f"rencontre-{n}")
    kind = EventKind.MEETING
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    place = "Hôtel de ville, Lyon"
    description = "Une rencontre entre **pairs**."
    organiser = "Le RAMEAU"
    is_published = True

    class Params:
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
        )
        webinar = factory.Trait(
            kind=EventKind.WEBINAR, online=True, place="", online_url="https://visio.example.org/r"
        )
