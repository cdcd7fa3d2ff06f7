"""The observatory's pages, downloads and API, on its real content."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from observatory.models import Indicator, Observation, Source
from tests.diagnostics.conftest import Taker


def rows_of(response) -> list[dict]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content), delimiter=";"))


def test_every_facts_figure_is_shown_with_its_source(client, observatory):
    html = client.get("/observatoire/").content.decode().replace("\xa0", " ")
    for figure in ("69 %", "81 %", "86 %", "87 %", "76 %", "46 %", "91 %", "1,2 million", "7,1/10"):
        assert figure in html, figure
    assert "Programme PHARE : enquêtes Citoyens, Entreprises et Associations (2015)" in html
    assert "IMPACTS &amp; TRAJECTOIRES (novembre 2024)" in html
    assert html.count("Données de démonstration&nbsp;:") == 1  # only the demo regional series


def test_the_demo_series_is_labelled_on_the_page_and_in_the_csv(client, observatory):
    response = client.get("/observatoire/donnees.csv", {"indicateur": "demo-dynamique-regionale"})
    rows = rows_of(response)
    assert len(rows) == 18 and {r["donnees_de_demonstration"] for r in rows} == {"true"}
    real = rows_of(client.get("/observatoire/donnees.csv", {"indicateur": "devoir-d-alliance"}))
    assert [(r["valeur"], r["donnees_de_demonstration"], r["vague"]) for r in real] == [
        ("74", "false", "")
    ]


def test_the_csv_of_a_filtered_view_holds_exactly_its_figures(client, observatory):
    query = {"indicateur": "partenariats-source-innovation", "population": ["citoyens", "maires"]}
    page = client.get("/observatoire/", query).content.decode().replace("\xa0", " ")
    figure = page[page.index('id="indicateur-partenariats-source-innovation"') :]
    figure = figure[: figure.index("</figure>")]
    shown = re.findall(r"<td>(\d+ %)", figure)  # the table's value cells
    rows = rows_of(client.get("/observatoire/donnees.csv", query))
    assert sorted(shown) == sorted(f"{r['valeur']} %" for r in rows) == ["69 %", "87 %"]
    assert {r["population"] for r in rows} == {"Citoyens", "Maires"}
    link = re.search(r'href="/observatoire/donnees.csv\?([^"]+)"', figure).group(1)
    assert set(link.split("&amp;")) == {
        "indicateur=partenariats-source-innovation", "population=citoyens", "population=maires",
    }  # fmt: skip


def test_permalink_parameters_restore_the_view(client, observatory):
    html = client.get("/observatoire/", {"region": "53", "vue": "tableau"}).content.decode()
    figures = html.split("</form>")[1].split('id="titre-live"')[0]
    assert "<svg" not in figures and "tile-map" not in figures  # table only
    assert "Bretagne" in figures and "Pays de la Loire" not in figures
    assert 'value="53" selected' in html and 'value="tableau" checked' in html


def test_bad_parameters_give_a_page_not_an_error(client, observatory):
    for query in ({"indicateur": "inconnu"}, {"region": "999"}, {"population": "<script>"},
                  {"vue": "x" * 500}):  # fmt: skip
        assert client.get("/observatoire/", query).status_code == 200
        assert client.get("/observatoire/donnees.csv", query).status_code == 200
    assert client.get("/api/observatoire/observations/", {"region": "999"}).status_code == 400


def test_an_indicator_page_has_its_metadata_and_every_observation(client, observatory):
    response = client.get("/observatoire/indicateurs/fragilites-territoires/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "note sur 10" in html and "IMPACT-Citoyens (octobre 2019)" in html
    assert html.count('<tr><th scope="row">') == 11
    assert client.get("/observatoire/indicateurs/inconnu/").status_code == 404


def test_only_the_embed_page_may_be_framed(client, observatory):
    embed = client.get("/observatoire/indicateurs/devoir-d-alliance/integrer/")
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    page = client.get("/observatoire/indicateurs/devoir-d-alliance/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"


def test_the_api_returns_the_same_observations_as_the_csv(client, observatory):
    query = {"indicateur": "modes-de-partenariat"}
    api = client.get("/api/observatoire/observations/", query).json()
    rows = rows_of(client.get("/observatoire/donnees.csv", query))
    assert api["count"] == len(rows) == 8
    assert sorted(o["valeur"] for o in api["results"]) == sorted(float(r["valeur"]) for r in rows)
    assert "/api/observatoire/observations/" in client.get("/api/openapi.json").json()["paths"]


def test_the_database_refuses_out_of_range_and_duplicate_values(observatory):
    indicator = Indicator.objects.get(slug="devoir-d-alliance")
    source = Source.objects.first()
    for value, n in ((Decimal("101"), None), (Decimal("50"), 0)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Observation.objects.create(
                indicator=indicator, unit=indicator.unit, wave=2030, population="citoyens",
                value=value, n=n, source=source,
            )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            indicator=indicator, unit=indicator.unit, wave=None, population="citoyens",
            value=1, source=source,
        )  # fmt: skip


def test_live_statistics_hide_cells_under_five_and_any_cell_that_would_give_it_away(
    client, observatory
):
    for _ in range(5):
        Taker(client).complete()
    Taker(client).complete(query="Rennes")
    html = client.get("/observatoire/").content.decode()
    live = html[html.index('id="titre-live"') :]
    assert "6 à ce jour" in live
    by_region = live[: live.index("Par taille de commune")]
    # Brittany (1) is masked; Île-de-France (5) too, or 6 - 5 would give Brittany away.
    for region in ("Île-de-France", "Bretagne"):
        row = by_region[by_region.index(region) :]
        assert "secret statistique" in row[: row.index("</tr>")], region
    assert "<td>5</td>" not in by_region


def test_complementary_cells_are_hidden_with_the_small_ones():
    from diagnostics.statistics import suppressed

    assert suppressed({"a": 12, "b": 9}) == set()
    assert suppressed({"a": 12, "b": 9, "c": 1}) == {"b", "c"}  # not 22 - 12 - 9
    assert suppressed({"a": 12, "b": 2, "c": 1}) == {"a", "b", "c"}  # 2 + 1 < 5
    assert suppressed({"a": 12, "b": 3, "c": 4}) == {"b", "c"}  # 7: neither is known
    assert suppressed({"a": 7, "b": 0, "c": 0, "d": 0}) == {"a", "b", "c", "d"}


def test_observatory_pages_make_the_same_queries_however_many_observations(client, observatory):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from observatory.models import Observation

    def count(url):
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = ["/observatoire/", "/observatoire/indicateurs/demo-dynamique-regionale/"]
    [count(url) for url in urls]  # per-process reference data (region names) read once
    before = [count(url) for url in urls]
    template = Observation.objects.filter(indicator__slug="demo-dynamique-regionale").first()
    for wave in range(2000, 2012):
        template.pk, template.wave = None, wave
        template.save()
    after = [count(url) for url in urls]
    assert after == before
    assert max(after) <= 15  # page: 3; live diagnostic statistics (cached 150 s): 5 more


def series_styles(html: str, slug: str) -> dict:
    figure = html[html.index(f'id="indicateur-{slug}"') :]
    figure = figure[: figure.index("</svg>")]
    return {
        label: (colour, dash, shape)
        for label, colour, dash, shape in re.findall(
            r'<g class="chart__series" data-label="([^"]+)" stroke="([^"]+)">'
            r'(?:<path class="chart__line" d="[^"]*"(?: stroke-dasharray="([^"]+)")?/>)?'
            r'\s*<path class="chart__point" data-shape="([^"]+)"',
            figure,
        )
    }


def test_a_series_is_drawn_the_same_on_the_dashboard_and_its_indicator_page(client, observatory):
    slug = "fragilites-territoires"
    dashboard = series_styles(client.get("/observatoire/").content.decode(), slug)
    page = series_styles(client.get(f"/observatoire/indicateurs/{slug}/").content.decode(), slug)
    embed = series_styles(
        client.get(f"/observatoire/indicateurs/{slug}/integrer/").content.decode(), slug
    )
    assert len(dashboard) == 8 and dashboard == page == embed
    assert len(set(dashboard.values())) == 8


def test_bars_from_two_studies_are_grouped_by_study_in_the_chart_and_the_table(client, observatory):
    html = client.get("/observatoire/").content.decode()
    figure = html[html.index('id="indicateur-modes-de-partenariat"') :]
    figure = figure[: figure.index("</figure>")]
    chart = figure[figure.index("bar-chart-groups") : figure.index("</div>")]
    groups = re.findall(r'class="bar-chart__group"[^>]*>([^<]+)</p>\s*<ul(.*?)</ul>', chart, re.S)
    assert [(title, body.count('class="bar-chart__row"')) for title, body in groups] == [
        ("PHARE-Associations (novembre 2015) · Associations", 4),
        ("IMPACT-Associations &amp; Territoires · Associations employeuses", 4),
    ]
    labels = re.findall(r'class="bar-chart__label">([^<]+)<', groups[0][1])
    assert labels == ["Mécénat", "Pratiques responsables", "Coopération économique",
                      "Innovation sociétale"]  # fmt: skip
    table = figure[figure.index("<table") : figure.index("</table>")]
    assert table.count("<tbody>") == 2
    assert [g for g in re.findall(r'scope="colgroup"[^>]*>([^<]+)<', table)] == [
        title for title, _ in groups
    ]
