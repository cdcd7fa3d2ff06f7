"""After an edit, the old index keeps serving while a thread builds the new one: no
visitor waits for a rebuild, and the pages drawn from the old index are never cached
under the new version."""

import threading

import pytest
from django.test import Client

from rameau_site.caching import LIBRARY_SNAPSHOT, LIBRARY_VERSION, reset_all
from resources import index
from resources.models import Resource
from tests.resources.factories import ResourceFactory


@pytest.fixture
def committed_library(django_db_setup, django_db_blocker, settings):
    """Rows committed for real (the rebuild thread has its own connection), then
    deleted: flushing the test database would drop the migrations' reference data."""
    settings.LIBRARY_INDEX_BACKGROUND = True
    with django_db_blocker.unblock():
        ResourceFactory(title="Alliance des écoles", slug="reconstruction-1")
        LIBRARY_VERSION.bump()
        LIBRARY_SNAPSHOT.clear()
        yield
        index.wait_for_rebuild()
        Resource.objects.filter(slug__startswith="reconstruction-").delete()
        LIBRARY_VERSION.bump()
        LIBRARY_SNAPSHOT.clear()
        reset_all(shared=False)


@pytest.fixture
def builds(monkeypatch):
    """The index builds this process runs from now on (resources/index.py build_index)."""
    made = []
    build = index.build_index

    def counted():
        made.append(build())
        return made[-1]

    monkeypatch.setattr(index, "build_index", counted)
    return made


def another_process():
    """This process as a newly started one: no index of its own (the shared cache and
    the database are what other processes share)."""
    reset_all(shared=False)
    assert index.LIBRARY_INDEX.value is None


def slugs(client, query):
    response = client.get("/api/ressources/", {"q": query})
    assert response.status_code == 200
    return {item["slug"] for item in response.json()["results"]}


def test_the_old_index_serves_while_the_new_one_is_built(committed_library, monkeypatch):
    client = Client()
    assert slugs(client, "alliance") == {"reconstruction-1"}  # first build: inline

    # The rebuild cannot finish until the test lets it.
    release = threading.Event()
    build = index.build_index

    builds = []

    def held_build():
        builds.append(1)
        assert release.wait(30)
        return build()

    monkeypatch.setattr(index, "build_index", held_build)
    ResourceFactory(title="Alliance des communes", slug="reconstruction-2")
    LIBRARY_VERSION.bump()
    # Answered at once by the old index, while the new one is being built.
    assert slugs(client, "alliance") == {"reconstruction-1"}
    assert slugs(client, "alliance") == {"reconstruction-1"}
    assert index._rebuild is not None and index._rebuild.is_alive()
    release.set()
    index.wait_for_rebuild()
    assert len(builds) == 1  # one rebuild for both requests
    assert slugs(client, "alliance") == {"reconstruction-1", "reconstruction-2"}


def test_a_failed_rebuild_keeps_the_old_index(committed_library, monkeypatch):
    old = index.library_index()
    LIBRARY_VERSION.bump()

    def broken():
        raise RuntimeError("base injoignable")

    monkeypatch.setattr(index, "build_index", broken)
    assert index.library_index() is old
    index.wait_for_rebuild()
    assert index.library_index() is old  # still serving; the next call tries again
    monkeypatch.undo()
    index.wait_for_rebuild()
    index.library_index()
    index.wait_for_rebuild()
    assert index.library_index().version > old.version


@pytest.mark.django_db
def test_without_the_background_rebuild_an_edit_is_seen_at_once(settings):
    # (This test also makes pytest-django create the test database for the module.)
    settings.LIBRARY_INDEX_BACKGROUND = False
    client = Client()
    ResourceFactory(title="Alliance des écoles", slug="a")
    assert slugs(client, "alliance") == {"a"}
    ResourceFactory(title="Alliance des communes", slug="b")
    LIBRARY_VERSION.bump()
    assert slugs(client, "alliance") == {"a", "b"}


