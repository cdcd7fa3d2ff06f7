"""The kit's home and use pages and the ODD compass's pages are kept whole for anonymous
visitors (rameau_site/caching.py): an edit of what they show is seen on the next visit,
and a kept page makes one query."""

import re

import pytest

from tests.kit.factories import UseFactory, UseItemFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_a_use_page_follows_its_selection_and_the_catalogue(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    use = UseFactory(usage="evaluer")
    ResourceFactory(usages=["evaluer"], title="Première ressource")
    assert "Grille d’évaluation" not in client.get("/kit/evaluer/").content.decode()
    with django_assert_num_queries(1):  # kept: the versions only
        client.get("/kit/evaluer/")

    with django_capture_on_commit_callbacks(execute=True):  # staff choose a resource
        UseItemFactory(use=use, resource=ResourceFactory(title="Grille d’évaluation",
                                                         usages=["evaluer"]))  # fmt: skip
    html = client.get("/kit/evaluer/").content.decode()
    assert "Grille d’évaluation" in html
    assert int(re.search(r"Voir les (\d+) ressources? «", html).group(1)) == 2

    with django_capture_on_commit_callbacks(execute=True):  # a new resource of this use
        ResourceFactory(usages=["evaluer"])
    html = client.get("/kit/evaluer/").content.decode()
    assert int(re.search(r"Voir les (\d+) ressources? «", html).group(1)) == 3
    assert "/kit/evaluer/" in client.get("/kit/").content.decode()


def test_a_goal_page_follows_the_goals_staff_tag(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    ResourceFactory(goals=[17], title="Une alliance")
    assert "Une coopération" not in client.get("/odd/17/").content.decode()
    with django_assert_num_queries(1):
        client.get("/odd/17/")
    with django_capture_on_commit_callbacks(execute=True):
        ResourceFactory(goals=[17], title="Une coopération")
    assert "Une coopération" in client.get("/odd/17/").content.decode()
    compass = client.get("/odd/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ResourceFactory(goals=[3])
    assert client.get("/odd/").content.decode() != compass  # the counts moved
