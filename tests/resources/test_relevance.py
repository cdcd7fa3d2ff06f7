"""Searches a catalyst would type, on the real demo content: the right resource first."""

import pytest
from django.core.management import call_command

from resources.filters import ResourceFilterSet


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("mooc alliances territoires", "mooc-les-alliances-qui-changent-les-territoires"),
        ("MOOC Alliances Territoires", "mooc-les-alliances-qui-changent-les-territoires"),
        ("phare citoyens", "phare-citoyens-2015"),
        ("autodiagnostic", "autodiagnostic-de-maturite-co-construction"),
        ("observatoire des partenariats", "site-observatoire-des-partenariats"),
        ("maires transitions 2024", "impacts-et-trajectoires-2024-maires"),
    ],
)
def test_the_right_resource_comes_first(demo, query, expected_first):
    assert ResourceFilterSet({"q": query}).results.first().slug == expected_first


@pytest.mark.parametrize(
    "query", ["évaluation partenariale", "evaluation partenariale", "evalution partenarial"]
)
def test_accents_and_small_typos_find_the_evaluation_framework(demo, query):
    top = [r.slug for r in ResourceFilterSet({"q": query}).results[:2]]

    assert "referentiel-l-evaluation-partenariale-en-pratique" in top


def test_kit_search_puts_the_kit_first(demo):
    first = ResourceFilterSet({"q": "kit co-construction"}).results.first()

    assert first.kind == "kit"
