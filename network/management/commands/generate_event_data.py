"""The agenda's test data for benchmarks (in a database of its own, never with the
demo content): published events spread over the next years and the past ones, of
every type, a third online, some with places on the site. Every title starts with
"[Données de test]" and every slug with "test-echelle-evenement-"; a second run adds
only what is missing (bulk_create, one INSERT per 2,000 events: ~1 s for 10,000).
Prints on its last line one JSON object: the paths the bench measures."""

import json
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from network.enums import EventKind
from network.models import Event
from resources.management.commands.generate_scale_data import PREFIX

SLUG_PREFIX = "test-echelle-evenement-"
BATCH = 2_000
CITIES = ["Lyon", "Lille", "Nantes", "Rennes", "Dijon", "Metz", "Pau", "Brest", "Tours", "Albi"]
TOPICS = [
    "faire alliance sur son territoire", "évaluer un partenariat", "mobiliser les entreprises",
    "co-construire un projet de territoire", "la catalyse territoriale", "les communs",
]  # fmt: skip


def event_number(n: int, now) -> Event:
    """The n-th event: three in four to come (one every 2 hours), one in four past."""
    kinds = EventKind.values
    kind = kinds[n % len(kinds)]
    starts_at = now + timedelta(hours=2 * (n // 4) + 1) if n % 4 else now - timedelta(days=n + 1)
    online = n % 3 == 0
    city = CITIES[n % len(CITIES)]
    return Event(
        title=f"{PREFIX} {EventKind(kind).label} : {TOPICS[n % len(TOPICS)]} n° {n}",
        slug=f"{SLUG_PREFIX}{n:05d}",
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        online=online,
        place="" if online else f"Maison des associations, {city}",
        online_url="https://visio.example.org/test" if online else "",
        description=f"Événement de test n° {n}, pour mesurer l’agenda à grande échelle.",
        organiser="Organisateur de test",
        capacity=40 if n % 5 == 0 else None,
        replay_url="https://video.example.org/test" if n % 4 == 0 else "",
        is_published=True,
    )


class Command(BaseCommand):
    help = "Génère des événements de test (préfixe test-echelle-evenement-) pour les mesures."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=10_000)

    @transaction.atomic
    def handle(self, *args, events, **options):
        existing = set(
            Event.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
        )
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        missing = (
            event_number(n, now) for n in range(events) if f"{SLUG_PREFIX}{n:05d}" not in existing
        )
        created = len(Event.objects.bulk_create(missing, batch_size=BATCH))
        self.stdout.write(f"{created} événements créés, {len(existing)} déjà là.")
        middle = f"{SLUG_PREFIX}{(events // 2) | 1:05d}"  # an odd number: one to come
        self.stdout.write(
            json.dumps(
                {
                    "agenda": reverse("network:agenda"),
                    "agenda_page": reverse("network:agenda") + "?page=10",
                    "event": reverse("network:event", args=[middle]),
                }
            )  # fmt: skip
        )
