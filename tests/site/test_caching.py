"""The cache layer: every cache declared in one module, invalidation attached to the
data (whoever writes), one function that empties them all."""

import ast
from pathlib import Path

import pytest
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from rameau_site import caching
from rameau_site.caching import (
    LIBRARY_VERSION,
    OBSERVATORY_VERSION,
    QUESTIONNAIRE_VERSION,
    REGISTRY,
    reset_all,
)
from resources.models import Resource, Tag, Theme
from resources.services import tags_merge
from tests.resources.factories import ResourceFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ["rameau_site", "resources", "diagnostics", "observatory", "territories"]


@pytest.fixture
def bumps(django_capture_on_commit_callbacks):
    """Run `write` as a committed transaction; return how far LIBRARY_VERSION moved."""

    def measure(write, version=LIBRARY_VERSION) -> int:
        before = version.current()
        with django_capture_on_commit_callbacks(execute=True):
            write()
        return version.current() - before

    return measure


@pytest.mark.django_db
def test_every_kind_of_library_write_bumps_the_version(bumps):
    resource = ResourceFactory(title="Alliance des écoles")
    theme = Theme.objects.create(name="Emploi", slug="emploi")
    tag = Tag.objects.create(name="écoles", slug="ecoles")
    other = Tag.objects.create(name="école", slug="ecole")

    writes = {
        "save": lambda: ResourceFactory(title="Une autre"),
        "edit": lambda: Resource.objects.get(pk=resource.pk).save(),
        "theme": lambda: resource.themes.add(theme),
        "theme rename": lambda: Theme.objects.filter(pk=theme.pk).first().save(),
        "theme bulk": lambda: Theme.objects.filter(pk=theme.pk).update(name="Emplois"),
        "tags": lambda: resource.tags.add(tag),
        "tag merge": lambda: tags_merge(target=tag, sources=[other]),
        # a link check records its results with update(), which sends no signal
        "bulk update": lambda: Resource.objects.filter(pk=resource.pk).update(
            link_checked_at=timezone.now()
        ),
        "bulk delete": lambda: Resource.objects.filter(title="Une autre").delete(),
        "delete": lambda: Resource.objects.get(pk=resource.pk).delete(),
    }
    moved = {name: bumps(write) for name, write in writes.items()}
    assert all(moved.values()), moved


@pytest.mark.django_db
def test_a_rolled_back_write_bumps_nothing(bumps):
    def failed_write():
        with pytest.raises(RuntimeError), transaction.atomic():
            ResourceFactory(title="Jamais publiée")
            raise RuntimeError

    assert bumps(failed_write) == 0


@pytest.mark.django_db
def test_a_management_command_needs_no_call_to_refresh_the_library(bumps, tmp_path):
    fixture = tmp_path / "one.json"
    fixture.write_text(
        '[{"model": "resources.theme", "pk": 9001, "fields": '
        '{"name": "Mobilité", "slug": "mobilite-essai", "parent": null, "position": 0}}]'
    )
    assert bumps(lambda: call_command("loaddata", str(fixture), verbosity=0))


@pytest.mark.django_db
def test_an_edit_is_seen_by_the_catalogue_at_once(client, django_capture_on_commit_callbacks):
    ResourceFactory(title="Alliance des écoles", slug="a")
    assert "Alliance des écoles" in client.get("/ressources/").content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        ResourceFactory(title="Alliance des communes", slug="b")
    assert "Alliance des communes" in client.get("/ressources/").content.decode()


@pytest.mark.django_db
def test_reset_all_empties_every_declared_cache():
    caching.FROZEN_QUESTIONNAIRES.put("clé", "valeur")
    caching.REGION_NAMES.get_or_compute("all", lambda: {"11": "Île-de-France"})
    caching.DIAGNOSTIC_PEERS.get_or_compute("clé", lambda: {"n": 1})
    caching.DIAGNOSTIC_PEERS.get_or_compute("moins-de-2000", lambda: {"n": 2})
    version = LIBRARY_VERSION.current()
    reset_all()
    assert caching.FROZEN_QUESTIONNAIRES.get("clé") is None
    assert caching.REGION_NAMES.get("all") is None
    assert caches[caching.PROCESS_CACHE].get("diagnostic-peers:clé") is None
    assert shared_cache.get("diagnostic-peers:moins-de-2000") is None
    assert caching.LIBRARY_INDEX.value is None
    assert LIBRARY_VERSION.current() != version  # a new counter, from the clock
    assert {d.scope for d in REGISTRY.values()} == {"shared", "process"}
    assert all(d.key and d.lifetime and d.invalidated_by for d in REGISTRY.values())


