"""Every cache the site keeps, declared here and nowhere else.

Each declaration at the end of this module says what the cache holds, its scope (per
process, or shared by every app server through the database cache table), its key,
its lifetime and what makes it stale. `python -m rameau_site.caching` prints them as a
table. Two kinds of scope:
- shared: content versions in Django's "default" cache (a database table), the
  aggregates over every diagnostic (computed by one process for all, each keeping a
  copy until they expire), and the library index one process built for the others;
- per process: whole pages and computed statistics in the "pages" LocMem cache (keyed
  by a content version where content matters), and in-memory memos of data that
  cannot change under their key (frozen questionnaire versions, reference data).

Why they exist, measured with `make bench` at 100k rows (bench/README.md): the library
and observatory pages are cached whole because most visits repeat a few URLs
(1.2-1.3x the floor when cached); the library index turns a frequent-word search from
about 1 s into about 20 ms; the frozen questionnaire memos save the step page 4 queries.

Invalidation belongs to the data: model signals (resources/signals.py,
observatory/signals.py) and the ResourceQuerySet bulk writes bump the versions; no
view, admin or command bumps one itself, so a new write path cannot forget it.
`reset_all()` empties every cache (tests between cases, `make restore`).
"""

import contextlib
import functools
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils.module_loading import import_string

PROCESS_CACHE = "pages"  # LocMem, per process (see settings.CACHES)


@dataclass(frozen=True)
class Declared:
    name: str
    scope: str  # "shared" or "process"
    key: str
    lifetime: str
    invalidated_by: str
    reset: Callable[[], None]


REGISTRY: dict[str, Declared] = {}


def declare(name: str, scope: str, reset: Callable[[], None], **about: str) -> None:
    if name in REGISTRY:
        raise ValueError(f"cache {name!r} declared twice")
    REGISTRY[name] = Declared(name, scope, reset=reset, **about)


def reset_all(*, shared: bool = True) -> None:
    """Empty every cache of this process and, unless `shared` is False, the shared
    content versions (tests leave those to their rolled back transaction)."""
    for declared in REGISTRY.values():
        if shared or declared.scope == "process":
            declared.reset()
    caches[PROCESS_CACHE].clear()


