import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kit.models import Use
from tests.kit.factories import ParcoursFactory, UseFactory, UseItemFactory
from tests.resources.factories import ResourceFactory

USES = ["se-former", "mettre-en-oeuvre", "accompagner", "evaluer"]


@pytest.fixture
def library(db):
    for index in range(3):
        ResourceFactory(usages=["se-former"], title=f"Former {index}")
    ResourceFactory(usages=["se-former", "evaluer"])
    ResourceFactory(usages=["accompagner"])
    ResourceFactory(usages=["se-former"], draft=True)  # never counted
    ResourceFactory(usages=["se-former"], future=True)
    ResourceFactory(usages=["evaluer"], case=True, title="Un cas d’évaluation")


def catalogue_total(client, usage: str) -> int:
    html = client.get(f"/ressources/?usage={usage}").content.decode()
    return int(re.search(r'id="nombre-resultats">(\d+) résultat', html).group(1))


@pytest.mark.parametrize("usage", USES)
def test_each_use_page_counts_what_the_filtered_catalogue_counts(client, library, usage):
    html = client.get(f"/kit/{usage}/").content.decode()

    shown = int(re.search(r"Voir les (\d+) ressources? «", html).group(1))
    assert f'href="/ressources/?usage={usage}"' in html
    assert shown == catalogue_total(client, usage)
    assert shown == client.get(f"/api/ressources/?usage={usage}").json()["count"]


def test_the_counts_are_those_of_the_published_library(client, library):
    counts = [
        int(n)
        for n in re.findall(
            r"(\d+) ressources? dans le catalogue", client.get("/kit/").content.decode()
        )
    ]
    assert counts == [4, 0, 1, 2]


def test_a_use_page_shows_staff_choices_in_their_order_with_why(client, library):
    use = UseFactory(usage="evaluer", introduction="## Pour qui\n\nLes <script>x</script>porteurs.")
    second = ResourceFactory(title="Le référentiel", usages=["evaluer"])
    first = ResourceFactory(title="Les trois impacts", usages=["evaluer"])
    hidden = ResourceFactory(title="Un brouillon choisi", draft=True)
    case = ResourceFactory(case=True, title="Lauzeraguet évalue")
    UseItemFactory(use=use, resource=second, position=2, why="Le document de référence.")
    UseItemFactory(use=use, resource=first, position=1, why="Les impacts à regarder.")
    UseItemFactory(use=use, resource=hidden, position=3)
    UseItemFactory(use=use, resource=case, position=4, why="Une commune fait le point.")
    ParcoursFactory(title="Évaluer pas à pas", usage="evaluer")
    ParcoursFactory(title="Un parcours d’un autre usage", usage="se-former")

    html = client.get("/kit/evaluer/").content.decode()

    chosen, cases = html.split('id="titre-choix"')[1].split('id="titre-cas"')
    assert chosen.index("Les trois impacts") < chosen.index("Le référentiel")
    assert "Les impacts à regarder." in chosen and "Lauzeraguet" not in chosen
    assert "Un brouillon choisi" not in html
    assert "Lauzeraguet évalue" in cases and "Une commune fait le point." in cases
    assert "Évaluer pas à pas" in cases and "Un parcours d’un autre usage" not in html
    assert "<h2>Pour qui</h2>" in html and "<script>x" not in html  # sanitised Markdown


def test_a_use_without_staff_text_still_has_its_page(client, library):
    assert not Use.objects.exists()
    response = client.get("/kit/accompagner/")
    assert response.status_code == 200
    assert "L’équipe n’a pas encore choisi de ressources" in response.content.decode()


def test_an_unknown_use_is_a_404(client, db):
    response = client.get("/kit/bricoler/")
    assert response.status_code == 404
    assert (
        "Page introuvable" in response.content.decode()
        or "introuvable" in response.content.decode()
    )


def queries_of(client, path) -> int:
    client.get(path)  # warm-up: per-process index and reference data
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_use_page_queries_do_not_grow_with_the_selection(client, library):
    use = UseFactory(usage="se-former")
    UseItemFactory(use=use, resource=ResourceFactory(tags=["a"]))
    ParcoursFactory(usage="se-former")
    few = queries_of(client, "/kit/se-former/")
    for index in range(8):
        UseItemFactory(use=use, resource=ResourceFactory(tags=[f"t{index}"], publishers=[]))
        UseItemFactory(use=use, resource=ResourceFactory(case=True))
        ParcoursFactory(usage="se-former")
    assert queries_of(client, "/kit/se-former/") == few
    assert few <= 8, few


def test_kit_index_queries_are_bounded(client, library, django_assert_max_num_queries):
    for usage in USES:
        UseFactory(usage=usage)
    ParcoursFactory.create_batch(5)
    client.get("/kit/")
    with django_assert_max_num_queries(3):
        client.get("/kit/")


def test_the_kit_is_in_the_navigation_and_the_home_page_leads_to_it(client, library):
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Navigation principale"')[1].split("</nav>")[0]
    assert 'href="/kit/"' in nav
    for usage in USES:
        assert f'href="/kit/{usage}/"' in html
    assert "?usage=" not in html.split('id="titre-usages"')[1].split("</section>")[0]
    page = client.get("/kit/evaluer/").content.decode()
    assert '<a href="/kit/" aria-current="page">Kit pratique</a>' in page


def test_the_kit_home_leads_to_the_odd_compass(client, library):
    html = client.get("/kit/").content.decode()
    section = html.split('id="titre-boussole"')[1].split("</section>")[0]
    assert 'href="/odd/"' in section
