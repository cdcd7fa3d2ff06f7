"""The kit's test data for benchmarks, on the resources of `generate_scale_data` (in a
database of its own, never with the demo content): the four uses' pages with their
curated selections, parcours of ten steps (resources, cases, the diagnostic, free
text), a progress with some steps done, and ODD goals on the generated resources.
Every title starts with "[Données de test]" and every slug with "test-echelle-"; a
second run adds only what is missing. Prints on its last line one JSON object: the
paths the bench measures (a use page, a parcours, a progress, an ODD page)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.urls import reverse

from kit.enums import ParcoursLevel, PublicationStatus, StepKind
from kit.models import Parcours, Progress, Step, StepDone, Use, UseItem
from resources.enums import Kind, Usage
from resources.goals import Goal
from resources.management.commands.generate_scale_data import PREFIX, SLUG_PREFIX
from resources.models import Resource

PER_USE = 8  # curated resources per use page
CASES_PER_USE = 3
PARCOURS = 4  # one per use
# Ten steps: what each one is (r: resource, c: case, d: the diagnostic, t: free text).
STEP_PATTERN = "rrcdrtcrtr"
DONE_STEPS = 4  # of the measured progress
PROGRESS_TOKEN = f"{SLUG_PREFIX}suivi-0000000000000001"  # URL-safe, as new_token()'s
# generate_scale_data's goals_for(n) in SQL, n being the number in the slug, for the rows
# it made before it gave goals (a bench database made earlier): one UPDATE, once.
NUMBER = f"substring(slug from {len(SLUG_PREFIX) + 1})::int"
GOALS_SQL = (
    f"CASE WHEN {NUMBER} %% 3 = 0 AND {NUMBER} %% 17 <> 16 "
    f"THEN ARRAY[({NUMBER} %% 17) + 1, 17] ELSE ARRAY[({NUMBER} %% 17) + 1] END"
)


class Command(BaseCommand):
    help = (
        "Génère le kit de test (préfixe test-echelle-) sur les ressources de "
        "generate_scale_data : usages, parcours, une progression, objectifs ODD."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autoriser la génération dans une base qui contient déjà du contenu réel.",
        )

    def handle(self, *args, force, **options):
        generated = Resource.objects.filter(slug__startswith=SLUG_PREFIX)
        if Resource.objects.exclude(slug__startswith=SLUG_PREFIX).exists() and not force:
            raise CommandError(
                "Cette base contient du contenu réel : les données de test doivent aller dans "
                "une base à part (voir bench/README.md), ou passez --force."
            )
        if not generated.exists():
            raise CommandError("Aucune ressource de test : lancez d’abord generate_scale_data.")
        with transaction.atomic():
            goals = self.add_goals(generated)
            uses = self.add_uses(generated)
            parcours = self.add_parcours(generated, uses)
            progress = self.add_progress(parcours[0])
        if goals:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE resources_resource")
        self.stdout.write(
            f"{goals} ressources de test rattachées à des ODD, {len(uses)} usages, "
            f"{len(parcours)} parcours de {len(STEP_PATTERN)} étapes."
        )
        self.stdout.write(
            json.dumps(
                {
                    "use_page": uses[0].get_absolute_url(),
                    "parcours_page": parcours[0].get_absolute_url(),
                    "progress_page": progress.get_absolute_url(),
                    "goal_page": reverse("resources:goal", args=[Goal.G17.value]),
                }
            )  # fmt: skip
        )

    def add_goals(self, generated) -> int:
        """One UPDATE of the rows without goals (LibraryQuerySet announces it): about 6
        minutes for 100,000 rows on a busy 2-CPU machine, as each row's search vectors
        are computed again; none for rows made by generate_scale_data since it gives
        them their goals."""
        return generated.filter(goals=[]).update(goals=RawSQL(GOALS_SQL, ()))

    def add_uses(self, generated) -> list[Use]:
        uses = []
        for position, (usage, label) in enumerate(Usage.choices, start=1):
            use, _created = Use.objects.get_or_create(
                usage=usage,
                defaults={
                    "summary": f"{PREFIX} {label} : la page de test de cet usage.",
                    "audience": f"{PREFIX} Les personnes qui veulent {label.lower()}.",
                    "introduction": f"{PREFIX} Une introduction de test pour « {label} ».",
                    "position": position,
                },
            )
            picked = self.picked(generated, usage)
            UseItem.objects.bulk_create(
                [
                    UseItem(
                        use=use,
                        resource_id=pk,
                        position=n,
                        why=f"{PREFIX} Choisie pour la page « {label} ».",
                    )
                    for n, pk in enumerate(picked)
                ],  # fmt: skip
                ignore_conflicts=True,  # a second run: the same resources, once each
            )
            uses.append(use)
        return uses

    @staticmethod
    def picked(generated, usage: str) -> list[int]:
        """The first published resources (then cases) of this use, by id: the same ones
        on every run."""
        of_use = generated.published().filter(usages__contains=[usage]).order_by("pk")
        resources = of_use.exclude(kind=Kind.CASE).values_list("pk", flat=True)[:PER_USE]
        cases = of_use.filter(kind=Kind.CASE).values_list("pk", flat=True)[:CASES_PER_USE]
        return [*resources, *cases]

    def add_parcours(self, generated, uses: list[Use]) -> list[Parcours]:
        published = generated.published().order_by("pk")
        resources = list(published.exclude(kind=Kind.CASE).values_list("pk", flat=True)[:40])
        cases = list(published.filter(kind=Kind.CASE).values_list("pk", flat=True)[:20])
        found = []
        for n, use in zip(range(1, PARCOURS + 1), uses, strict=False):
            parcours, created = Parcours.objects.get_or_create(
                slug=f"{SLUG_PREFIX}parcours-{n}",
                defaults={
                    "title": f"{PREFIX} Parcours n° {n}",
                    "summary": f"{PREFIX} Un parcours de {len(STEP_PATTERN)} étapes.",
                    "introduction": f"{PREFIX} L’introduction du parcours n° {n}.",
                    "audience": "Données de test",
                    "level": ParcoursLevel.DISCOVERY if n % 2 else ParcoursLevel.DEEPENING,
                    "usage": use.usage,
                    "status": PublicationStatus.PUBLISHED,
                    "diagnostic_axes": ["vision", "moyens"] if n == 1 else [],
                    "position": 100 + n,
                },
            )
            if created or not parcours.steps.exists():
                Step.objects.bulk_create(self.steps(parcours, n, resources, cases))
            found.append(parcours)
        return found

    @staticmethod
    def steps(parcours, n: int, resources: list[int], cases: list[int]) -> list[Step]:
        steps = []
        for position, kind in enumerate(STEP_PATTERN):
            step = Step(
                parcours=parcours, position=position, duration_minutes=15 + 5 * position,
                why=f"{PREFIX} Pourquoi l’étape {position + 1}.",
                outcome=f"{PREFIX} Ce que l’étape {position + 1} apprend à faire.",
            )  # fmt: skip
            if kind == "c" and cases:
                step.kind, step.resource_id = StepKind.CASE, cases[(n * 3 + position) % len(cases)]
            elif kind in "rc":
                step.kind = StepKind.RESOURCE
                step.resource_id = resources[(n * 7 + position) % len(resources)]
            elif kind == "d":
                step.kind = StepKind.DIAGNOSTIC
            else:
                step.kind, step.title = StepKind.TEXT, f"{PREFIX} Étape libre {position + 1}"
                step.body = f"{PREFIX} Le texte de l’étape libre {position + 1}."
            steps.append(step)
        return steps

    @staticmethod
    def add_progress(parcours: Parcours) -> Progress:
        progress, _created = Progress.objects.get_or_create(
            token=PROGRESS_TOKEN, defaults={"parcours": parcours}
        )
        done = parcours.steps.order_by("position")[:DONE_STEPS]
        StepDone.objects.bulk_create(
            [StepDone(progress=progress, step=step) for step in done], ignore_conflicts=True
        )
        return progress
