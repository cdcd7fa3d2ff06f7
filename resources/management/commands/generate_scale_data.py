"""Synthetic resources for benchmarks, in realistic French: never mixed with the demo
content (bench/ runs it in a database of its own). Every title starts with
"[Données de test]" so a generated row can never be mistaken for real content."""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from rameau_site.progress import progress
from resources.enums import Audience, Form, Kind, Level, PartnershipMode, Status, Usage
from resources.models import Resource, Tag, TaggedResource, Theme
from resources.rendering import render_markdown
from territories.enums import REGION_CODES, SizeBand

PREFIX = "[Données de test]"
SLUG_PREFIX = "test-echelle-"
NOUNS = [
    "partenariat", "territoire", "commune", "association", "entreprise", "collectivité",
    "catalyseur", "dialogue", "expérimentation", "évaluation", "mécénat", "innovation",
    "confiance", "transition", "mobilité", "emploi", "insertion", "jeunesse", "santé",
    "logement", "alimentation", "énergie", "numérique", "culture", "sport", "environnement",
    "solidarité", "tiers-lieu", "réseau", "projet", "école", "quartier", "village", "bourg",
    "métropole", "vallée", "montagne", "littoral", "agriculture", "artisanat", "commerce",
    "tourisme", "patrimoine", "biodiversité", "eau", "forêt", "déchet", "recyclage", "vélo",
    "covoiturage", "bibliothèque", "musée", "théâtre", "festival", "marché", "coopérative",
    "fondation", "mutuelle", "banque", "université", "lycée", "collège", "crèche", "hôpital",
    "pharmacie", "médecin", "infirmier", "aidant", "senior", "enfant", "famille", "habitant",
    "bénévole", "salarié", "élu", "agent", "maire", "conseil", "budget", "subvention",
    "appel", "charte", "convention", "contrat", "feuille", "diagnostic", "atelier", "forum",
    "rencontre", "comité", "club", "fablab", "incubateur", "pépinière", "plateforme", "guichet",
    "observatoire", "indicateur", "rapport", "enquête", "étude", "guide", "outil", "méthode",
]  # fmt: skip
# The benchmark's frequent search term: placed in exactly a third of the rows (title,
# summary or body), and absent from the vocabulary above.
FREQUENT_TERM = "alliance"
FREQUENT_SHARE = 3
ADJECTIVES = [
    "territoriale", "partenariale", "locale", "durable", "collective", "solidaire",
    "innovante", "rurale", "urbaine", "intercommunale", "citoyenne", "économique", "sociale",
]  # fmt: skip
VERBS = [
    "renforce", "accompagne", "mobilise", "structure", "évalue", "finance", "anime",
    "relie", "outille", "inspire", "facilite", "développe",
]  # fmt: skip
TAGS = [
    "co-construction", "évaluation", "mécénat", "dialogue territorial", "odd 17", "impact",
    "catalyseur territorial", "tiers-lieu", "gouvernance", "financement", "ruralité",
    "emploi", "jeunesse", "transition écologique", "innovation sociale", "méthode",
]  # fmt: skip