def test_a_worker_builds_its_index_as_it_starts(committed_library):
    """gunicorn.conf.py's post_worker_init: the index is built in a thread, before any
    search asks for it."""
    reset_all(shared=False)
    assert index.LIBRARY_INDEX.value is None
    index.build_in_background().join(60)
    built = index.LIBRARY_INDEX.value
    assert built is not None and built.published >= 1
    assert slugs(Client(), "alliance") == {"reconstruction-1"}
    assert index.LIBRARY_INDEX.value is built  # the search used it, built nothing


def test_an_index_built_by_one_process_is_loaded_by_the_others(committed_library, builds):
    index.build_in_background().join(60)
    built = index.LIBRARY_INDEX.value
    assert len(builds) == 1 and LIBRARY_SNAPSHOT.stamp().version == built.version

    another_process()
    index.build_in_background().join(60)
    loaded = index.LIBRARY_INDEX.value
    assert len(builds) == 1  # loaded, not built again
    assert loaded is not built and (loaded.version, loaded.built_at) == (
        built.version,
        built.built_at,
    )
    assert loaded.postings.keys() == built.postings.keys()
    assert slugs(Client(), "alliance") == {"reconstruction-1"}


def test_after_an_edit_one_process_builds_and_the_others_wait_for_it(
    committed_library, builds, monkeypatch
):
    index.build_in_background().join(60)
    ResourceFactory(title="Alliance des communes", slug="reconstruction-2")
    LIBRARY_VERSION.bump()
    # Another process won the claim and is building: this one waits for its snapshot.
    assert LIBRARY_SNAPSHOT.claim(60)
    monkeypatch.setattr(index, "SNAPSHOT_POLL", 0.01)
    another_process()
    waiting = index.build_in_background()
    waiting.join(0.3)
    assert waiting.is_alive() and len(builds) == 1  # polling the stamp, building nothing
    # What the other process leaves: recognisable, the waiting one must take it.
    theirs = index.LibraryIndex(version=LIBRARY_VERSION.current(), valid_until=None)
    theirs.published = 12345
    stamp = index.Stamp(index.CODE_DIGEST, theirs.version, theirs.built_at, None)
    LIBRARY_SNAPSHOT.put(theirs, stamp, 60)
    LIBRARY_SNAPSHOT.release()
    waiting.join(10)
    assert not waiting.is_alive()
    assert index.LIBRARY_INDEX.value.published == 12345 and len(builds) == 1


def test_a_process_builds_its_own_when_the_other_one_never_finishes(
    committed_library, builds, monkeypatch
):
    assert LIBRARY_SNAPSHOT.claim(60)  # a process that claimed the build, then died
    monkeypatch.setattr(index, "SNAPSHOT_POLL", 0.01)
    monkeypatch.setattr(index, "SNAPSHOT_WAIT", 0.2)
    index.build_in_background().join(10)
    assert len(builds) == 1 and index.LIBRARY_INDEX.value is builds[0]
    LIBRARY_SNAPSHOT.release()


def test_a_snapshot_older_than_the_library_or_from_other_code_is_not_loaded(
    committed_library, builds, monkeypatch
):
    index.build_in_background().join(60)
    LIBRARY_VERSION.bump()  # an edit: the snapshot is now older than the library
    another_process()
    index.build_in_background().join(60)
    assert len(builds) == 2 and index.LIBRARY_INDEX.value is builds[1]

    monkeypatch.setattr(index, "CODE_DIGEST", "autre-code")  # a deploy changed index.py
    another_process()
    index.build_in_background().join(60)
    assert len(builds) == 3 and index.LIBRARY_INDEX.value is builds[2]


def test_reset_all_forgets_the_shared_index(committed_library, builds):
    index.build_in_background().join(60)
    assert LIBRARY_SNAPSHOT.stamp() is not None
    reset_all()
    assert LIBRARY_SNAPSHOT.stamp() is None and LIBRARY_SNAPSHOT.get() is None
