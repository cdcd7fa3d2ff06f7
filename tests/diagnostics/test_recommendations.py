"""What the results suggest: real cases before illustrative ones, no news article as a
tool, never the self-diagnostic to someone who has just taken it."""

import random
from datetime import timedelta

import pytest
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from diagnostics.models import Recommendation
from diagnostics.recommendations import DIAGNOSTIC_TAG, NOT_TOOLS, tools_for
from resources.enums import Kind, Status
from resources.models import Resource, Theme
from tests.resources.factories import ResourceFactory, TagFactory

pytestmark = pytest.mark.django_db


def cards_order(html: str, titles: list[str]) -> list[str]:
    return sorted((t for t in titles if t in html), key=html.index)


def test_real_cases_come_before_illustrative_ones_of_the_same_place(taker, client):
    fictional = ResourceFactory(
        case=True, title="Un cas illustratif francilien", region_id="11", is_fictional=True,
        featured=True,
    )  # fmt: skip
    same_size = ResourceFactory(
        case=True, title="Un cas réel d’une ville moyenne", region_id="53",
        size_band="20000-et-plus",
    )  # fmt: skip
    # A real case placed by its commune only (Les Mureaux, Île-de-France), as in the demo.
    by_commune = ResourceFactory(case=True, title="Un cas réel des Mureaux", commune_id="78440")
    taker.complete()  # Charenton-le-Pont: Île-de-France, 20 000 inhabitants and more
    html = client.get(f"/diagnostic/{taker.token}/resultats/").content.decode()
    section = html[html.index("Qui peut vous inspirer") :]
    titles = [by_commune.title, same_size.title, fictional.title]
    assert cards_order(section, titles) == titles
    card = section[section.index(fictional.title) - 600 : section.index(fictional.title)]
    assert "Cas illustratif" in card


def test_tools_are_neither_news_articles_nor_the_diagnostic_itself(taker, client):
    theme = Theme.objects.create(name="Évaluation", slug="evaluation-test")
    tag = TagFactory(name="autodiagnostic", slug="autodiagnostic")
    guide = ResourceFactory(title="Un guide d’évaluation", themes=[theme])
    article = ResourceFactory(title="Une actualité", kind=Kind.ARTICLE, themes=[theme])
    itself = ResourceFactory(
        title="L’autodiagnostic de maturité", kind=Kind.TOOL, tags=[tag], featured=True
    )
    recommendation = Recommendation.objects.create(axis_code="evaluation")
    recommendation.themes.add(theme)
    recommendation.tags.add(tag)
    taker.complete(points=lambda q: 0 if q.axis.code == "evaluation" else 3)
    html = client.get(f"/diagnostic/{taker.token}/resultats/").content.decode()
    assert guide.get_absolute_url() in html
    assert article.get_absolute_url() not in html
    assert itself.get_absolute_url() not in html


def test_the_demo_mapping_offers_no_article_and_not_the_diagnostic(db):
    from django.conf import settings
    from django.core.management import call_command

    for name in ("01_taxonomy", "02_resources", "04_recommendations"):
        call_command("loaddata", f"{settings.BASE_DIR}/fixtures/{name}.json", verbosity=0)
    for axis in ("vision", "ecosysteme", "action", "moyens", "evaluation"):
        for level in ("emergence", "demultiplication"):
            for resource in Resource.objects.filter(pk__in=tools_for(axis, level)):
                assert resource.kind not in (Kind.ARTICLE, Kind.CASE), (axis, resource)
                assert "autodiagnostic" not in resource.slug, (axis, resource)


def tools_in_postgresql(axis_code: str, level: str, limit: int) -> list[int]:
    """The reference: the same choice made by PostgreSQL (the query tools_for used to
    run, 200 to 500 ms at 100,000 resources)."""
    recommendations = Recommendation.objects.filter(axis_code=axis_code, level__in=[level, ""])
    chosen = Recommendation.resources.through.objects.filter(
        recommendation__in=recommendations, resource_id=OuterRef("pk")
    )
    themes = Recommendation.themes.through.objects.filter(
        recommendation__in=recommendations
    ).values("theme_id")
    tags = Recommendation.tags.through.objects.filter(recommendation__in=recommendations)
    has_theme = Resource.themes.through.objects.filter(
        resource_id=OuterRef("pk"), theme_id__in=themes
    )
    has_tag = Resource.tags.through.objects.filter(
        content_object_id=OuterRef("pk"), tag_id__in=tags.values("tag_id")
    )
    itself = Resource.tags.through.objects.filter(
        content_object_id=OuterRef("pk"), tag__slug=DIAGNOSTIC_TAG
    )
    return list(
        Resource.objects.published()
        .exclude(kind__in=NOT_TOOLS)
        .exclude(Exists(itself))
        .annotate(chosen=Exists(chosen))
        .filter(Q(chosen=True) | Exists(has_theme) | Exists(has_tag))
        .order_by("-chosen", "-featured", "-published_at", "-pk")
        .values_list("pk", flat=True)[:limit]
    )


def test_the_tools_chosen_in_the_index_are_those_postgresql_chooses(db):
    rng = random.Random(7)
    parent = Theme.objects.create(name="Parent", slug="parent")
    themes = [parent, *(Theme.objects.create(name=f"T{i}", slug=f"t{i}") for i in range(3))]
    Theme.objects.filter(slug="t0").update(parent=parent)  # a sub-theme: not selected by it
    tags = [TagFactory(name=f"m{i}", slug=f"m{i}") for i in range(3)]
    tags.append(TagFactory(name="autodiagnostic", slug=DIAGNOSTIC_TAG))
    now = timezone.now()
    resources = []
    for i in range(60):
        resources.append(
            ResourceFactory(
                title=f"Ressource {i}",
                kind=rng.choice([Kind.GUIDE, Kind.TOOL, Kind.CASE, Kind.ARTICLE, Kind.STUDY]),
                featured=rng.random() < 0.2,
                # Ties on the date: the id decides, as in both orders.
                published_at=now - timedelta(days=rng.randrange(20)),
                status=Status.PUBLISHED if rng.random() < 0.85 else Status.DRAFT,
                themes=rng.sample(themes, rng.randrange(3)),
                tags=rng.sample(tags, rng.randrange(3)),
            )
        )
    vision = Recommendation.objects.create(axis_code="vision")
    vision.themes.add(parent, themes[2])
    vision.tags.add(tags[0], tags[3])
    vision.resources.add(*rng.sample(resources, 5))
    action = Recommendation.objects.create(axis_code="action", level="emergence")
    action.tags.add(tags[1])
    action.resources.add(*rng.sample(resources, 2))
    Recommendation.objects.create(axis_code="moyens")  # mapped to nothing
    for axis in ("vision", "action", "moyens", "evaluation"):
        for level in ("emergence", "structuration"):
            for limit in (3, 6, 40):
                expected = tools_in_postgresql(axis, level, limit)
                assert tools_for(axis, level, limit) == expected, (axis, level, limit)
    assert tools_for("vision", "emergence", 40), "the comparison has something to compare"
