import pytest

from resources.services import search_words_refresh
from tests.resources.factories import ResourceFactory, ThemeFactory


@pytest.fixture
def library(db):
    """A small library whose counts the tests know by heart."""
    governance = ThemeFactory(name="Gouvernance", slug="gouvernance")
    evaluation = ThemeFactory(name="Évaluation", slug="evaluation")
    funding = ThemeFactory(name="Financement", slug="financement", parent=governance)
    items = {
        "eval": ResourceFactory(
            title="Évaluation partenariale en pratique",
            slug="evaluation-partenariale",
            summary="Un référentiel pour évaluer les alliances.",
            kind="referentiel",
            audiences=["collectivites", "associations"],
            usages=["evaluer"],
            levels=["structuration"],
            year=2020,
            themes=[evaluation],
            tags=["évaluation", "impact"],
        ),
        "mooc": ResourceFactory(
            title="Les alliances qui changent les territoires",
            slug="mooc-alliances",
            summary="Un MOOC gratuit en quatre séances pour comprendre les alliances.",
            body="On y parle aussi d'évaluation des partenariats.",
            kind="mooc",
            audiences=["collectivites"],
            usages=["se-former"],
            levels=["emergence"],
            year=2018,
            themes=[governance],
            tags=["mooc"],
        ),
        "guide": ResourceFactory(
            title="Guide du dialogue territorial",
            slug="guide-dialogue",
            summary="Organiser des rencontres entre acteurs : une évaluation des besoins.",
            kind="guide",
            audiences=["entreprises"],
            usages=["mettre-en-oeuvre"],
            levels=["emergence", "experimentation"],
            year=2018,
            themes=[funding],
            tags=["dialogue"],
        ),
        "case": ResourceFactory(
            case=True,
            title="Un pôle de coopération au Val-de-Brume",
            slug="cas-val-de-brume",
            summary="Un cas illustratif.",
            region_id="53",
            size_band="moins-de-2000",
            is_fictional=True,
            impact_trust="La confiance a grandi.",
            forms=["experimentations-collectives"],
            year=2021,
        ),
        "draft": ResourceFactory(draft=True, title="Brouillon sur l'évaluation", slug="brouillon"),
        "future": ResourceFactory(future=True, title="Évaluation à paraître", slug="a-paraitre"),
    }
    search_words_refresh()
    return items
