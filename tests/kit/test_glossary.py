import re

import pytest

from resources.glossary import LinkedTerm, link_terms
from resources.models import GlossaryTerm
from resources.rendering import render_markdown
from tests.resources.factories import ResourceFactory

ALLIANCE = LinkedTerm("/glossaire/#terme-alliance", ("alliance", "alliances"))
CATALYST = LinkedTerm("/glossaire/#terme-catalyseur", ("catalyseur territorial",))


def glossary_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="(/glossaire/[^"]+)"[^>]*>([^<]+)</a>', html)


def test_only_the_first_occurrence_of_each_term_is_linked():
    html = render_markdown(
        "Une alliance, puis des Alliances.\n\nUn catalyseur territorial et une alliance."
    )
    assert glossary_links(link_terms(html, [ALLIANCE, CATALYST])) == [
        ("/glossaire/#terme-alliance", "alliance"),
        ("/glossaire/#terme-catalyseur", "catalyseur territorial"),
    ]


def test_never_inside_a_link_a_heading_or_code_and_links_stay_whole():
    html = render_markdown(
        "## Une alliance\n\nVoir [l’alliance du port](https://exemple.fr/a) et `alliance`.\n\n"
        "Enfin une alliance."
    )
    linked = link_terms(html, [ALLIANCE])
    assert "<h2>Une alliance</h2>" in linked
    assert (
        '<a href="https://exemple.fr/a" rel="noopener noreferrer">l’alliance du port</a>' in linked
    )
    assert "<code>alliance</code>" in linked
    assert glossary_links(linked) == [("/glossaire/#terme-alliance", "alliance")]
    assert "Enfin une <a href" in linked


def test_words_are_whole_and_text_stays_escaped():
    html = render_markdown(
        "Les mésalliances & co-alliances ne comptent pas : &lt;script&gt; alliance."
    )
    linked = link_terms(html, [ALLIANCE])
    assert glossary_links(linked) == [("/glossaire/#terme-alliance", "alliance")]
    assert "&lt;script&gt;" in linked and "<script" not in linked and "&amp;" in linked


def test_a_hostile_term_cannot_inject_markup():
    term = LinkedTerm('/glossaire/#x"><script>', ("alliance",))
    linked = link_terms("<p>Une alliance.</p>", [term])
    assert "<script" not in linked and 'href="/glossaire/#x&quot;&gt;&lt;script&gt;"' in linked


@pytest.fixture
def glossary(db):
    used = ResourceFactory(
        title="Guide des alliances",
        slug="guide-alliances",
        body="## L’alliance\n\nUne [alliance](https://exemple.fr/) locale, "
        "puis une alliance et des alliances.",
    )
    term = GlossaryTerm.objects.create(
        name="alliance", slug="alliance", variants="alliances",
        definition="Création de solutions entre acteurs.", source="Le RAMEAU, 2018",
    )  # fmt: skip
    term.resources.add(used, ResourceFactory(title="Un brouillon", draft=True))
    GlossaryTerm.objects.create(
        name="catalyseur territorial", slug="catalyseur-territorial", definition="Un acteur.",
        source="associations.gouv.fr", source_url="https://www.associations.gouv.fr/",
    )  # fmt: skip
    return used


def test_the_glossary_page_has_anchors_definitions_sources_and_resources(client, glossary):
    html = client.get("/glossaire/").content.decode()
    assert '<dt id="terme-alliance" tabindex="-1">alliance</dt>' in html
    assert '<a href="#terme-catalyseur-territorial">' in html
    assert "Source&nbsp;: Le RAMEAU, 2018" in html
    assert '<a href="https://www.associations.gouv.fr/" rel="noopener noreferrer">' in html
    assert 'href="/ressources/guide-alliances/"' in html and "Un brouillon" not in html


def test_a_resource_page_links_the_term_once_outside_links_and_headings(client, glossary):
    html = client.get("/ressources/guide-alliances/").content.decode()
    body = html.split('aria-label="Présentation">')[1].split("</section>")[0]
    assert "<h2>L’alliance</h2>" in body
    assert '<a href="https://exemple.fr/" rel="noopener noreferrer">alliance</a>' in body
    assert glossary_links(body) == [("/glossaire/#terme-alliance", "alliance")]
    assert body.index("/glossaire/#terme-alliance") > body.index("https://exemple.fr/")


def test_a_new_term_shows_at_once_on_a_cached_resource_page(
    client, glossary, django_capture_on_commit_callbacks
):
    client.get("/ressources/guide-alliances/")
    with django_capture_on_commit_callbacks(execute=True):
        GlossaryTerm.objects.create(name="locale", slug="locale", definition="…", source="…")
    assert "/glossaire/#terme-locale" in client.get("/ressources/guide-alliances/").content.decode()


def test_glossary_queries_do_not_grow_with_the_terms(
    client, glossary, django_assert_max_num_queries
):
    for index in range(10):
        term = GlossaryTerm.objects.create(
            name=f"terme {index}", slug=f"terme-{index}", definition="…", source="…"
        )
        term.resources.add(ResourceFactory())
    with django_assert_max_num_queries(2):
        assert client.get("/glossaire/").status_code == 200
