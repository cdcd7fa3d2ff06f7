"""The in-memory library index must say exactly what PostgreSQL says: the same matches
for any websearch query, the same counts for any combination of facets."""

import datetime
import itertools
import random

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rameau_site.caching import LIBRARY_VERSION
from resources import index
from resources.enums import Audience, Kind, Usage
from resources.filters import CaseFilterSet, ResourceFilterSet
from resources.index import Node, bits_of, ids_of, parse_tsquery
from resources.models import Resource
from tests.resources.factories import ResourceFactory

WORDS = ["alliance", "évaluation", "territoire", "mécénat", "dialogue", "école", "vélo"]


def postgres_matches(text: str) -> set[str]:
    """What PostgreSQL itself finds: a resource matches when its whole text (title, tags,
    summary and body as one document) matches the query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM resources_resource WHERE status = 'publie' AND published_at <= now()"
            " AND (search_vector || body_vector) @@ websearch_to_tsquery('fr_unaccent', %s)",
            [text],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def varied_library(db):
    rng = random.Random(7)
    for n in range(40):
        ResourceFactory(
            title=" ".join(rng.sample(WORDS, 2)) + f" {n}",
            summary=" ".join(rng.sample(WORDS, 3)),
            body=" ".join(rng.sample(WORDS, 2)) + " co-construction territoriale",
            kind=rng.choice([Kind.GUIDE, Kind.MOOC, Kind.CASE, Kind.TOOL]),
            audiences=rng.sample([a.value for a in Audience], rng.randint(0, 2)),
            usages=rng.sample([u.value for u in Usage], rng.randint(0, 2)),
            year=rng.choice([2018, 2020, 2024]),
            tags=rng.sample(["impact", "mooc", "ruralité"], rng.randint(0, 2)),
        )
    ResourceFactory(title="alliance brouillon", draft=True)
    ResourceFactory(title="alliance à venir", future=True)
    # Hyphenated words, their parts apart, in another order, another form.
    for n, text in enumerate(["un tiers-lieu rural", "le tiers lieu", "lieu tiers", "tiers-lieux",
                              "tiers-lieu", "dialogue : tiers-lieu, lieu-tiers"]):  # fmt: skip
        ResourceFactory(title=f"Tiers {n}", summary="", body=text)


@pytest.mark.parametrize(
    "text",
    [
        "alliance",
        "Evaluation",
        "alliance école",
        "alliance or vélo",
        "alliance -dialogue",
        "-alliance",
        '"co-construction territoriale"',
        '"territoriale co-construction"',
        "co-construction",
        "tiers-lieu",
        "Tiers-Lieu -rural",
        "tiers-lieu or alliance",
        '"tiers-lieu rural"',
        '"rural tiers-lieu"',
        "lieu-tiers",
        "tiers-lieux",
        "le de la",
        "introuvable",
        "mécénat (école",
    ],
)
def test_search_matches_exactly_what_postgresql_matches(varied_library, text):
    filterset = ResourceFilterSet({"q": text})

    assert {r.slug for r in filterset.results} == postgres_matches(text)
    assert filterset.total == len(postgres_matches(text))


@pytest.mark.parametrize(
    "text",
    [
        '"co-construction territoriale"',
        '"alliance école" -vélo',
        '"école alliance" or vélo',
        '"alliance école"',  # two words: the pair's index is the answer
        '"école alliance" territoire',
        '"alliance école dialogue"',  # three words: pairs narrow, PostgreSQL confirms
        '"alliance de école"',  # a stop word between: no pair, PostgreSQL alone
        '"vélo mécénat" "alliance école"',
    ],
)
@pytest.mark.parametrize("threshold", [0, 10_000])  # the scan of every row, the lookup by id
def test_phrases_are_confirmed_exactly_either_way(varied_library, monkeypatch, text, threshold):
    monkeypatch.setattr(index, "PHRASE_SCAN_THRESHOLD", threshold)
    filterset = ResourceFilterSet({"q": text})
    assert {r.slug for r in filterset.results} == postgres_matches(text)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    audiences=st.lists(st.sampled_from([a.value for a in Audience]), max_size=2),
    kinds=st.lists(st.sampled_from([Kind.GUIDE, Kind.MOOC, Kind.CASE]), max_size=2),
    years=st.lists(st.sampled_from(["2018", "2020", "2024"]), max_size=2),
    word=st.sampled_from(["", *WORDS]),
)
def test_facet_counts_equal_postgresql_counts(varied_library, audiences, kinds, years, word):
    params = {"public": audiences, "type": kinds, "annee": years, "q": word}
    filterset = ResourceFilterSet(params)
    matching = Resource.objects.published()
    if word:
        matching = matching.filter(slug__in=postgres_matches(word))

    def real(exclude):
        rows = matching
        if audiences and exclude != "public":
            rows = rows.filter(audiences__overlap=audiences)
        if kinds and exclude != "type":
            rows = rows.filter(kind__in=kinds)
        if years and exclude != "annee":
            rows = rows.filter(year__in=[int(y) for y in years])
        return rows

    assert filterset.total == real(None).count()
    facets = {facet.param: facet for facet in filterset.facets}
    for value in facets["type"].values:
        assert value.count == real("type").filter(kind=value.value).count()
    for value in facets["public"].values:
        assert value.count == real("public").filter(audiences__contains=[value.value]).count()
    for value in facets["annee"].values:
        assert value.count == real("annee").filter(year=int(value.value)).count()
    # The pages hold every result once.
    pages = [r.slug for r in filterset.results[:100]]
    assert sorted(pages) == sorted(real(None).values_list("slug", flat=True))


def test_case_base_is_scoped_to_cases(varied_library):
    filterset = CaseFilterSet({"q": "alliance"})

    assert {r.kind for r in filterset.results} == {Kind.CASE}
    assert (
        filterset.total
        == Resource.objects.published()
        .cases()
        .filter(slug__in=postgres_matches("alliance"))
        .count()
    )


def test_title_matches_come_before_summary_and_body_matches(db):
    ResourceFactory(slug="body", title="Sans rapport", body="Le vélo partagé.")
    ResourceFactory(slug="summary", title="Autre chose", summary="Le vélo au village.")
    ResourceFactory(slug="title", title="Le vélo en commun")

    assert [r.slug for r in ResourceFilterSet({"q": "velo"}).results] == [
        "title", "summary", "body",
    ]  # fmt: skip


def test_index_follows_changes_and_scheduled_publications(db):
    ResourceFactory(title="Mécénat de compétences")
    assert ResourceFilterSet({"q": "mécénat"}).total == 1

    soon = ResourceFactory(title="Mécénat territorial", published_at=timezone.now())
    # Not announced yet: the index still holds the earlier state.
    assert ResourceFilterSet({"q": "mécénat"}).total == 1
    LIBRARY_VERSION.bump()
    assert ResourceFilterSet({"q": "mécénat"}).total == 2

    soon.published_at = timezone.now() + datetime.timedelta(seconds=1)
    soon.save(update_fields=["published_at"])
    LIBRARY_VERSION.bump()
    assert ResourceFilterSet({"q": "mécénat"}).total == 1
    Resource.objects.filter(pk=soon.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    # The index knew a publication was due: it rebuilds once the time has come.
    index = ResourceFilterSet({}).index
    index.valid_until = timezone.now() - datetime.timedelta(seconds=1)
    assert ResourceFilterSet({"q": "mécénat"}).total == 2


def test_bit_sets_round_trip():
    ids = [0, 3, 7, 8, 64, 1000, 99_999]

    assert ids_of(bits_of(ids)) == ids
    assert bits_of([]) == 0 and ids_of(0) == []


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("'allianc'", "allianc"),
        ("'a' & !'b'", "(a & !b)"),
        ("'a' | 'b' & 'c'", "(a | (b & c))"),
        ("'co-construct' <-> 'co' <-> 'construct'", "((co-construct phrase co) phrase construct)"),
        ("( 'a' | 'b' ) & 'c'", "((a | b) & c)"),
        ("'l''eau'", "l'eau"),
        ("", "None"),
    ],
)
def test_tsquery_text_is_parsed(text, shape):
    def show(node: Node | None) -> str:
        if node is None:
            return "None"
        if node.op == "word":
            return node.word
        if node.op == "!":
            return "!" + show(node.children[0])
        left, right = map(show, node.children)
        return f"({left} {node.op} {right})"

    assert show(parse_tsquery(text)) == shape


def test_admin_deletions_and_theme_renames_reach_the_index(db, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import User
    from django.test import Client

    from tests.resources.factories import ThemeFactory

    theme = ThemeFactory(name="Gouvernance", slug="gouvernance")
    kept, deleted = (
        ResourceFactory(title="Mécénat un", themes=[theme]),
        ResourceFactory(title="Mécénat deux"),
    )
    assert ResourceFilterSet({"q": "mécénat"}).total == 2
    admin = Client()
    admin.force_login(User.objects.create_superuser("admin", password="x" * 20))

    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/resources/resource/{deleted.pk}/delete/", {"post": "yes"})
    assert ResourceFilterSet({"q": "mécénat"}).total == 1

    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            f"/admin/resources/theme/{theme.pk}/change/",
            {"name": "Gouvernance", "slug": "gouv", "position": 0},
        )
    assert [r.slug for r in ResourceFilterSet({"theme": ["gouv"]}).results] == [kept.slug]


@pytest.mark.parametrize("text", ["-" * 40, "- " * 60, "a " + "-" * 50 + " b"])
def test_runs_of_minus_signs_are_not_a_server_error(client, db, text):
    ResourceFactory(title="Alliance locale")

    for url in ("/ressources/", "/api/ressources/", "/ressources/flux/", "/cas-pratiques/"):
        assert client.get(url, {"q": text}).status_code == 200


@pytest.mark.parametrize(
    ("tsquery", "pairs", "exact"),
    [
        ("'a' <-> 'b'", ["a b"], True),
        ("'a' <-> 'b' & 'c'", ["a b"], True),
        ("'a' <-> 'b' <-> 'c'", ["a b", "b c"], False),
        ("'a' <2> 'b'", [], False),
        ("'a' <-> 'b' <2> 'c'", ["a b"], False),
        ("'a' <-> 'b' | 'c'", [], False),
        ("'a' <-> 'b' & !'c'", ["a b"], False),
        ("'l''eau' <-> 'b'", ["l'eau b"], True),
    ],
)
def test_the_word_pairs_a_phrase_requires(tsquery, pairs, exact):
    assert index.required_pairs(parse_tsquery(tsquery)) == (pairs, exact)


def test_a_word_pair_is_found_through_its_index(db):
    """The pairs of adjacent words, as PostgreSQL's own phrase operator sees them."""
    near = ResourceFactory(title="Solidaire mobilise tout", summary="", body="")
    ResourceFactory(title="Mobilise le solidaire", summary="", body="")
    ResourceFactory(title="Solidaire vélo mobilise", summary="", body="")
    assert set(ids_of(index.resources_with_pair("solidair mobilis"))) == {near.pk}
    assert postgres_matches('"solidaire mobilise"') == {near.slug}


