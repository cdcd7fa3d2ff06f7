from datetime import timedelta

import factory
from django.utils import timezone

from network.enums import EventKind, ProfileStatus, ProfileType, StructureKind, Trade
from network.models import Event, Profile


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


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        skip_postgeneration_save = True

    profile_type = ProfileType.STRUCTURE
    name = factory.Sequence(lambda n: f"Maison des alliances {n}")
    slug = factory.Sequence(lambda n: f"maison-des-alliances-{n}")
    organisation = "Association des alliances"
    structure_kind = StructureKind.ASSOCIATION
    trades = factory.LazyFunction(lambda: [Trade.DIALOGUE])
    region_codes = factory.LazyFunction(lambda: ["84"])
    departement_codes = factory.LazyFunction(lambda: ["69"])
    presentation = "Nous **animons** le dialogue territorial."
    website = "https://alliances.example.org/"
    email = factory.Sequence(lambda n: f"catalyseur{n}@example.org")
    status = ProfileStatus.PUBLISHED

    class Params:
        pending = factory.Trait(status=ProfileStatus.PENDING)
        confirmed = factory.Trait(status=ProfileStatus.CONFIRMED)
