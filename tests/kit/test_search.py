"""The catalogue's search also finds parcours and glossary terms, each in its own block
above the resources."""

import pytest
from django.utils.text import slugify

from kit.enums import PublicationStatus
from kit.models import Parcours
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


def test_a_parcours_published_or_edited_is_found_by_the_search_at_once(
    client, content, django_capture_on_commit_callbacks
):
    """The search's pages are kept per process (INDEX_PAGES); the kit's version is in
    their key, so a parcours published or edited is found on the next search."""
    search = {"q": "coopération"}
    assert 'id="titre-parcours-trouves"' not in client.get("/ressources/", search).content.decode()
    assert (
        "/parcours/brouillon/"
        not in client.get("/ressources/", {"q": "alliances"}).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        ParcoursFactory(title="La coopération entre acteurs", slug="cooperation")
    html = client.get("/ressources/", search).content.decode()
    assert 'href="/parcours/cooperation/"' in block(html, "titre-parcours-trouves")

    with django_capture_on_commit_callbacks(execute=True):  # the admin saves the instance
        draft = Parcours.objects.get(slug="brouillon")
        draft.status = PublicationStatus.PUBLISHED
        draft.save()
    html = client.get("/ressources/", {"q": "alliances"}).content.decode()
    assert 'href="/parcours/brouillon/"' in block(html, "titre-parcours-trouves")

    with django_capture_on_commit_callbacks(execute=True):  # a bulk write, as an action
        Parcours.objects.filter(slug="cooperation").update(status=PublicationStatus.DRAFT)
    assert "/parcours/cooperation/" not in client.get("/ressources/", search).content.decode()


def test_a_glossary_term_added_or_edited_is_found_by_the_search_at_once(
    client, content, django_capture_on_commit_callbacks
):
    search = {"q": "coopération"}
    assert 'id="titre-glossaire"' not in client.get("/ressources/", search).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        term("Coopération", "Travailler ensemble.")
    html = client.get("/ressources/", search).content.decode()
    assert 'href="/glossaire/#terme-cooperation"' in block(html, "titre-glossaire")

    with django_capture_on_commit_callbacks(execute=True):
        patron = GlossaryTerm.objects.get(slug="mecenat")
        patron.definition = "Un don d’une entreprise à une coopération locale."
        patron.save()
    html = client.get("/ressources/", search).content.decode()
    assert 'href="/glossaire/#terme-mecenat"' in block(html, "titre-glossaire")


def orm_parcours(text: str, limit: int) -> list[tuple[str, str]]:
    """The reference: the ORM query parcours_hits replaced."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    query = SearchQuery(text, search_type="websearch", config="fr_unaccent")
    document = SearchVector("title", weight="A", config="fr_unaccent") + SearchVector(
        "summary", "audience", weight="B", config="fr_unaccent"
    )
    found = (
        Parcours.objects.published()
        .alias(document=document)
        .filter(document=query)
        .annotate(rank=SearchRank(document, query))
        .order_by("-rank", "position", "title")[:limit]
    )
    return [(p.title, p.get_absolute_url()) for p in found]


def orm_terms(text: str, limit: int) -> list[tuple[str, str]]:
    """The reference: the ORM query glossary_hits replaced."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    query = SearchQuery(text, search_type="websearch", config="fr_unaccent")
    document = SearchVector("name", "variants", weight="A", config="fr_unaccent") + SearchVector(
        "definition", weight="B", config="fr_unaccent"
    )
    found = (
        GlossaryTerm.objects.alias(document=document)
        .filter(document=query)
        .annotate(rank=SearchRank(document, query))
        .order_by("-rank", "name")[:limit]
    )
    return [(t.name, t.get_absolute_url()) for t in found]


@pytest.mark.parametrize(
    "text", ["alliance", "alliances territoriales", "alliance -financer", '"une alliance"',
             "mécénat or catalyseur", "acteurs", "introuvable", "le de", "projet"],
)  # fmt: skip
def test_the_sql_finds_what_the_orm_found(content, text):
    from kit.search import parcours_hits
    from resources.search import glossary_hits

    ParcoursFactory(title="Alliance", slug="alliance-2", summary="Des acteurs en alliance.")
    term("Alliance locale", "Des acteurs d’un territoire.", variants="alliances locales")
    for limit in (1, 5):
        assert [(h.title, h.url) for h in parcours_hits(text, limit)] == orm_parcours(text, limit)
        assert [(h.title, h.url) for h in glossary_hits(text, limit)] == orm_terms(text, limit)
    assert orm_parcours("alliance", 5) and orm_terms("alliance", 5)
