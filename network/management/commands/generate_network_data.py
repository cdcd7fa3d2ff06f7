"""Published directory profiles of test data for benchmarks (run in a database of its
own): names start with "[TEST]" and slugs with "test-fiche-"; a second run adds only
what is missing. Each profile covers one commune (its département and région derived
as the proposal form does), has one to three trades and one theme when themes exist.
Prints one JSON line: the path of a list page to measure."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from network.enums import ProfileStatus, ProfileType, StructureKind, Trade
from network.models import Profile
from resources.models import Theme
from territories.models import Commune

PREFIX = "test-fiche-"
BATCH = 2_000


class Command(BaseCommand):
    help = "Génère des fiches publiées de l’annuaire (préfixe test-fiche-), 10 000 par défaut."

    def add_arguments(self, parser):
        parser.add_argument("--profiles", type=int, default=10_000)

    @transaction.atomic
    def handle(self, *args, profiles, **options):
        communes = list(
            Commune.objects.order_by("-population", "code").values_list(
                "code", "departement_id", "region_id"
            )[:1_000]
        )
        themes = list(Theme.objects.filter(parent=None).values_list("pk", flat=True))
        existing = Profile.objects.filter(slug__startswith=PREFIX).count()
        trades, types, kinds = Trade.values, ProfileType.values, StructureKind.values
        created = Profile.objects.bulk_create(
            (
                Profile(
                    name=f"[TEST] Fiche n° {n}",
                    slug=f"{PREFIX}{n:05d}",
                    profile_type=types[n % len(types)],
                    organisation=f"[TEST] Organisation {n % 500}",
                    structure_kind=kinds[n % len(kinds)],
                    trades=[trades[(n + k) % 4] for k in range(1 + n % 3)],
                    region_codes=[communes[n % len(communes)][2]],
                    departement_codes=[communes[n % len(communes)][1]],
                    presentation="Fiche de test pour mesurer l’annuaire.",
                    email=f"{PREFIX}{n:05d}@example.invalid",
                    token=f"{PREFIX}{n:05d}",
                    status=ProfileStatus.PUBLISHED,
                    is_demo=True,
                )
                for n in range(existing, profiles)
            ),
            batch_size=BATCH,
        )
        links = Profile.communes.through
        links.objects.bulk_create(
            (
                links(
                    profile_id=p.pk,
                    commune_id=communes[int(p.slug[len(PREFIX) :]) % len(communes)][0],
                )
                for p in created
            ),
            batch_size=BATCH,
        )
        if themes:
            theme_links = Profile.themes.through
            theme_links.objects.bulk_create(
                (
                    theme_links(profile_id=p.pk, theme_id=themes[p.pk % len(themes)])
                    for p in created
                ),
                batch_size=BATCH,
            )
        url = reverse("network:directory")
        self.stdout.write(f"{len(created)} fiches créées.")
        self.stdout.write(
            json.dumps(
                {
                    "directory": url,
                    "directory_filtered": url + "?region=84&metier=dialogue-territorial",
                }
            )
        )