class ContentVersion:
    """A counter in the shared cache that every process reads (one cache read): any
    change to the content it covers bumps it, and what was cached under the old value
    is never read again. A new counter starts from the clock, so that a cache that was
    emptied never hands out a number already used before."""

    def __init__(self, name: str, *, invalidated_by: str):
        self.key = f"{name}:version"
        declare(
            f"{name}-version", "shared", lambda: shared_cache.delete(self.key),
            key=self.key, lifetime="until bumped", invalidated_by=invalidated_by,
        )  # fmt: skip

    def current(self) -> int:
        version = shared_cache.get(self.key)
        if version is None:
            shared_cache.add(self.key, time.time_ns() // 1000, timeout=None)
            version = shared_cache.get(self.key)
        return version or 1

    def bump(self) -> None:
        try:
            shared_cache.incr(self.key)
        except ValueError:
            shared_cache.add(self.key, time.time_ns() // 1000, timeout=None)

    def bump_on_commit(self, *args, **kwargs) -> None:
        """For signal receivers: bump once the write is committed (at once outside a
        transaction); a rolled back write bumps nothing."""
        transaction.on_commit(self.bump)

    def follow(self, models, relations=()) -> None:
        """Bump after any save or delete of `models` and any change to the many-to-many
        `relations` (their through models). Called from an app's ready()."""
        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(
                    self.bump_on_commit, sender=model,
                    dispatch_uid=f"{self.key}:{signal is post_save}:{model._meta.label}",
                )  # fmt: skip
        for relation in relations:
            m2m_changed.connect(
                self.bump_on_commit, sender=relation,
                dispatch_uid=f"{self.key}:m2m:{relation._meta.label}",
            )  # fmt: skip


def current_versions(*versions: ContentVersion) -> list[int]:
    """The current values of several versions, read in one cache query."""
    found = shared_cache.get_many([version.key for version in versions])
    return [found[v.key] if v.key in found else v.current() for v in versions]


def combined_version(*versions: ContentVersion) -> str:
    """The current values of several versions as one key part, read in one cache query."""
    return "-".join(map(str, current_versions(*versions)))


class AnnouncingQuerySet(models.QuerySet):
    """A QuerySet whose bulk writes, which send no model signal, bump its model's
    `content_version` once committed (the model signals announce every other write)."""

    content_version: ContentVersion

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            self.content_version.bump_on_commit()
        return rows

    def delete(self):
        deleted = super().delete()
        if deleted[0]:
            self.content_version.bump_on_commit()
        return deleted

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            self.content_version.bump_on_commit()
        return created

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        if rows:
            self.content_version.bump_on_commit()
        return rows


class SingleFlight:
    """When a value is missing, one thread of the process computes it and the others
    wanting the same key wait for it, rather than all computing it at once (under the
    benchmark's 8 connections, the dashboard's 0.5 s first render was done by every
    thread at once and its p95 reached 8 s). One lock per key being computed, dropped
    when nobody waits on it; a thread waits at most WAIT seconds, then computes anyway."""

    WAIT = 5.0

    def __init__(self):
        self._guard = threading.Lock()
        self._in_flight: dict[str, list] = {}  # key -> [lock, threads holding or waiting]

    @contextlib.contextmanager
    def turn(self, key: str):
        with self._guard:
            entry = self._in_flight.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        acquired = entry[0].acquire(timeout=self.WAIT)
        try:
            yield
        finally:
            if acquired:
                entry[0].release()
            with self._guard:
                entry[1] -= 1
                if not entry[1]:
                    del self._in_flight[key]


class PageCache:
    """Whole public pages for anonymous visitors, per process, under a version: a
    decorator for views. `version` is a ContentVersion or the dotted path of a function
    giving the version (imported on first use)."""

    def __init__(self, name: str, *, version, timeout: int, invalidated_by: str):
        self.name, self.timeout, self._version = name, timeout, version
        self.flight = SingleFlight()
        declare(
            name, "process", lambda: None,  # lives in PROCESS_CACHE: reset_all empties it
            key="version, host, path and query", lifetime=f"{timeout} s",
            invalidated_by=invalidated_by,
        )  # fmt: skip

    def version(self) -> int:
        if isinstance(self._version, ContentVersion):
            return self._version.current()
        return import_string(self._version)()

    def __call__(self, view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if (
                request.method not in ("GET", "HEAD")
                or settings.SESSION_COOKIE_NAME in request.COOKIES
            ):
                return view(request, *args, **kwargs)
            # Pages hold absolute URLs (canonical, API links): the host is in the key.
            path = f"{request.get_host()}{request.get_full_path()}"
            digest = hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()
            key = f"page:{self.name}:{self.version()}:{digest}"
            pages = caches[PROCESS_CACHE]
            cached = pages.get(key)
            if cached is None and pages.get(f"{key}:uncacheable") is None:
                with self.flight.turn(key):  # one thread renders, the others wait for it
                    cached = pages.get(key)
                    if cached is None:
                        return self.render_and_keep(pages, key, view, request, *args, **kwargs)
            if cached is not None:
                content, content_type = cached
                return HttpResponse(content, content_type=content_type)
            return view(request, *args, **kwargs)

        return wrapper

    def render_and_keep(self, pages, key, view, request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # A page that set a cookie or used a CSP nonce is this visitor's own.
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not get_nonce(request)
        ):
            pages.set(key, (response.content, response["Content-Type"]), self.timeout)
        else:  # nobody waits for it next time
            pages.set(f"{key}:uncacheable", True, self.timeout)
        return response


class TimedValues:
    """Values computed from the database and kept per process for `timeout` seconds."""

    def __init__(self, name: str, *, key: str, timeout: int, invalidated_by: str):
        self.name, self.timeout = name, timeout
        self.flight = SingleFlight()
        declare(
            name, "process", lambda: None,  # lives in PROCESS_CACHE: reset_all empties it
            key=key, lifetime=f"{timeout} s", invalidated_by=invalidated_by,
        )  # fmt: skip

    def get_or_compute(self, key: str, compute: Callable):
        full_key = f"{self.name}:{key}"
        pages = caches[PROCESS_CACHE]
        value = pages.get(full_key)
        if value is None:
            with self.flight.turn(full_key):
                value = pages.get(full_key)
                if value is None:
                    value = compute()
                    pages.set(full_key, value, self.timeout)
        return value


class SharedTimedValues:
    """Aggregates computed from the database for `timeout` seconds, once for every app
    server and worker: the value is kept in the shared cache (a database table) with the
    time it expires, and each process keeps a copy until then, so that a hit makes no
    query. When it is missing, one process computes it (it takes `{key}:computing` in
    the shared cache with `add`, which only one can win) and the others wait for it,
    polling the shared cache, up to WAIT seconds, then compute it themselves. Once it
    has expired, it stays in the shared cache for a day (KEPT): the request that wins
    `:computing` computes it again, every other one is answered with the old value.

    Why: the observatory's live statistics take 0.6 s of PostgreSQL at 100,000
    diagnostics and the peer quartiles 0.4 s per size band; kept per process, each of
    the 4 new workers of `make bench`'s two-server row computed them at once when the
    visitors came: /observatoire/ reached p95 3.6 s and the whole journeys p95 560 ms
    and p99 2.2 s in their first run, p95 85 ms and p99 180 ms in a second run on the
    same (then warm) processes. Why the stale value: a thread that finds the value
    missing waits for it (up to WAIT, then computes it too), and with 4 threads a worker
    can have all of them waiting. The one-server journeys of `make bench` start 9
    minutes after the page rows computed the statistics, while the library's index is
    rebuilt after the edit row: their first 15 s had requests of any page up to 7 s (p99
    2.9 s for the minute). Expired statistics waited for were a suspect; the one run
    with this stale value (on a machine at half its speed) still had that stall, so the
    stall's cause is elsewhere (the index rebuild runs at the same moment)."""

    WAIT = 5.0
    POLL = 0.05
    # How long a process may take to compute a stale value again before another one
    # does (if the first one died meanwhile, the old value serves until then).
    REFRESH_LOCK = 60
    # How long an expired value stays to be served while it is computed again: so that
    # only the first request ever (or after `reset_all`) waits for a computation. Kept
    # one lifetime more, they were gone when the one-server journeys of `make bench`
    # came, 9 minutes after the page rows had computed them.
    KEPT = 24 * 3600

    def __init__(self, name: str, *, key: str, keys: Callable[[], list[str]], timeout: int,
                 invalidated_by: str):  # fmt: skip
        self.name, self.timeout, self.keys = name, timeout, keys
        self.flight = SingleFlight()
        declare(
            name, "shared", self.clear,
            key=f"{name}:{key} (shared; a copy per process until it expires)",
            lifetime=f"{timeout} s, then served while one process computes it again",
            invalidated_by=invalidated_by,
        )  # fmt: skip

    def get_or_compute(self, key: str, compute: Callable):
        full_key = f"{self.name}:{key}"
        pages = caches[PROCESS_CACHE]
        kept = pages.get(full_key)
        if kept is not None:
            return kept[1]
        kept = shared_cache.get(full_key)
        if kept is not None and kept[0] <= time.time():
            # Stale: one request of one process computes it again, the others go on
            # with the old value meanwhile (it is kept KEPT seconds for that).
            if not shared_cache.add(f"{full_key}:computing", True, self.REFRESH_LOCK):
                return kept[1]
            kept = self._compute(full_key, compute)
        elif kept is None:
            with self.flight.turn(full_key):  # one thread of this process asks
                kept = pages.get(full_key) or self._shared(full_key, compute)
        pages.set(full_key, kept, max(kept[0] - time.time(), 1))
        return kept[1]

    def _shared(self, full_key: str, compute: Callable) -> tuple[float, object]:
        """The value when none is kept, not even a stale one: wait for the process that
        computes it, or compute it."""
        kept = shared_cache.get(full_key)
        if kept is not None:
            return kept
        if not shared_cache.add(f"{full_key}:computing", True, self.WAIT):
            deadline = time.monotonic() + self.WAIT
            while time.monotonic() < deadline:
                time.sleep(self.POLL)
                if (kept := shared_cache.get(full_key)) is not None:
                    return kept
        return self._compute(full_key, compute)

    def _compute(self, full_key: str, compute: Callable) -> tuple[float, object]:
        try:
            kept = (time.time() + self.timeout, compute())
            shared_cache.set(full_key, kept, self.KEPT)
        finally:
            shared_cache.delete(f"{full_key}:computing")
        return kept

    def clear(self) -> None:
        shared_cache.delete_many([f"{self.name}:{key}" for key in self.keys()])


class ProcessMemo:
    """Values computed once per process from data that cannot change under their key
    (a frozen questionnaire version, reference data). Few keys: never evicted."""

    def __init__(self, name: str, *, key: str, invalidated_by: str):
        self.name = name
        self._values: dict = {}
        self._lock = threading.Lock()
        declare(
            name, "process", self.clear, key=key, lifetime="the process",
            invalidated_by=invalidated_by,
        )  # fmt: skip

    def get(self, key):
        return self._values.get(key)

    def put(self, key, value) -> None:
        with self._lock:
            self._values.setdefault(key, value)

    def get_or_compute(self, key, compute: Callable):
        try:
            return self._values[key]
        except KeyError:
            value = compute()
            with self._lock:
                return self._values.setdefault(key, value)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


class ProcessLRU:
    """Values computed from their key alone (a pure function of it), kept per process,
    the `size` most recently used."""

    def __init__(self, name: str, *, key: str, size: int, invalidated_by: str):
        self.name, self.size = name, size
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        declare(
            name, "process", self.clear, key=key, lifetime=f"the {size} most recently used",
            invalidated_by=invalidated_by,
        )  # fmt: skip

    def get_or_compute(self, key, compute: Callable):
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            if len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


class ProcessSlot:
    """One object per process that its owner replaces when stale (the library index)."""

    def __init__(self, name: str, *, lifetime: str, invalidated_by: str):
        self.name = name
        self.value = None
        self.lock = threading.Lock()
        self.on_reset: Callable[[], None] = lambda: None
        declare(
            name, "process", self.clear, key="none", lifetime=lifetime,
            invalidated_by=invalidated_by,
        )  # fmt: skip

    def clear(self) -> None:
        self.on_reset()
        self.value = None


class SharedSnapshot:
    """One large object that one process builds for all the others (the library's
    search index): kept in the shared cache under its name, with a small stamp under
    `{name}:stamp` saying what it is, so that a process waiting for it polls the stamp
    rather than reading the whole object. `claim()` is won by one process at a time
    (`add`); the winner builds and `put()`s, then `release()`s."""

    def __init__(self, name: str, *, lifetime: str, invalidated_by: str):
        self.name = name
        self.keys = [name, f"{name}:stamp", f"{name}:building"]
        declare(
            name, "shared", self.clear, key=f"{name}, and its stamp", lifetime=lifetime,
            invalidated_by=invalidated_by,
        )  # fmt: skip

    def stamp(self):
        return shared_cache.get(f"{self.name}:stamp")

    def get(self):
        return shared_cache.get(self.name)

    def put(self, value, stamp, timeout: int) -> None:
        shared_cache.set(self.name, value, timeout)
        shared_cache.set(f"{self.name}:stamp", stamp, timeout)  # after the value

    def claim(self, seconds: int) -> bool:
        return shared_cache.add(f"{self.name}:building", True, seconds)

    def release(self) -> None:
        shared_cache.delete(f"{self.name}:building")

    def clear(self) -> None:
        shared_cache.delete_many(self.keys)


# --- the declarations -------------------------------------------------------------

LIBRARY_VERSION = ContentVersion(
    "library",
    invalidated_by="resources/signals.py: any write to resources, themes, organisations, "
    "tags or taggings; ResourceQuerySet bulk writes",
)
OBSERVATORY_VERSION = ContentVersion(
    "observatory",
    invalidated_by="observatory/signals.py: any write to sources, indicators, observations, "
    "key figures; ObservationQuerySet bulk writes",
)
KIT_VERSION = ContentVersion(
    "kit",
    invalidated_by="kit/signals.py: any write to the kit's uses, their selections, parcours "
    "and steps; KitQuerySet bulk writes",
)
DIRECTORY_VERSION = ContentVersion(
    "directory",
    invalidated_by="network/signals.py: any write to the directory's profiles or their "
    "lists (territory, themes, linked resources); ProfileQuerySet bulk writes",
)
AGENDA_VERSION = ContentVersion(
    "agenda",
    invalidated_by="network/apps.py: any write to events; EventQuerySet bulk writes",
)
QUESTIONNAIRE_VERSION = ContentVersion(
    "questionnaire",
    invalidated_by="diagnostics/signals.py: any write to questionnaires, axes, questions, "
    "choices; QuestionnaireQuerySet bulk writes (putting a version in service)",
)

LIBRARY_PAGES = PageCache(
    "library-pages", version=LIBRARY_VERSION, timeout=300,
    invalidated_by="a new library version; the timeout lets a scheduled publication appear",
)  # fmt: skip
INDEX_PAGES = PageCache(
    "index-pages", version="resources.search.pages_version", timeout=300,
    invalidated_by="a new library index (built after each new library version, the "
    "glossary's included) or a new version of another source the search finds (the kit's "
    "version: the parcours); also the kit's home and use pages (catalogue counts, kit "
    "content)",
)  # fmt: skip
HOME_PAGES = PageCache(
    "home-pages", version="rameau_site.views.home_version", timeout=300,
    invalidated_by="a new observatory version (key figures), questionnaire version "
    "(the diagnostic's length) or kit version (the « Commencer ici » parcours)",
)  # fmt: skip
DIRECTORY_PAGES = PageCache(
    "directory-pages", version="network.signals.directory_pages_version", timeout=300,
    invalidated_by="a new directory version or library version (the themes' names)",
)  # fmt: skip
AGENDA_PAGES = PageCache(
    "agenda-pages", version=AGENDA_VERSION, timeout=60,
    invalidated_by="a new agenda version; time: an event that ends leaves the upcoming "
    "list within a minute (the event's page, with its places left, is not kept)",
)  # fmt: skip
OBSERVATORY_PAGES = PageCache(
    "observatory-pages", version=OBSERVATORY_VERSION, timeout=300,
    invalidated_by="a new observatory version",
)  # fmt: skip
DASHBOARD_PAGES = PageCache(
    "dashboard-pages", version=OBSERVATORY_VERSION, timeout=150,
    invalidated_by="a new observatory version; time (with the live statistics, kept "
    "150 s too, never older than 5 minutes)",
)  # fmt: skip

DIAGNOSTIC_PEERS = SharedTimedValues(
    "diagnostic-peers", key="commune size band",
    keys=lambda: [*import_string("territories.enums.SizeBand").values, ""], timeout=300,
    invalidated_by="time only: new responses count within 5 minutes",
)  # fmt: skip
DIAGNOSTIC_SUGGESTIONS = TimedValues(
    "diagnostic-suggestions",
    key="library and kit versions with level and weakest axes, or with region and size band",
    timeout=300, invalidated_by="a new library version or kit version (the parcours)",
)  # fmt: skip
# A fragment ({% step_body %}, diagnostics/templatetags/diagnostic_steps.py, "pages"
# cache): the questions of a step as its GET shows them. Most visitors reach a step with
# none of its questions answered yet, so they share one copy per frozen version and axis.
STEP_QUESTIONS = TimedValues(
    "step-questions", key="frozen version, axis, the shown questions and ticked answers",
    timeout=300, invalidated_by="nothing: a version in service never changes",
)  # fmt: skip
# A fragment ({% campaign_synthesis %}, diagnostics/templatetags/diagnostic_results.py):
# the organiser page's consolidated view, rendered from the stored synthesis. Measured on
# the demo campaign (in-process CPU, best of 5 x 200 requests): the page cost 9.1 ms with
# it rendered each time, of which 5.7 ms of templates; see the tag for the figures with it.
ORGANISER_SYNTHESIS = TimedValues(
    "organiser-synthesis", key="campaign id and synthesis version", timeout=3600,
    invalidated_by="a new synthesis version: campaign_synthesis_refresh, the one service "
    "that writes a campaign's synthesis, bumps it",
)  # fmt: skip
OBSERVATORY_LIVE = SharedTimedValues(
    "observatory-live", key="all", keys=lambda: ["all"], timeout=150,
    invalidated_by="time only",
)  # fmt: skip

# Staff-written Markdown rendered on reading (the kit's parcours and steps, the agenda's
# events, the directory's presentations: resources/rendering.py markdown_html): the
# HTML of a text depends on the text alone.
# Measured on generate_kit_data's progress page (10 steps, in-process CPU, best of 5 x
# 30 requests, three rounds on a busy machine): 10.4-12.4 ms a page rendering each text,
# 9.3-10.4 ms with them kept.
MARKDOWN_HTML = ProcessLRU(
    "markdown-html", key="SHA-256 of the text", size=4096,
    invalidated_by="nothing: a text's HTML never changes (an edited text is another key)",
)  # fmt: skip
LIBRARY_INDEX = ProcessSlot(
    "library-index", lifetime="until stale, at most 1 hour",
    invalidated_by="a new library version or a scheduled publication come due: the old "
    "index serves while a thread builds the new one (resources/index.py); the word pairs "
    "it looked up for phrases (at most 1,000) go with it",
)  # fmt: skip
# The library index as built by one process for all the others (resources/index.py
# shared_index): after an edit, one process of all the app servers runs the three
# queries, the others load its copy. Measured at 100,000 resources on the bench
# database (machine idle): build_index 5.7-6.5 s, nearly all of it PostgreSQL (0.22 s of
# Python); the copy is 9.4 MB pickled, stored in 0.75 s and loaded in 0.09 s. With each
# process building its own, the 2 workers of `make bench` took both CPUs for 12 s after
# an edit (and N servers would take 2N backends of the primary).
LIBRARY_SNAPSHOT = SharedSnapshot(
    "library-index-snapshot", lifetime="1 hour (the index's MAX_AGE)",
    invalidated_by="replaced by the next build: a process takes it only if it is fresh for "
    "the library version it reads (resources/index.py _stale)",
)  # fmt: skip
# The catalogue's FilterSet forms (resources/filters.py): the facets' choices and the
# form class made of their fields, built once per library index rather than on every
# search (the FilterSet and its form class: 0.72 -> 0.44 ms of CPU a catalogue page at
# 100,000 resources).
FILTER_FORMS = ProcessLRU(
    "filter-forms", key="the FilterSet's facets and the library index's build", size=16,
    invalidated_by="a new library index (the themes are choices): another key",
)  # fmt: skip
FROZEN_QUESTIONNAIRES = ProcessMemo(
    "frozen-questionnaires", key="questionnaire id and version",
    invalidated_by="nothing: a version in service never changes (reset_all after a restore)",
)  # fmt: skip
QUESTION_FIELDS = ProcessMemo(
    "question-fields", key="questionnaire id, version and axis",
    invalidated_by="nothing: a version in service never changes",
)  # fmt: skip
# The layout's links and static files (header and footer, rameau_site/context_processors.py),
# found once per URLconf and script prefix rather than on every page.
LAYOUT_URLS = ProcessMemo(
    "layout-urls", key="URLconf and script prefix",
    invalidated_by="nothing: a URLconf's addresses are fixed (the site has no translated "
    "URL patterns), and so are the static files' hashed names (collectstatic's manifest, "
    "read when the process starts)",
)  # fmt: skip
REGION_NAMES = ProcessMemo(
    "region-names", key="none", invalidated_by="nothing: reference data loaded by a migration"
)
COMMUNES = ProcessLRU(
    "communes", key="commune code (the commune with its département)", size=4096,
    invalidated_by="nothing: reference data loaded by a migration",
)  # fmt: skip


def describe() -> str:
    """The declarations as a Markdown table."""
    rows = ["| name | scope | key | lifetime | made stale by |", "|---|---|---|---|---|"]
    rows += [
        f"| {d.name} | {d.scope} | {d.key} | {d.lifetime} | {d.invalidated_by} |"
        for d in REGISTRY.values()
    ]
    return "\n".join(rows)


if __name__ == "__main__":
    print(describe())