@pytest.mark.parametrize("first,second", list(itertools.permutations(WORDS[:5], 2)))
def test_every_two_word_phrase_matches_what_postgresql_matches(varied_library, first, second):
    text = f'"{first} {second}"'
    assert {r.slug for r in ResourceFilterSet({"q": text}).results} == postgres_matches(text)


def test_value_counts_and_pages_equal_the_simple_way():
    """The index's one-pass counts (a matrix of 64-bit words) and its pages (looked for
    from the front of the order) say what Python's ints and a whole scan say."""
    rng = random.Random(3)
    published = [i for i in range(5000) if rng.random() < 0.9]
    values = {
        key: {str(n): bits_of(rng.sample(published, rng.randint(0, 300))) for n in range(8)}
        for key in ("type", "theme", "theme-direct", "tag")
    }
    values["vide"] = {}
    library = index.LibraryIndex(version=1, valid_until=None, values=values)
    library.published, library.size = bits_of(published), (max(published) >> 3) + 1
    order = rng.sample(published, len(published))
    library.orders["recent"] = index.np.array(order)
    everything = library.published
    for density in (0.001, 0.05, 0.5):
        under = bits_of([i for i in published if rng.random() < density])
        other = under & bits_of(rng.sample(published, 2000))
        for unders in (
            dict.fromkeys(values, under),
            {"type": under, "theme": other, "theme-direct": other, "tag": everything},
        ):
            assert library.value_counts(unders) == {
                key: {v: (unders[key] & bits).bit_count() for v, bits in values[key].items()}
                for key in unders
            }
        members = [i for i in order if under >> i & 1]
        for offset, limit in ((0, 20), (20, 20), (0, 1), (len(members) - 3, 20), (10**4, 5)):
            assert library.take(under, "recent", offset, limit) == members[offset:][:limit]
