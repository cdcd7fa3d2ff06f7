"""The related resources of a resource page are chosen in the library index
(resources.views.related_resources); PostgreSQL makes the same choice
(related_in_database), which answers while the index is being rebuilt."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from rameau_site.caching import LIBRARY_VERSION
from resources.enums import Kind, Status
from resources.models import Resource, Theme
from resources.views import related_in_database, related_resources
from tests.resources.factories import ResourceFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    rng = random.Random(11)
    parents = [Theme.objects.create(name=f"Parent {i}", slug=f"parent-{i}") for i in range(2)]
    children = [
        Theme.objects.create(name=f"Sous-thème {i}", slug=f"sous-theme-{i}", parent=parents[i % 2])
        for i in range(4)
    ]
    themes = parents + children
    tags = [TagFactory(name=f"mot {i}", slug=f"mot-{i}") for i in range(5)]
    now = timezone.now()
    for i in range(80):
        ResourceFactory(
            title=f"Ressource {i}",
            kind=rng.choice([Kind.GUIDE, Kind.TOOL, Kind.CASE, Kind.STUDY]),
            # Every resource its own date except a few ties, which the id decides.
            published_at=now - timedelta(hours=i // 3 * 5 + 1),
            status=Status.PUBLISHED if rng.random() < 0.85 else Status.DRAFT,
            themes=rng.sample(themes, rng.randrange(4)),
            tags=rng.sample(tags, rng.randrange(3)),
        )
    return Resource.objects.for_detail()


def test_the_index_chooses_what_postgresql_chooses(library):
    for resource in library.filter(status=Status.PUBLISHED):
        for limit in (4, 12):
            expected = related_in_database(resource, limit)
            assert related_resources(resource, limit) == expected, (resource.title, limit)
    assert any(related_resources(r) for r in library), "there is something to compare"


def test_while_the_index_is_behind_postgresql_answers(library, monkeypatch):
    resource = library.filter(status=Status.PUBLISHED).first()
    related_resources(resource)  # the index of this version is built
    calls = []
    monkeypatch.setattr(
        "resources.views.related_in_database",
        lambda *args: calls.append(args) or related_in_database(*args),
    )
    monkeypatch.setattr(LIBRARY_VERSION, "current", lambda: 10**18)  # a newer version
    monkeypatch.setattr("resources.index.settings.LIBRARY_INDEX_BACKGROUND", True)
    monkeypatch.setattr("resources.index._start_rebuild", lambda: None)
    assert related_resources(resource) == related_in_database(resource, 4)
    assert calls
