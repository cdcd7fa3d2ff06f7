import re

import pytest

from resources.goals import Goal
from tests.resources.factories import ResourceFactory

# The official French short names (Agenda 2030), written out here independently of the code.
OFFICIAL = {
    1: "Pas de pauvreté",
    2: "Faim «\u00a0zéro\u00a0»",
    3: "Bonne santé et bien-être",
    4: "Éducation de qualité",
    5: "Égalité entre les sexes",
    6: "Eau propre et assainissement",
    7: "Énergie propre et d’un coût abordable",
    8: "Travail décent et croissance économique",
    9: "Industrie, innovation et infrastructure",
    10: "Inégalités réduites",
    11: "Villes et communautés durables",
    12: "Consommation et production responsables",
    13: "Mesures relatives à la lutte contre les changements climatiques",
    14: "Vie aquatique",
    15: "Vie terrestre",
    16: "Paix, justice et institutions efficaces",
    17: "Partenariats pour la réalisation des objectifs",
}


def test_the_17_goals_have_their_official_names():
    assert {goal.value: goal.label for goal in Goal} == OFFICIAL


@pytest.mark.django_db
def test_the_compass_lists_the_17_goals_with_links_and_counts(client):
    ResourceFactory(goals=[17, 11], title="Alliance A")
    ResourceFactory(goals=[17], case=True, title="Cas B")
    ResourceFactory(goals=[17], draft=True)
    ResourceFactory(goals=[17], future=True)
    html = client.get("/odd/").content.decode()
    for number in OFFICIAL:
        assert f'href="/odd/{number}/"' in html
    names = re.findall(r'<span class="goal-number">ODD&nbsp;(\d+)</span> — ([^<]+)</a>', html)
    assert [int(n) for n, _ in names] == list(range(1, 18))
    assert "porte d’entrée pour apprendre à faire alliance" in html
    counts = dict(re.findall(r'href="/odd/(\d+)/">.*?\((\d+) ressources?\)', html))
    assert counts["17"] == "2" and counts["11"] == "1" and counts["1"] == "0"


@pytest.mark.django_db
def test_a_goal_page_lists_only_its_published_resources_and_cases(client):
    ResourceFactory(goals=[17], title="Alliance publiée")
    ResourceFactory(goals=[17], case=True, title="Un cas d’alliance")
    ResourceFactory(goals=[11], title="Ville seulement")
    ResourceFactory(goals=[17], draft=True, title="Brouillon caché")
    html = client.get("/odd/17/").content.decode()
    assert "Alliance publiée" in html and "Un cas d’alliance" in html
    assert "Ville seulement" not in html and "Brouillon caché" not in html
    assert 'id="titre-cas"' in html
    empty = client.get("/odd/3/").content.decode()
    assert "Aucune ressource n’est encore rattachée" in empty


@pytest.mark.django_db
def test_a_goal_page_is_paginated(client):
    for index in range(21):
        ResourceFactory(goals=[7], title=f"Énergie {index}")
    first = client.get("/odd/7/").content.decode()
    second = client.get("/odd/7/?page=2").content.decode()
    assert first.count('class="resource-card"') == 20
    assert second.count('class="resource-card"') == 1
    assert "Page 2 sur 2" in second and "?page=2" in first


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/odd/0/", "/odd/18/", "/odd/99999999999999/", "/odd/abc/"])
def test_an_unknown_goal_is_a_french_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "introuvable" in response.content.decode().lower()


@pytest.mark.django_db
def test_goal_pages_queries_do_not_grow_with_data(client, django_assert_max_num_queries):
    ResourceFactory(goals=[17])
    client.get("/odd/17/")  # warm caches (session, site settings)
    with django_assert_max_num_queries(20) as small:
        client.get("/odd/17/")
        client.get("/odd/")
    for _ in range(15):
        ResourceFactory(goals=[17, 5])
    ResourceFactory(goals=[17], case=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/odd/17/")
        client.get("/odd/")


def test_staff_tag_goals_with_a_multi_select_in_the_admin():
    from django import forms

    from resources.admin import ResourceAdminForm

    field = ResourceAdminForm.base_fields["goals"]
    assert isinstance(field.widget, forms.CheckboxSelectMultiple)
    assert [value for value, _label in field.choices] == list(range(1, 18))
    assert field.clean(["17", "11"]) == [17, 11]


@pytest.mark.django_db
def test_the_sitemap_lists_the_compass_the_goals_and_the_kit(client):
    from tests.kit.factories import ParcoursFactory

    ParcoursFactory(slug="publie", title="Publié")
    xml = client.get("/sitemap.xml").content.decode()
    for path in [
        "/odd/",
        "/kit/",
        "/parcours/",
        "/glossaire/",
        "/kit/evaluer/",
        "/parcours/publie/",
    ]:
        assert f"{path}</loc>" in xml
    for number in range(1, 18):
        assert f"/odd/{number}/</loc>" in xml
    assert "/odd/18/</loc>" not in xml


def test_the_demo_tags_the_odd_17_compass_resources_with_goal_17(db):
    from django.core.management import call_command

    from resources.models import Resource

    call_command("load_demo", verbosity=0)
    tagged = Resource.objects.filter(goals__contains=[17])
    assert tagged.count() >= 7
    for resource in tagged:
        assert "ODD" in resource.summary + resource.body
