"""The catalogue's `odd` facet: one entry of the facet registry, so the page, its
counts, the JSON API, the feed and the goal pages all agree."""

import re
import xml.etree.ElementTree as ET

import pytest

from resources.filters import CaseFilterSet, ResourceFilterSet
from resources.models import Resource
from tests.resources.factories import ResourceFactory

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def goals_library(db):
    for index in range(3):
        ResourceFactory(goals=[17], usages=["evaluer"], title=f"Alliance {index}")
    ResourceFactory(goals=[17, 11], usages=["se-former"], title="Ville et alliance")
    ResourceFactory(goals=[11], case=True, title="Cas de ville durable")
    ResourceFactory(goals=[5], usages=["evaluer"], title="Égalité")
    ResourceFactory(title="Sans objectif")
    ResourceFactory(goals=[17], draft=True)  # never counted
    ResourceFactory(goals=[17], future=True)


def page_total(client, params) -> int:
    html = client.get("/ressources/", params).content.decode()
    return int(re.search(r'id="nombre-resultats">(\d+) résultat', html).group(1))


def page_odd_counts(client, params) -> dict[str, int]:
    html = client.get("/ressources/", params).content.decode()
    return {
        value: int(count)
        for value, count in re.findall(
            r'id="f-odd-(\d+)".*?<span class="facet__count">\((\d+)', html, re.S
        )
    }


def feed_count(client, params) -> int:
    feed = client.get("/ressources/flux/", params)
    return len(ET.fromstring(feed.content).findall(f"{ATOM}entry"))


def test_the_odd_facet_counts_what_its_filter_gives_on_the_page_api_and_feed(client, goals_library):
    counts = page_odd_counts(client, {})
    assert counts == {"5": 1, "11": 2, "17": 4}
    api = client.get("/api/ressources/").json()
    assert {f["valeur"]: f["nombre"] for f in api["facets"]["odd"] if f["nombre"]} == counts
    for value, count in counts.items():
        params = {"odd": value}
        assert page_total(client, params) == count, value
        assert client.get("/api/ressources/", params).json()["count"] == count, value
        assert feed_count(client, params) == count, value
        real = Resource.objects.published().filter(goals__contains=[int(value)]).count()
        assert real == count, value


def test_odd_values_widen_and_combine_with_other_facets(client, goals_library):
    assert page_total(client, {"odd": ["5", "11"]}) == 3
    assert page_total(client, {"odd": "17", "usage": "evaluer"}) == 3
    # Its own counts ignore its filter, but follow the others.
    filterset = ResourceFilterSet({"odd": ["17"], "usage": ["evaluer"]})
    odd = next(f for f in filterset.facets if f.param == "odd")
    assert {v.value: v.count for v in odd.values if v.count} == {"17": 3, "5": 1}
    assert odd.without_count == 4
    label = next(v.label for v in odd.values if v.value == "17")
    assert label == "ODD\u00a017 — Partenariats pour la réalisation des objectifs"


@pytest.mark.parametrize("value", ["0", "18", "abc", "17.0", "-1", "9" * 30, "\x00"])
def test_a_bad_odd_value_is_ignored_by_the_page_and_named_by_the_api(client, goals_library, value):
    # The page and the feed ignore it, as they do an unknown value of the other facets.
    assert page_total(client, {"odd": value}) == 7
    assert client.get("/ressources/flux/", {"odd": value}).status_code == 200
    # The API answers a 400 in French naming the parameter (as for the other facets).
    response = client.get("/api/ressources/", {"odd": value})
    assert response.status_code == 400
    body = response.json()
    assert list(body["erreurs"]) == ["odd"] and body["erreur"]


def test_the_api_gives_each_resource_its_goals(client, goals_library):
    results = client.get("/api/ressources/", {"odd": "11", "tri": "titre"}).json()["results"]
    assert sorted(r["odd"] for r in results) == [[11], [17, 11]]


@pytest.mark.parametrize("number", [17, 11, 5])
def test_a_goal_page_links_to_the_catalogue_filtered_on_it_with_the_same_count(
    client, goals_library, number
):
    html = client.get(f"/odd/{number}/").content.decode()
    assert f'href="/ressources/?odd={number}"' in html
    shown = re.search(r"(\d+) ressources? ou cas pratiques? rattaché", html).group(1)
    assert int(shown) == page_total(client, {"odd": str(number)})


def test_a_goal_without_resources_has_no_catalogue_link(client, goals_library):
    assert "?odd=3" not in client.get("/odd/3/").content.decode()


# --- The case base (/cas-pratiques/) ------------------------------------------------


@pytest.fixture
def goals_cases(goals_library):
    ResourceFactory(goals=[17], case=True, title="Alliance d’une commune")
    ResourceFactory(goals=[17, 5], case=True, title="Alliance pour l’égalité")
    ResourceFactory(case=True, title="Cas sans objectif")
    ResourceFactory(goals=[17], case=True, draft=True)  # never counted


def cases_total(client, params) -> int:
    html = client.get("/cas-pratiques/", params).content.decode()
    return int(re.search(r'id="nombre-resultats">(\d+) résultat', html).group(1))


def test_the_case_base_counts_by_odd_what_its_filter_gives(client, goals_cases):
    html = client.get("/cas-pratiques/").content.decode()
    counts = {
        value: int(count)
        for value, count in re.findall(
            r'id="f-odd-(\d+)".*?<span class="facet__count">\((\d+)', html, re.S
        )
    }
    assert {value: n for value, n in counts.items() if n} == {"5": 1, "11": 1, "17": 2}
    assert "Objectif de développement durable" in html
    for value, count in counts.items():
        params = {"odd": value}
        assert cases_total(client, params) == count, value
        real = Resource.objects.published().cases().filter(goals__contains=[int(value)])
        assert real.count() == count, value
        # The case base's feed link (type=cas-pratique) with the goal gives the same.
        assert feed_count(client, params | {"type": "cas-pratique"}) == count, value


def test_the_case_odd_facet_combines_with_the_other_case_facets(client, goals_cases):
    assert cases_total(client, {"odd": ["5", "11"]}) == 2
    assert cases_total(client, {"odd": "17", "q": "égalité"}) == 1
    filterset = CaseFilterSet({"odd": ["17"], "q": "égalité"})
    odd = next(f for f in filterset.facets if f.param == "odd")
    assert {v.value: v.count for v in odd.values if v.count} == {"17": 1, "5": 1}
    assert odd.without_count == 1
    # A bad goal number is ignored, as on the catalogue.
    assert cases_total(client, {"odd": "18"}) == 4
