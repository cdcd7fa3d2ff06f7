"""Alerts for benchmarks (in a database of its own, on the resources of
`generate_scale_data`): confirmed subscriptions, all due, each watching a catalogue
search among a few hundred (words, types, themes, regions), a theme or the agenda.
Their marks sit just before the 50 most recently published resources, so that a
digest run has something new for many of them. Addresses end in
@test-echelle.example; a new run replaces the previous ones. Prints on its last line
one JSON object: the subscriptions made and the distinct searches."""

import itertools
import json
import random
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from alerts.enums import AlertKind, Frequency
from alerts.models import Alert, Subscriber
from network.enums import EventKind
from resources.enums import Kind
from resources.models import Resource, Theme
from territories.models import region_names

DOMAIN = "@test-echelle.example"
BATCH = 5000
NEW_ITEMS = 50  # the resources published after the alerts' marks
WORDS = ["alliance", "territoire", "solidaire", "évaluation", "gouvernance", "partenariat"]


def search_pool(rng: random.Random, themes: list[str], regions: list[str]) -> list[str]:
    """A few hundred distinct catalogue searches, as alerts keep them (normalised)."""
    kinds = [kind for kind, _ in Kind.choices]
    pool = set()
    for _ in range(600):
        params = []
        if rng.random() < 0.5:
            params.append(("q", rng.choice(WORDS)))
        if rng.random() < 0.5:
            chosen = rng.sample(themes, min(len(themes), rng.randint(1, 2)))
            params += [("theme", slug) for slug in sorted(chosen)]
        if rng.random() < 0.4:
            params.append(("type", rng.choice(kinds)))
        if rng.random() < 0.3:
            params.append(("region", rng.choice(regions)))
        pool.add(urlencode(sorted(params)))
    return sorted(pool)


class Command(BaseCommand):
    help = "Génère des abonnements aux alertes pour les mesures de performance (bench/)."

    def add_arguments(self, parser):
        parser.add_argument("--subscriptions", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)

    @transaction.atomic
    def handle(self, *args, subscriptions, seed, **options):
        rng = random.Random(seed)
        Subscriber.objects.filter(email__endswith=DOMAIN).delete()
        themes = list(Theme.objects.order_by("pk").values_list("pk", "slug"))
        regions = sorted(region_names()) or ["84"]
        pool = search_pool(rng, [slug for _, slug in themes] or ["aucun"], regions)
        recent = (
            Resource.objects.published()
            .order_by("-published_at")
            .values_list("published_at", flat=True)[NEW_ITEMS - 1 : NEW_ITEMS]
        )
        now = timezone.now()
        mark = (recent[0] if recent else now) - timedelta(seconds=1)
        agenda = [""] + [f"type={kind}" for kind, _ in EventKind.choices]
        counter = itertools.count()
        for start in range(0, subscriptions, BATCH):
            count = min(BATCH, subscriptions - start)
            people = Subscriber.objects.bulk_create(
                Subscriber(
                    email=f"alerte-{start + n}{DOMAIN}",
                    token=secrets.token_urlsafe(32),
                    site_url="http://localhost:8000/",
                    confirmed_at=mark,
                )
                for n in range(count)
            )
            alerts = []
            for person in people:
                draw, kind = rng.random(), AlertKind.SEARCH
                if draw < 0.2 and themes:
                    kind = AlertKind.THEME
                elif draw < 0.3:
                    kind = AlertKind.AGENDA
                alerts.append(
                    Alert(
                        subscriber=person,
                        kind=kind,
                        query=(
                            rng.choice(pool)
                            if kind == AlertKind.SEARCH
                            else rng.choice(agenda)
                            if kind == AlertKind.AGENDA
                            else ""
                        ),
                        theme_id=rng.choice(themes)[0] if kind == AlertKind.THEME else None,
                        frequency=Frequency.WEEKLY if next(counter) % 4 else Frequency.DAILY,
                        token=secrets.token_urlsafe(32),
                        confirmed_at=mark,
                        last_sent_at=mark,
                        due_at=now - timedelta(minutes=1),
                    )
                )
            Alert.objects.bulk_create(alerts)
        self.stdout.write(json.dumps({"subscriptions": subscriptions, "searches": len(pool)}))
