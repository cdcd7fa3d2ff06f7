"""Shared diagnostics of test data for benchmarks (run in a database of its own): one
campaign with 1,000 completed participants and 10,000 others without any. Names start
with "[TEST]" and tokens with "test-collectif-"; a second run adds only what is missing.
Prints one JSON line: the organiser page and synthese.json of the large campaign."""

import json
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from diagnostics.enums import ACTOR_ROLES, ActorType, Role
from diagnostics.models import Answer, AxisResult, Campaign, Response
from diagnostics.scoring import LEVEL_MEANINGS, score, shown_questions
from diagnostics.services import campaign_synthesis_refresh, current_questionnaire
from diagnostics.steps import questionnaire_parts
from diagnostics.synthesis import synthesize
from territories.models import Commune

PREFIX = "test-collectif-"
LARGE = f"{PREFIX}grand"
BATCH = 2_000


class Command(BaseCommand):
    help = (
        "Génère des diagnostics partagés de test (préfixe test-collectif-) : un avec 1 000 "
        "participants, 10 000 sans participant."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=1_000)
        parser.add_argument("--campaigns", type=int, default=10_000)

    def handle(self, *args, participants, campaigns, **options):
        questionnaire = current_questionnaire()
        communes = list(Commune.objects.order_by("code").values_list("code", flat=True)[:500])
        large = self.large_campaign(questionnaire, communes[0])
        participants_add(large, questionnaire, participants)
        self.add_campaigns(questionnaire, communes, campaigns)
        url = reverse("diagnostics:campaign", args=[large.organiser_token])
        self.stdout.write(
            json.dumps({"organiser_page": url, "synthese_json": url + "synthese.json"})
        )

    def large_campaign(self, questionnaire, commune) -> Campaign:
        campaign, _ = Campaign.objects.get_or_create(
            organiser_token=f"{LARGE}-organisateur",
            defaults={
                "name": "[TEST] Diagnostic partagé à 1 000 participants",
                "invitation_token": f"{LARGE}-invitation",
                "commune_id": commune,
                "questionnaire": questionnaire,
                "is_demo": True,
                "synthesis": synthesize(None, []),
            },
        )
        return campaign

    @transaction.atomic
    def add_campaigns(self, questionnaire, communes, wanted):
        names = Campaign.objects.filter(organiser_token__startswith=f"{PREFIX}vide-")
        existing = names.count()
        empty = synthesize(None, [])
        Campaign.objects.bulk_create(
            (
                Campaign(
                    name=f"[TEST] Diagnostic partagé n° {n}",
                    organiser_token=f"{PREFIX}vide-{n:05d}-organisateur",
                    invitation_token=f"{PREFIX}vide-{n:05d}-invitation",
                    commune_id=communes[n % len(communes)],
                    questionnaire=questionnaire,
                    is_demo=True,
                    synthesis=empty,
                )  # fmt: skip
                for n in range(existing, wanted)
            ),
            batch_size=BATCH,
        )


@transaction.atomic
def participants_add(campaign, questionnaire, wanted, *, token_prefix=PREFIX):
    """Up to `wanted` completed participants in `campaign`, answers drawn per actor
    type (seeded: the same data every run), scored by the site's own rules, then the
    consolidated view computed once."""
    existing = campaign.participants.count()
    if existing >= wanted:
        return
    axes, definition = questionnaire_parts(questionnaire)
    commune = campaign.commune
    types = list(ActorType.values)
    now = timezone.now()
    for first in range(existing, wanted, BATCH):
        numbers = range(first, min(first + BATCH, wanted))
        drawn = {}
        responses = []
        for n in numbers:
            rng = random.Random(n)
            actor_type = types[n % len(types)]
            bias = types.index(actor_type) % 4  # some types see the territory higher
            answers = {}
            for question in definition.questions:
                choices = list(question.choices)
                graded = [c for c in choices if c.points is not None and not c.dont_know]
                if rng.random() < 0.12:
                    answers[question.id] = (
                        choices[-1].id
                        if rng.random() < 0.5
                        else (next((c.id for c in choices if c.dont_know), graded[0].id))
                    )
                else:
                    target = min(3, max(0, round(rng.gauss(bias * 0.6 + 0.6, 0.9))))
                    answers[question.id] = next(
                        (c.id for c in graded if c.points == target), graded[0].id
                    )
            shown = {q.id for q in shown_questions(definition, answers)}
            answers = {q: c for q, c in answers.items() if q in shown}
            result = score(definition, answers)
            drawn[n] = (answers, result)
            responses.append(Response(
                token=f"{token_prefix}{n:05d}", questionnaire=questionnaire, campaign=campaign,
                actor_type=actor_type, role=ACTOR_ROLES.get(actor_type, Role.OTHER),
                commune=commune, departement_id=commune.departement_id,
                region_id=commune.region_id, size_band=commune.size_band, consent=False,
                is_demo=True, created_at=now, completed_at=now,
                overall_score=result.overall, level=result.level or "",
                snapshot=snapshot(questionnaire, axes, result),
            ))  # fmt: skip
        created = Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(
            Answer(response=r, question_id=q, choice_id=c, answered_at=now)
            for r, n in zip(created, numbers, strict=True)
            for q, c in drawn[n][0].items()
        )
        AxisResult.objects.bulk_create(
            AxisResult(response=r, axis_code=code, score=value)
            for r, n in zip(created, numbers, strict=True)
            for code, value in drawn[n][1].axes.items()
        )
    campaign_synthesis_refresh(campaign=campaign, definition=definition)


def snapshot(questionnaire, axes, result) -> dict:
    return {
        "version": questionnaire.version,
        "overall": str(result.overall) if result.overall is not None else None,
        "level": result.level,
        "level_meaning": LEVEL_MEANINGS.get(result.level, ""),
        "axes": [
            {
                "code": a.code,
                "name": a.name,
                "score": str(v) if (v := result.axes[a.code]) is not None else None,
            }
            for a in axes
        ],  # fmt: skip
        "findings": [f | {"gap": str(f["gap"])} for f in result.findings],
        "dont_know": [],
    }
