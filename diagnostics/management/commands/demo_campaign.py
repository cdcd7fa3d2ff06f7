"""A shared diagnostic of demonstration for `make run`: fictitious participants of
several actor types (answers drawn by generate_campaign_data's seeded generator), so
that the organiser page shows its consolidated view, its charts and its roadmap.

Idempotent: the campaign is found again by its name; its tokens are random (drawn once)
and printed, so nothing predictable is published. Labelled as demonstration on its page
(Campaign.is_demo) and left out of the observatory's statistics, as every is_demo row."""

import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

from diagnostics.management.commands.generate_campaign_data import participants_add
from diagnostics.models import Campaign
from diagnostics.services import current_questionnaire
from diagnostics.synthesis import synthesize
from territories.models import Commune

NAME = "Diagnostic partagé de démonstration (participants fictifs)"
PARTICIPANTS = 24  # three of each of the eight actor types


class Command(BaseCommand):
    help = (
        "Crée (une fois) un diagnostic partagé de démonstration avec des participants "
        "fictifs et affiche le lien de sa page d’organisateur."
    )

    def handle(self, *args, **options):
        commune = Commune.objects.order_by("code").first()
        if commune is None:
            self.stdout.write(
                "Aucune commune chargée : pas de diagnostic partagé de démonstration."
            )
            return
        with transaction.atomic():
            questionnaire = current_questionnaire()
            campaign, _ = Campaign.objects.get_or_create(
                name=NAME,
                is_demo=True,
                defaults={
                    "commune": commune,
                    "questionnaire": questionnaire,
                    "synthesis": synthesize(None, []),
                },
            )
            participants_add(
                campaign,
                campaign.questionnaire,
                PARTICIPANTS,
                token_prefix=f"demo-{secrets.token_urlsafe(16)}-",
            )
        self.stdout.write(
            f"Diagnostic partagé de démonstration : {campaign.get_absolute_url()} "
            "(page d’organisateur, à ouvrir sur le site)."
        )
