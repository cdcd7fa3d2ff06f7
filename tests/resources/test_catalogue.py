import re

import pytest

from resources.filters import ResourceFilterSet
from resources.models import Resource
from resources.services import resource_refresh_derived
from tests.resources.factories import ResourceFactory


def result_slugs(response) -> list[str]:
    html = response.content.decode()
    block = (
        html.split('<ol class="results">', 1)[1].split("</ol>", 1)[0]
        if '<ol class="results">' in html
        else ""
    )
    return re.findall(r'href="/ressources/([\w-]+)/"', block)


def test_catalogue_lists_only_published_and_due_resources(client, library):
    response = client.get("/ressources/")

    assert response.status_code == 200
    slugs = result_slugs(response)
    assert set(slugs) == {
        "evaluation-partenariale",
        "mooc-alliances",
        "guide-dialogue",
        "cas-val-de-brume",
    }
    assert "4 résultats" in response.content.decode()


@pytest.mark.parametrize("query", ["evaluation", "Évaluation", "EVALUATION", "évaluations"])
def test_search_is_accent_and_case_blind_and_stemmed(client, library, query):
    response = client.get("/ressources/", {"q": query})

    slugs = result_slugs(response)
    assert slugs[0] == "evaluation-partenariale"


def test_search_ranks_title_above_summary_above_body(client, library):
    slugs = result_slugs(client.get("/ressources/", {"q": "évaluation"}))

    # Title match, then summary match, then body-only match; drafts never appear.
    assert slugs == ["evaluation-partenariale", "guide-dialogue", "mooc-alliances"]


def test_search_highlights_matches_and_escapes_html(client, db):
    ResourceFactory(title="Évaluer <script>alert(1)</script> les alliances", slug="piege")

    html = client.get("/ressources/", {"q": "evaluer"}).content.decode()

    assert "<mark>Évaluer</mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_websearch_syntax(client, library):
    assert result_slugs(client.get("/ressources/", {"q": '"dialogue territorial"'})) == [
        "guide-dialogue"
    ]
    assert "guide-dialogue" not in result_slugs(
        client.get("/ressources/", {"q": "évaluation -dialogue"})
    )
    assert set(result_slugs(client.get("/ressources/", {"q": "mooc or dialogue"}))) == {
        "mooc-alliances",
        "guide-dialogue",
    }


def test_values_of_one_facet_widen_and_facets_combine(client, library):
    widen = result_slugs(client.get("/ressources/", {"type": ["mooc", "guide"]}))
    assert set(widen) == {"mooc-alliances", "guide-dialogue"}

    narrow = result_slugs(
        client.get("/ressources/", {"type": ["mooc", "guide"], "public": "entreprises"})
    )
    assert narrow == ["guide-dialogue"]


def test_facet_counts_equal_real_counts_under_the_other_filters(library):
    filterset = ResourceFilterSet({"public": ["collectivites"], "type": ["mooc"]})
    facets = {facet.param: {v.value: v.count for v in facet.values} for facet in filterset.facets}

    # The type facet ignores its own filter: collectivités resources by type.
    assert facets["type"]["mooc"] == 1
    assert facets["type"]["referentiel"] == 1
    assert facets["type"]["guide"] == 0
    # The audience facet ignores the audience filter: MOOCs by audience.
    assert facets["public"]["collectivites"] == 1
    assert facets["public"]["entreprises"] == 0
    assert filterset.total == 1
    # Counts agree with what PostgreSQL counts.
    for value, count in facets["type"].items():
        real = Resource.objects.published().filter(audiences__overlap=["collectivites"], kind=value)
        assert real.count() == count, value


def test_theme_facet_counts_sub_themes_in_their_parent(library):
    facets = {f.param: f for f in ResourceFilterSet({}).facets}
    governance = next(v for v in facets["theme"].values if v.value == "gouvernance")

    assert governance.count == 2  # the MOOC, and the guide through "Financement"
    assert [(c.value, c.count) for c in governance.children] == [("financement", 1)]
    assert {r.slug for r in ResourceFilterSet({"theme": ["gouvernance"]}).results} == {
        "mooc-alliances",
        "guide-dialogue",
    }


def test_selected_values_show_as_removable_chips(client, library):
    html = client.get(
        "/ressources/", {"type": ["mooc", "guide"], "q": "alliances"}
    ).content.decode()

    assert "Type&nbsp;: MOOC / formation" in html
    assert 'href="?type=guide&amp;q=alliances"' in html  # removing the MOOC chip
    assert "Recherche&nbsp;: «\u00a0alliances\u00a0»" in html


def test_sort_by_title_and_by_date(client, library):
    by_title = result_slugs(client.get("/ressources/", {"tri": "titre"}))
    assert by_title[0] == "guide-dialogue"
    recent = result_slugs(client.get("/ressources/", {"tri": "recent", "q": "évaluation"}))
    assert set(recent) == {"evaluation-partenariale", "guide-dialogue", "mooc-alliances"}


def test_no_result_suggests_a_spelling_and_filters_to_remove(client, library):
    html = client.get("/ressources/", {"q": "dialoge"}).content.decode()
    assert "Aucune ressource ne correspond" in html
    assert 'Vouliez-vous dire <a href="?q=dialogue">«&nbsp;dialogue&nbsp;»</a>' in html

    html = client.get("/ressources/", {"type": "mooc", "public": "entreprises"}).content.decode()
    assert "Aucune ressource ne correspond" in html
    assert "sans le filtre «&nbsp;Public&nbsp;»" in html