def module_level_caches(path: Path) -> list[str]:
    """Module-level dicts and functools caches: what a newcomer cannot see reset."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in tree.body:
        value = getattr(node, "value", None)
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(value, ast.Dict):
            if not value.keys:  # an empty dict filled at run time
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        for decorator in getattr(node, "decorator_list", []):
            text = ast.unparse(decorator)
            if text.split("(")[0].split(".")[-1] in ("cache", "lru_cache"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} @{text}")
    return found


def test_no_cache_lives_outside_the_cache_module():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "rameau_site" / "caching.py":
                continue
            offenders += module_level_caches(path)
            if 'caches["' in path.read_text():
                offenders.append(f"{path.relative_to(ROOT)}: uses a Django cache directly")
    assert not offenders, offenders


def test_the_guard_sees_a_module_level_cache(tmp_path):
    sample = ROOT / "var" / "guard_sample.py"
    sample.parent.mkdir(exist_ok=True)
    sample.write_text(
        "import functools\n_pages: dict = {}\n\n@functools.cache\ndef f():\n    pass\n"
    )
    try:
        assert len(module_level_caches(sample)) == 2
    finally:
        sample.unlink()


@pytest.mark.django_db
def test_every_kind_of_observatory_write_bumps_its_version(bumps):
    from observatory.models import Indicator, Observation, Source

    call_command("loaddata", "fixtures/05_observatory.json", verbosity=0)
    indicator = Indicator.objects.first()
    observation = Observation.objects.filter(indicator=indicator).first()
    writes = {
        "source": lambda: Source.objects.create(title="Enquête", organisation="Org"),
        "indicator": lambda: Indicator.objects.filter(pk=indicator.pk).first().save(),
        "indicator bulk": lambda: Indicator.objects.filter(pk=indicator.pk).update(position=9),
        "observation": lambda: Observation.objects.filter(pk=observation.pk).first().save(),
        "bulk update": lambda: Observation.objects.filter(pk=observation.pk).update(note="Note"),
        "bulk delete": lambda: Observation.objects.filter(pk=observation.pk).delete(),
    }
    moved = {name: bumps(write, OBSERVATORY_VERSION) for name, write in writes.items()}
    assert all(moved.values()), moved


@pytest.mark.django_db
def test_the_home_page_follows_its_key_figures_and_the_questionnaire(client, bumps):
    from diagnostics.models import Questionnaire
    from observatory.models import KeyFigure

    call_command("loaddata", "fixtures/05_observatory.json", verbosity=0)
    figure = KeyFigure.objects.first()
    assert figure.wording in client.get("/").content.decode()  # now cached
    figure.wording = "Libellé tout neuf"
    assert bumps(figure.save, OBSERVATORY_VERSION)
    assert "Libellé tout neuf" in client.get("/").content.decode()
    renamed = KeyFigure.objects.filter(pk=figure.pk)
    assert bumps(lambda: renamed.update(wording="Autre libellé"), OBSERVATORY_VERSION)
    assert "Autre libellé" in client.get("/").content.decode()
    in_service = Questionnaire.objects.filter(status="publie")
    assert bumps(lambda: in_service.update(title="Autre titre"), QUESTIONNAIRE_VERSION)


def test_a_missing_value_is_computed_once_however_many_threads_want_it():
    """Single flight: the threads that find the value missing while another computes it
    wait and read what it stored (the dashboard's first render was done 8 times)."""
    import threading
    import time

    caches[caching.PROCESS_CACHE].clear()
    values = caching.TimedValues(
        "test-single-flight", key="none", timeout=60, invalidated_by="nothing"
    )
    caching.REGISTRY.pop("test-single-flight")
    calls, start, results = [], threading.Barrier(8), []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return 42

    def want():
        start.wait()
        results.append(values.get_or_compute("k", slow))

    threads = [threading.Thread(target=want) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 8
    assert len(calls) == 1
    assert values.flight._in_flight == {}  # nothing kept once nobody waits


@pytest.fixture
def shared_values():
    values = caching.SharedTimedValues(
        "test-shared", key="k", keys=lambda: ["k"], timeout=60, invalidated_by="nothing"
    )
    caching.REGISTRY.pop("test-shared")
    return values


@pytest.mark.django_db
def test_a_shared_value_is_computed_once_for_every_process(
    shared_values, django_assert_num_queries
):
    """Computed by one process, read by the others from the shared cache (one query),
    then from their own copy (no query)."""
    calls = []

    def compute():
        calls.append(1)
        return {"total": 6}

    assert shared_values.get_or_compute("k", compute) == {"total": 6}
    caches[caching.PROCESS_CACHE].clear()  # another process: nothing of its own yet
    with django_assert_num_queries(1):
        assert shared_values.get_or_compute("k", compute) == {"total": 6}
    with django_assert_num_queries(0):
        assert shared_values.get_or_compute("k", compute) == {"total": 6}
    assert calls == [1]
    assert shared_cache.get("test-shared:k:computing") is None  # released
    shared_values.clear()
    assert shared_cache.get("test-shared:k") is None


@pytest.mark.django_db
def test_a_process_waits_for_the_one_computing_a_shared_value(shared_values, monkeypatch):
    """Another process holds `:computing`: this one polls the shared cache and reads the
    value that process stores, rather than computing it too."""
    assert shared_cache.add("test-shared:k:computing", True, 60)
    polls = []

    def other_process_stores(seconds):
        polls.append(seconds)
        if len(polls) == 3:
            shared_cache.set("test-shared:k", (caching.time.time() + 60, "theirs"), 60)

    monkeypatch.setattr(caching.time, "sleep", other_process_stores)
    assert shared_values.get_or_compute("k", lambda: "mine") == "theirs"
    assert polls == [caching.SharedTimedValues.POLL] * 3


@pytest.mark.django_db
def test_an_expired_shared_value_is_computed_again_by_one_request_the_others_get_the_old(
    shared_values,
):
    shared_cache.set("test-shared:k", (caching.time.time() - 1, "old"), 60)  # expired
    assert shared_cache.add("test-shared:k:computing", True, 60)  # another one computes
    assert shared_values.get_or_compute("k", lambda: "new") == "old"
    assert caches[caching.PROCESS_CACHE].get("test-shared:k") is None  # not kept: stale
    shared_cache.delete("test-shared:k:computing")  # nobody computes it any more
    assert shared_values.get_or_compute("k", lambda: "new") == "new"
    kept = shared_cache.get("test-shared:k")
    assert kept[1] == "new" and kept[0] > caching.time.time() + 50
    assert shared_cache.get("test-shared:k:computing") is None
    assert shared_values.get_or_compute("k", lambda: "newer") == "new"  # fresh again


@pytest.mark.django_db
def test_a_process_computes_a_shared_value_itself_when_the_other_takes_too_long(
    shared_values, monkeypatch
):
    assert shared_cache.add("test-shared:k:computing", True, 60)
    monkeypatch.setattr(shared_values, "WAIT", 0.2)
    monkeypatch.setattr(shared_values, "POLL", 0.01)
    assert shared_values.get_or_compute("k", lambda: "mine") == "mine"
    assert shared_cache.get("test-shared:k")[1] == "mine"


@pytest.mark.django_db
def test_a_page_that_cannot_be_cached_does_not_make_the_next_visitors_wait(rf):
    """A page answered with a cookie is rendered for each visitor, without the lock."""
    caches[caching.PROCESS_CACHE].clear()
    pages = caching.PageCache(
        "test-uncacheable", version=LIBRARY_VERSION, timeout=60, invalidated_by="nothing"
    )
    caching.REGISTRY.pop("test-uncacheable")
    rendered = []

    @pages
    def view(request):
        from django.http import HttpResponse

        rendered.append(1)
        response = HttpResponse("x")
        response.set_cookie("visiteur", "1")
        return response

    for _ in range(3):
        assert view(rf.get("/page/")).status_code == 200
    assert len(rendered) == 3
    key_marks = [k for k in caches[caching.PROCESS_CACHE]._cache if "uncacheable" in k]
    assert key_marks


@pytest.mark.django_db
def test_the_visitors_rate_limit_counters_cannot_push_the_content_versions_out(client):
    """A full database cache deletes a third of its rows by key: the counters (one per
    address and form) live in a table of their own, the versions' table stays small."""
    from django.conf import settings
    from django.db import connection

    counters = caches[settings.RATELIMIT_USE_CACHE]
    assert counters._table != caches["default"]._table
    version = LIBRARY_VERSION.current()
    for n in range(3):  # a rate-limited form (the contact page's), empty: counted anyway
        client.post("/contact/", {}, REMOTE_ADDR=f"192.0.2.{n}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {counters._table}")
        counted = [key for (key,) in cursor.fetchall()]
        cursor.execute(f"SELECT cache_key FROM {caches['default']._table}")
        shared = [key for (key,) in cursor.fetchall()]
    assert len(counted) >= 3
    assert not set(counted) & set(shared)
    assert LIBRARY_VERSION.current() == version
    assert caches["default"]._max_entries >= 10_000
