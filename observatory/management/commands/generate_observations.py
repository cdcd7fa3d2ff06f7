"""Synthetic observations for benchmarks (bench/ runs this in a database of its own):
indicators whose slug starts with "test-echelle-", every observation flagged as
demonstration data."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from observatory.models import Indicator, Observation, Source
from rameau_site.progress import progress

PREFIX = "test-echelle-"
PER_INDICATOR = 1000


class Command(BaseCommand):
    help = "Génère des observations de test (données de démonstration) pour les mesures."

    def add_arguments(self, parser):
        parser.add_argument("--observations", type=int, default=100_000)

    @transaction.atomic
    def handle(self, *args, observations, **options):
        existing = Observation.objects.filter(indicator__slug__startswith=PREFIX).count()
        if existing >= observations:
            self.stdout.write(f"{existing} observations de test déjà présentes.")
            return
        Indicator.objects.filter(slug__startswith=PREFIX).delete()
        source, _ = Source.objects.get_or_create(
            title="[Données de test] Source générée pour les mesures",
            defaults={"organisation": "Banc d’essai"},
        )
        count = -(-observations // PER_INDICATOR)
        Indicator.objects.bulk_create(
            Indicator(slug=f"{PREFIX}{i:04d}", title=f"[Données de test] Indicateur {i}",
                      unit="pourcent", theme="pratiques", position=100 + i)
            for i in range(count)
        )  # fmt: skip
        indicators = list(
            Indicator.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True)
        )
        with connection.cursor() as cursor:
            for indicator in progress(
                indicators, stream=self.stdout, desc="Indicateurs", unit="indicateur"
            ):
                self.insert_cells(cursor, indicator, source)
        total = Observation.objects.filter(indicator__slug__startswith=PREFIX).count()
        self.stdout.write(f"{total} observations de test générées.")

    def insert_cells(self, cursor, indicator, source):
        # 1,000 cells per indicator: 18 regions x 7 populations x 8 breakdown values.
        cursor.execute(
            """
            INSERT INTO observatory_observation
              (indicator_id, unit, wave, wave_label, region_id, population, breakdown,
               breakdown_value, value, n, note, source_id, is_demo)
            SELECT i.id, 'pourcent', 2000 + (n / 126), '', r.codes[1 + n %% 18],
                   p.codes[1 + (n / 18) %% 7], 'reponse', 'Modalité ' || ((n / 126) %% 8),
                   round((random() * 100)::numeric, 1), 100 + n, '', %s, true
            FROM observatory_indicator i
            CROSS JOIN generate_series(0, %s::int - 1) AS n
            CROSS JOIN (SELECT ARRAY['01','02','03','04','06','11','24','27','28','32',
                                     '44','52','53','75','76','84','93','94'] AS codes) r
            CROSS JOIN (SELECT ARRAY['citoyens','dirigeants-entreprise',
                   'responsables-associatifs','maires','associations-employeuses',
                   'associations','entreprises'] AS codes) p
            WHERE i.id = %s
            """,
            [source.pk, PER_INDICATOR, indicator],
        )