def test_pagination_has_twenty_per_page_and_a_total(client, db):
    ResourceFactory.create_batch(25)

    first = client.get("/ressources/")
    second = client.get("/ressources/", {"page": 2})

    assert len(result_slugs(first)) == 20
    assert len(result_slugs(second)) == 5
    assert "Page 1 sur 2" in first.content.decode()
    assert "25 résultats" in first.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_catalogue_query_count_does_not_grow_with_the_data(
    client, db, django_assert_max_num_queries, size
):
    for index in range(size):
        ResourceFactory(tags=[f"mot{index % 4}", "commun"], audiences=["collectivites"])

    client.get("/ressources/", {"tri": "titre"})  # warm-up: per-process reference data

    with django_assert_max_num_queries(10):
        response = client.get("/ressources/", {"q": "ressource", "public": "collectivites"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"type": "inconnu"},
        {"page": str(10**9)},
        {"page": "abc"},
        {"q": "x" * 10_000},
        {"q": "' OR 1=1; --"},
        {"q": '<b>"'},
        {"q": "\x00"},
        {"annee": "99999"},
        {"tag": "../../etc"},
        {"tri": "n'importe"},
        {"q": '"'},
        {"q": "-"},
    ],
)
def test_hostile_query_strings_get_a_normal_page(client, library, params):
    response = client.get("/ressources/", params)

    assert response.status_code == 200


def test_overlong_search_is_shortened_with_a_message(client, library):
    html = client.get("/ressources/", {"q": "évaluation " * 100}).content.decode()

    assert "seuls ses 200 premiers caractères" in html


def test_broken_utf8_in_the_query_string_is_not_a_500(client, library):
    response = client.get("/ressources/?q=%C3%28&type=%FF")

    assert response.status_code in {200, 400}


def test_cached_pages_are_refreshed_when_content_changes(
    client, library, django_capture_on_commit_callbacks
):
    assert "Guide du dialogue territorial" in client.get("/ressources/").content.decode()
    guide = library["guide"]
    guide.title = "Guide renouvelé du dialogue"
    guide.save()

    with django_capture_on_commit_callbacks(execute=True):
        resource_refresh_derived(resource=guide)

    html = client.get("/ressources/").content.decode()
    assert "Guide renouvelé du dialogue" in html
    assert "Guide du dialogue territorial" not in html


def test_counts_of_zero_and_one_are_singular(client, library):
    """French puts 0 and 1 in the singular: "0 résultat", "(1 résultat)" read by screen
    readers beside a facet value, "2 résultats"."""
    none = client.get("/ressources/", {"q": "zzzzqqq"}).content.decode()
    assert '<h2 class="result-count" id="nombre-resultats">0 résultat</h2>' in none

    one = client.get("/ressources/", {"q": "referentiel"}).content.decode()
    assert '<h2 class="result-count" id="nombre-resultats">1 résultat</h2>' in one

    html = client.get("/ressources/").content.decode()
    counts = re.findall(r'\((\d+)<span class="visually-hidden"> (résultats?)</span>\)', html)
    assert {"1", "2"} <= {count for count, _ in counts}
    for count, word in counts:
        assert word == ("résultats" if int(count) >= 2 else "résultat"), (count, word)


@pytest.mark.parametrize(
    "summary",
    ["", "  Une  phrase\n courte.  ", " ".join(f"mot{n}" for n in range(40)),
     " ".join(f"mot{n}" for n in range(41)), "a " * 60 + "…", "fin…\t" * 41],
)  # fmt: skip
def test_card_summaries_are_shortened_as_truncator_does(summary):
    from django.utils.text import Truncator

    from resources.cards import SUMMARY_WORDS, shortened

    assert shortened(summary) == Truncator(summary).words(SUMMARY_WORDS, truncate="…")


@pytest.mark.parametrize("slug", ["guide-2024", "a_b", "x"])
def test_card_addresses_are_those_reverse_gives(slug):
    from django.urls import reverse

    from resources.cards import detail_urls

    assert detail_urls()(slug) == reverse("resources:detail", args=[slug])


@pytest.mark.parametrize(
    "query", ["alliance", "vélo -école", '"alliance territoriale"', "x or vélo"]
)
def test_card_highlights_are_those_of_the_orm_headlines(db, query):
    """The cards' one statement marks the same words as Django's SearchHeadline."""
    texts = ["Une alliance territoriale pour le vélo", "L'école du vélo, <b>sans</b> alliance",
             "Rien à voir", "alliance " * 30 + "territoriale vélo école " * 10]  # fmt: skip
    for n, text in enumerate(texts):
        ResourceFactory(title=f"{text[:60]} {n}", summary=text)
    filterset = ResourceFilterSet({"q": query})
    expected = [(r.pk, r.title_html, r.summary_html) for r in filterset.results[:20]]
    cards = filterset.cards[:20]

    assert expected
    assert [(c.pk, c.title_html, c.summary_html) for c in cards] == expected


def test_facet_names_are_escaped_once(client, db):
    """The facets' fragment escapes its texts itself (autoescaping is off there)."""
    from markupsafe import escape

    from tests.resources.factories import TagFactory, ThemeFactory

    hostile = "<b onclick=\"x('y')\">Mots & co</b>"
    theme = ThemeFactory(name=hostile, slug="hostile")
    ResourceFactory(title="Une alliance", themes=[theme], tags=[TagFactory(name=hostile)])
    html = client.get("/ressources/", {"q": "alliance"}).content.decode()
    facets = html.split('<fieldset class="facet">', 1)[1].split("</details>", 1)[0]

    assert hostile not in facets
    assert facets.count(f"{escape(hostile)} <span") == 2  # the theme, the tag
