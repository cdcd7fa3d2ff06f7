import html
import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.resources.factories import OrganisationFactory, ResourceFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def test_detail_page_shows_everything_about_a_resource(client, library):
    resource = library["eval"]
    OrganisationFactory(name="Le RAMEAU", slug="le-rameau").resources.add(resource)
    resource.external_url = "https://www.odd17.org/"
    resource.save()

    response = client.get("/ressources/evaluation-partenariale/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Évaluation partenariale en pratique</h1>" in html
    assert "</span>&nbsp;: www.odd17.org" in html and "Site de l’éditeur<span" in html
    assert 'href="/ressources/?tag=impact"' in html
    assert "Le RAMEAU" in html
    assert (
        '<link rel="canonical" href="http://testserver/ressources/evaluation-partenariale/">'
        in html
    )
    assert '<meta property="og:title" content="Évaluation partenariale en pratique">' in html
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(ld.group(1))
    assert data["name"] == "Évaluation partenariale en pratique"
    assert data["publisher"] == [{"@type": "Organization", "name": "Le RAMEAU"}]
    assert 'aria-label="Fil d’Ariane"' in html


def test_detail_page_suggests_related_resources(client, library):
    html = client.get("/ressources/guide-dialogue/").content.decode()

    related = re.findall(r'href="/ressources/([\w-]+)/"', html.split('id="titre-proches"', 1)[1])
    # The MOOC shares the guide's parent theme; drafts and future resources never show.
    assert related[0] == "mooc-alliances"
    assert set(related) == {"mooc-alliances", "evaluation-partenariale", "cas-val-de-brume"}


@pytest.mark.parametrize("slug", ["brouillon", "a-paraitre", "nexiste-pas"])
def test_unpublished_or_unknown_resources_are_404(client, library, slug):
    assert client.get(f"/ressources/{slug}/").status_code == 404
    assert client.get(f"/api/ressources/{slug}/").status_code == 404


def test_detail_query_count_is_bounded(client, db, django_assert_max_num_queries):
    for _ in range(10):
        ResourceFactory(tags=["commun"])
    target = ResourceFactory(slug="cible", tags=["commun", "autre"])
    client.get("/ressources/")  # warm-up: per-process reference data

    with django_assert_max_num_queries(8):
        assert client.get(target.get_absolute_url()).status_code == 200


def test_markdown_body_is_sanitised(client, db):
    ResourceFactory(
        slug="piege",
        body="# Titre\n\n<script>alert(1)</script>\n\n[lien](javascript:alert(1)) **gras**",
    )

    html = client.get("/ressources/piege/").content.decode()
    body = html.split('class="prose"', 1)[1].split("</section>", 1)[0]
    assert "<h2>Titre</h2>" in body
    assert "<script" not in body
    assert "javascript:" not in body
    assert "<strong>gras</strong>" in body


def page_slugs(client, params) -> list[str]:
    html = client.get("/ressources/", params).content.decode()
    block = html.split('<ol class="results">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'href="/ressources/([\w-]+)/"', block)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "évaluation"},
        {"type": ["mooc", "guide"]},
        {"public": "collectivites", "tri": "titre"},
    ],
)
def test_feed_and_api_return_exactly_the_page_results(client, library, params):
    expected = page_slugs(client, params)

    feed = client.get("/ressources/flux/", params)
    assert feed["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
    feed_slugs = [e.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[1] for e in entries]
    assert feed_slugs == expected

    api = client.get("/api/ressources/", params).json()
    assert [r["slug"] for r in api["results"]] == expected
    assert api["count"] == len(expected)


def test_api_paginates_and_reports_facets(client, db):
    ResourceFactory.create_batch(23, audiences=["collectivites"])

    first = client.get("/api/ressources/", {"public": "collectivites"}).json()

    assert first["count"] == 23
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/ressources/?public=collectivites&page=2"
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 3
    public = {f["valeur"]: f["nombre"] for f in first["facets"]["public"]}
    assert public["collectivites"] == 23


def test_api_detail(client, library):
    data = client.get("/api/ressources/evaluation-partenariale/").json()

    assert data["titre"] == "Évaluation partenariale en pratique"
    assert data["mots_cles"] == ["impact", "évaluation"] or set(data["mots_cles"]) == {
        "impact",
        "évaluation",
    }
    assert data["themes"] == ["evaluation"]


def test_openapi_document_describes_the_api(client, db):
    document = client.get("/api/openapi.json").json()

    assert document["openapi"].startswith("3.")
    assert "/api/ressources/" in document["paths"]
    assert "/api/ressources/{slug}/" in document["paths"]
    names = {p["name"] for p in document["paths"]["/api/ressources/"]["get"]["parameters"]}
    assert {
        "q",
        "type",
        "theme",
        "public",
        "usage",
        "niveau",
        "region",
        "forme",
        "annee",
        "page",
    } <= names


def test_sitemap_lists_published_resources_with_lastmod(client, library):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    xml = response.content.decode()
    assert "http://testserver/ressources/evaluation-partenariale/" in xml
    assert "/ressources/brouillon/" not in xml
    assert "/ressources/a-paraitre/" not in xml
    assert "<lastmod>" in xml
    assert "http://testserver/plan-du-site/" in xml


def test_robots_txt_points_to_the_sitemap(client, db):
    text = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_case_base_lists_cases_with_a_region_map(client, library):
    html = client.get("/cas-pratiques/").content.decode()

    assert "1 résultat" in html
    assert "/ressources/cas-val-de-brume/" in html
    assert "/ressources/mooc-alliances/" not in html
    tile = re.search(r'<li class="tile--53 tile--has-cases"><a href="([^"]+)"', html)
    assert tile and "region=53" in tile.group(1)
    assert re.search(r"Bretagne</a></th><td>1</td>", html)


def test_case_facets_filter_by_size_and_impact(client, library):
    assert (
        "1 résultat" in client.get("/cas-pratiques/", {"taille": "moins-de-2000"}).content.decode()
    )
    assert (
        "0 résultat" in client.get("/cas-pratiques/", {"taille": "20000-et-plus"}).content.decode()
    )
    assert "1 résultat" in client.get("/cas-pratiques/", {"impact": "confiance"}).content.decode()
    assert "0 résultat" in client.get("/cas-pratiques/", {"impact": "performance"}).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/cas-pratiques/?taille=moins-de-2000",
        "/api/ressources/?public=collectivites",
        "/ressources/flux/?q=ressource",
        "/api/ressources/ressource-cible/",
    ],
)
@pytest.mark.parametrize("size", [3, 30])
def test_other_library_pages_query_count_does_not_grow(
    client, db, django_assert_max_num_queries, url, size
):
    for index in range(size):
        ResourceFactory(tags=[f"mot{index % 4}"], audiences=["collectivites"])
        ResourceFactory(case=True, region_id="53", size_band="moins-de-2000")
    ResourceFactory(slug="ressource-cible", tags=["mot1"])
    client.get("/ressources/", {"tri": "titre"})  # warm-up: per-process reference data

    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_the_feed_gives_a_plain_text_summary_as_text_not_as_markup(client, db):
    summary = "Comparer <script>alert(1)</script> & les coûts > 10 % : <b>pas du gras</b>"
    ResourceFactory(slug="plain-text", summary=summary, title="Coûts < 5 & plus")

    feed = ET.fromstring(client.get("/ressources/flux/").content)
    entry = feed.find(f"{ATOM}entry")
    content = entry.find(f"{ATOM}summary")
    # A reader takes a summary of type "html" as markup: the text must arrive as text.
    if content.get("type") == "html":
        assert "<" not in content.text and html.unescape(content.text) == summary
    else:
        assert content.get("type", "text") == "text" and content.text == summary
    assert entry.find(f"{ATOM}title").text == "Coûts < 5 & plus"
