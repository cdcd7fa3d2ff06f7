"""What the results suggest: real cases before illustrative ones, no news article as a
tool, never the self-diagnostic to someone who has just taken it."""

import pytest

from diagnostics.models import Recommendation
from resources.enums import Kind
from resources.models import Theme
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

    from diagnostics.recommendations import tools_for

    for name in ("01_taxonomy", "02_resources", "04_recommendations"):
        call_command("loaddata", f"{settings.BASE_DIR}/fixtures/{name}.json", verbosity=0)
    for axis in ("vision", "ecosysteme", "action", "moyens", "evaluation"):
        for level in ("emergence", "demultiplication"):
            for resource in tools_for(axis, level):
                assert resource.kind not in (Kind.ARTICLE, Kind.CASE), (axis, resource)
                assert "autodiagnostic" not in resource.slug, (axis, resource)
