"""Synthetic completed diagnostics for benchmarks (bench/ runs this in a database of its
own): tokens start with "test-echelle-", so they can be told apart and replaced. Prints
one JSON line the benchmark reads: a response waiting at step 2, a completed one, and
the form body of step 2."""

import json

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from diagnostics.models import Response
from diagnostics.services import current_questionnaire, profile_save
from diagnostics.steps import questionnaire_structure
from rameau_site.progress import progress
from territories.models import Commune

TOKEN_PREFIX = "test-echelle-"
BATCH = 10_000


class Command(BaseCommand):
    help = "Génère des diagnostics terminés de test (préfixe test-echelle-) pour les mesures."

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, default=100_000)
        parser.add_argument("--replace", action="store_true")

    def handle(self, *args, responses, replace, **options):
        questionnaire = current_questionnaire()
        axes = questionnaire_structure(questionnaire)
        generated = Response.objects.filter(token__startswith=TOKEN_PREFIX)
        if replace:
            generated.delete()
        existing = generated.filter(completed_at__isnull=False).count()
        if existing < responses:
            self.insert(questionnaire, axes, start=existing, count=responses - existing)
        step, _ = Response.objects.get_or_create(
            token=f"{TOKEN_PREFIX}etape", defaults={"questionnaire": questionnaire}
        )
        profile_save(response=step, role="elu", commune=Commune.objects.get(pk="94018"),
                     consent=True)  # fmt: skip
        body = {"version": questionnaire.version, "action": "suivant"}
        for question in axes[0].questions.all():
            body[f"q{question.pk}"] = list(question.choices.all())[2].pk
        completed = generated.filter(completed_at__isnull=False).order_by("pk").first()
        self.stdout.write(
            json.dumps(
                {
                    "step_token": step.token,
                    "results_token": completed.token,
                    "step_body": "&".join(f"{k}={v}" for k, v in body.items()),
                }
            )  # fmt: skip
        )

    @transaction.atomic
    def insert(self, questionnaire, axes, *, start, count):
        """Rows built in SQL (generate_series): 100,000 responses take seconds."""
        codes = [a.code for a in axes]
        snapshot = json.dumps({
            "version": questionnaire.version, "overall": "50.0", "level": "structuration",
            "level_meaning": "", "findings": [], "dont_know": [],
            "axes": [{"code": a.code, "name": a.name, "score": "50.0"} for a in axes],
        })  # fmt: skip
        now = timezone.now()
        # stdout carries the JSON the bench reads: progress goes to stderr.
        bar = progress(stream=self.stderr, total=count, desc="Diagnostics", unit="diagnostic")
        with bar, connection.cursor() as cursor:
            for first in range(start + 1, start + count + 1, BATCH):
                last = min(first + BATCH - 1, start + count)
                self.insert_batch(cursor, questionnaire, codes, snapshot, now, first, last)
                bar.update(last - first + 1)

    def insert_batch(self, cursor, questionnaire, codes, snapshot, now, first, last):
        regions = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93"]
        bands = ["moins-de-2000", "2000-a-19999", "20000-et-plus"]
        cursor.execute(
            """
            INSERT INTO diagnostics_response
              (token, questionnaire_id, created_at, updated_at, completed_at, role,
               region_id, size_band, consent, is_demo, overall_score, level, snapshot)
            SELECT %s || lpad(n::text, 7, '0'), %s, %s, %s, %s, 'elu',
                   (%s::text[])[1 + n %% 12], (%s::text[])[1 + n %% 3], true, false,
                   50.0, 'structuration', %s::jsonb
            FROM generate_series(%s::int, %s::int) AS n
            """,
            [TOKEN_PREFIX, questionnaire.pk, now, now, now, regions, bands, snapshot,
             first, last],
        )  # fmt: skip
        cursor.execute(
            """
            INSERT INTO diagnostics_axisresult (response_id, axis_code, score)
            SELECT r.id, c.code, round((random() * 100)::numeric, 1)
            FROM diagnostics_response r CROSS JOIN unnest(%s::text[]) AS c(code)
            WHERE r.token BETWEEN %s AND %s AND r.completed_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM diagnostics_axisresult x WHERE x.response_id = r.id)
            """,
            [codes, f"{TOKEN_PREFIX}{first:07d}", f"{TOKEN_PREFIX}{last:07d}"],
        )
