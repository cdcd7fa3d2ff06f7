"""The catalogue's search also finds parcours and glossary terms, each in its own block
above the resources."""

import pytest
from django.utils.text import slugify

from kit.enums import PublicationStatus
from resources.models import GlossaryTerm
from tests.kit.factories import ParcoursFactory
from tests.resources.factories import ResourceFactory

# A search's page, measured: the catalogue's queries, plus one for the parcours and one
# for the glossary terms, for 1 as for 12 of each.
QUERIES = 9


def term(name: str, definition: str, **fields) -> GlossaryTerm:
    slug = slugify(name)
    return GlossaryTerm.objects.create(
        name=name, slug=slug, definition=definition, source="Le RAMEAU", **fields
    )


def block(html: str, anchor: str) -> str:
    return html.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def content(db):
    ResourceFactory(title="Guide de la co-construction")
    ParcoursFactory(title="Découvrir les alliances territoriales", slug="alliances")
    ParcoursFactory(title="Évaluer une alliance", slug="brouillon", status=PublicationStatus.DRAFT)
    ParcoursFactory(title="Financer un projet", slug="financer", summary="Sans rapport.")
    term("Alliance", "Un partenariat entre acteurs de natures différentes.")
    term("Catalyseur territorial", "Celui qui réunit les acteurs d’une alliance locale.")
    term("Mécénat", "Un don d’une entreprise.")


def test_the_search_shows_matching_parcours_and_terms_as_such(client, content):
    html = client.get("/ressources/", {"q": "alliances"}).content.decode()

    parcours = block(html, "titre-parcours-trouves")
    assert "Parcours" in html.split('id="titre-parcours-trouves"', 1)[1][:20]
    assert 'href="/parcours/alliances/"' in parcours
    assert "/parcours/brouillon/" not in html  # drafts are not found
    assert "/parcours/financer/" not in html
    terms = block(html, "titre-glossaire")
    assert 'href="/glossaire/#terme-alliance"' in terms  # stemmed: alliances ~ alliance
    assert 'href="/glossaire/#terme-catalyseur-territorial"' in terms  # by its definition
    assert "mécénat" not in terms
    # Both blocks come before the resources' results.
    assert html.index('id="titre-glossaire"') < html.index('id="nombre-resultats"')
    assert html.index('id="titre-parcours-trouves"') < html.index('id="titre-glossaire"')


def test_the_search_is_accent_blind_for_terms(client, content):
    html = client.get("/ressources/", {"q": "MECENAT"}).content.decode()
    assert 'href="/glossaire/#terme-mecenat"' in block(html, "titre-glossaire")


@pytest.mark.parametrize("params", [{}, {"q": "introuvable"}])
def test_no_block_without_a_match_or_a_query(client, content, params):
    html = client.get("/ressources/", params).content.decode()
    assert 'id="titre-parcours-trouves"' not in html
    assert 'id="titre-glossaire"' not in html


@pytest.mark.parametrize("params", [{"q": "\x00"}, {"q": '"'}, {"q": "-"}, {"q": "x" * 10_000}])
def test_hostile_queries_give_no_error(client, content, params):
    assert client.get("/ressources/", params).status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_the_query_count_does_not_grow_with_the_parcours_and_terms(
    client, db, django_assert_num_queries, size
):
    for index in range(size):
        ParcoursFactory(title=f"Alliance {index}")
        term(f"Alliance {index}", "Une alliance.")
    # Warm-up (per-process reference data), with another query: pages are cached.
    client.get("/ressources/", {"q": "partenariat"})
    with django_assert_num_queries(QUERIES):
        html = client.get("/ressources/", {"q": "alliance"}).content.decode()
    assert block(html, "titre-glossaire").count("<li>") == min(size, 5)
    assert block(html, "titre-parcours-trouves").count("<li>") == min(size, 5)