def sentence(rng: random.Random, words: int) -> str:
    parts = []
    for _ in range(words // 3):
        parts.append(f"{rng.choice(NOUNS)} {rng.choice(ADJECTIVES)} {rng.choice(VERBS)}")
    text = " ".join(parts)
    return text[:1].upper() + text[1:] + "."


def goals_for(index: int) -> list[int]:
    """One ODD goal from the row's number, and one row in three ODD 17 as well: about
    38 % of the rows on /odd/17/, the compass's way in."""
    goal = index % 17 + 1
    return [goal, 17] if index % 3 == 0 and goal != 17 else [goal]


def pick(rng: random.Random, choices, most: int = 2) -> list[str]:
    return rng.sample([value for value, _ in choices], rng.randint(1, most))


class Command(BaseCommand):
    help = "Génère des ressources synthétiques pour les mesures de performance (bench/)."

    def add_arguments(self, parser):
        parser.add_argument("--resources", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Supprimer d’abord les ressources de test (après un changement du générateur).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autoriser la génération dans une base qui contient déjà du contenu réel.",
        )

    def handle(self, *args, resources, seed, force, replace, **options):
        real = Resource.objects.exclude(slug__startswith=SLUG_PREFIX).exists()
        if real and not force:
            raise CommandError(
                "Cette base contient du contenu réel : les données de test doivent aller dans "
                "une base à part (voir bench/README.md), ou passez --force."
            )
        if replace:
            deleted = Resource.objects.filter(slug__startswith=SLUG_PREFIX).delete()[0]
            self.stdout.write(f"{deleted} lignes de test supprimées.")
        rng = random.Random(seed)
        existing = Resource.objects.filter(slug__startswith=SLUG_PREFIX).count()
        if existing >= resources:
            self.stdout.write(f"{existing} ressources de test déjà présentes.")
            return
        themes = list(Theme.objects.values_list("pk", flat=True))
        if not themes:
            themes = [
                Theme.objects.create(name=f"Thème d’essai {i}", slug=f"{SLUG_PREFIX}theme-{i}").pk
                for i in range(12)
            ]
        tags = [
            Tag.objects.get_or_create(name=name, defaults={"slug": name.replace(" ", "-")})[0]
            for name in TAGS
        ]
        now = timezone.now()
        batch = 5000
        with (
            transaction.atomic(),
            progress(
                stream=self.stdout, total=resources, desc="Ressources", unit="ressource"
            ) as bar,
        ):
            bar.update(existing)
            for start in range(existing, resources, batch):
                count = min(batch, resources - start)
                self.create_batch(rng, start, count, themes, tags, now)
                bar.update(count)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE resources_resource")
            cursor.execute("ANALYZE resources_taggedresource")
        self.stdout.write(self.style.SUCCESS(f"{resources} ressources de test prêtes."))

    def create_batch(self, rng, start, count, themes, tags, now):
        rows = []
        row_tags = []
        for index in range(start, start + count):
            kind = rng.choice([k for k, _ in Kind.choices])
            chosen_tags = rng.sample(tags, rng.randint(1, 4))
            body = "\n\n".join(sentence(rng, rng.randint(30, 90)) for _ in range(rng.randint(2, 5)))
            title = sentence(rng, 9)[:-1]
            summary = sentence(rng, rng.randint(15, 30))
            if index % FREQUENT_SHARE == 0:
                place = rng.choice(["title", "summary", "body"])
                if place == "title":
                    title = f"{title} et {FREQUENT_TERM}"
                elif place == "summary":
                    summary = f"{summary} Une {FREQUENT_TERM} locale."
                else:
                    body = f"{body}\n\nUne {FREQUENT_TERM} entre acteurs du territoire."
            rows.append(
                Resource(
                    title=f"{PREFIX} {title}",
                    slug=f"{SLUG_PREFIX}{index}",
                    summary=summary,
                    body=body,
                    body_html=render_markdown(body),
                    kind=kind,
                    status=Status.PUBLISHED,
                    published_at=now - datetime.timedelta(minutes=index),
                    year=rng.randint(2008, 2026),
                    audiences=pick(rng, Audience.choices, 3),
                    usages=pick(rng, Usage.choices),
                    levels=pick(rng, Level.choices),
                    forms=pick(rng, Form.choices),
                    modes=pick(rng, PartnershipMode.choices),
                    region_id=rng.choice(REGION_CODES)
                    if kind == Kind.CASE or rng.random() < 0.2
                    else None,
                    size_band=rng.choice([v for v, _ in SizeBand.choices])
                    if kind == Kind.CASE
                    else "",
                    is_fictional=kind == Kind.CASE,
                    goals=goals_for(index),
                    search_tags=" ".join(tag.name for tag in chosen_tags),
                )
            )
            row_tags.append(chosen_tags)
        created = Resource.objects.bulk_create(rows)
        TaggedResource.objects.bulk_create(
            [
                TaggedResource(content_object=resource, tag=tag)
                for resource, chosen in zip(created, row_tags, strict=True)
                for tag in chosen
            ]
        )
        through = Resource.themes.through
        through.objects.bulk_create(
            [
                through(resource_id=resource.pk, theme_id=theme)
                for resource in created
                for theme in rng.sample(themes, rng.randint(1, 2))
            ]
        )
