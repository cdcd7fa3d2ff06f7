"""Headless Chromium for page tests: a live server, a Playwright page and the axe-core
check that every page test runs."""

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import axe_playwright_python
import pytest

CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "chromium", "chromium-browser"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        path = shutil.which(candidate)
        if path:
            return path
    return None


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in item.nodeid]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        # pytest-django creates the test database only for tests that declare it:
        # without this, a run of the browser tests alone would use the real database.
        item.add_marker(pytest.mark.django_db)
    if find_chromium() or not browser_items:
        return
    reason = (
        "Chromium introuvable (/usr/bin/chromium) : les tests navigateur sont ignorés. "
        "Installez le paquet Debian « chromium » pour les lancer."
    )
    if os.environ.get("CI"):
        # In CI a missing browser is a broken set-up, not a reason to skip.
        raise pytest.UsageError(reason)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=reason))


class ClosingHandler:
    """Serve the site, then close this thread's database connections: the server's
    keep-alive threads must not hold test-database sessions open at teardown."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        from django.db import connections

        try:
            return self.app(environ, start_response)
        finally:
            connections.close_all()


@pytest.fixture(scope="session")
def site_server(django_db_setup, django_db_blocker):
    """The site served on localhost by a thread, static files by WhiteNoise from the
    collected (hashed) files, exactly as in production.

    Browser tests read data committed by module fixtures (`committed_data`), not data
    in a test transaction: the server thread has its own connection. They use no
    transactional_db, whose flush would also empty the territory reference tables;
    pytest-django runs them after the database tests."""
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if not connection.settings_dict["NAME"].startswith("test_"):
        pytest.fail("Les tests navigateur doivent tourner sur la base de test, pas sur la vraie.")
    with django_db_blocker.unblock():
        thread = LiveServerThread("localhost", static_handler=ClosingHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield SimpleNamespace(url=f"http://localhost:{thread.port}")
        thread.terminate()


@pytest.fixture(autouse=True)
def empty_shared_values(site_server, django_db_blocker):
    """The aggregates shared by every process (rameau_site/caching.py SharedTimedValues)
    live in the cache table, which these tests' committed data does not roll back:
    emptied after each test, as the per-process caches are before it."""
    from rameau_site.caching import reset_all

    yield
    with django_db_blocker.unblock():
        reset_all()


@pytest.fixture(scope="module")
def committed(site_server, django_db_blocker):
    """For a module's data fixtures: what they create is committed, so the live server
    sees it; all rows of the library's tables are deleted at the end of the module."""
    from django.apps import apps

    with django_db_blocker.unblock():
        yield
        for label in CLEANED_MODELS:
            model = apps.get_model(label)
            if label == "resources.Theme":  # sub-themes protect their parent
                model.objects.filter(parent__isnull=False).delete()
            model.objects.all().delete()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Models whose rows created by browser-test fixtures are deleted afterwards, in order.
CLEANED_MODELS = [
    "network.Registration",
    "network.Event",
    # The kit's steps and selections protect the resources they name.
    "kit.StepDone",
    "kit.Progress",
    "kit.Step",
    "kit.UseItem",
    "kit.Parcours",
    "kit.Use",
    "observatory.Observation",
    "observatory.Indicator",
    "observatory.Source",
    "diagnostics.Response",
    "diagnostics.Recommendation",
    "resources.TaggedResource",
    "resources.StatusChange",
    "resources.HistoricalResource",
    "resources.Resource",
    "resources.Tag",
    "resources.Theme",
    "resources.Organisation",
    "resources.SearchWord",
    "resources.GlossaryTerm",
    "admin.LogEntry",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "auth.User",
]


@pytest.fixture
def new_page(browser, site_server):
    """`new_page(viewport=..., ...)`: a page in a fresh browser context on the site;
    every context is closed at teardown, even when the test fails."""
    contexts = []

    def make(**context_options):
        context_options.setdefault("locale", "fr-FR")
        context = browser.new_context(base_url=site_server.url, **context_options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page (page.evaluate is not subject to the page's CSP)."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary']}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible():
    """`assert_accessible(page)`: 0 axe-core violations for WCAG 2.1 A and AA."""

    def check(page):
        violations = axe_violations(page)
        assert not violations, f"{page.url}\n{format_violations(violations)}"

    return check


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than its window (0 or less: no scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def assert_fits_narrow_screens(new_page):
    """`assert_fits_narrow_screens(path)`: no horizontal scroll on a 320 px wide screen,
    nor in a 640 px window at twice the density (200 % zoom of a 1280 px window)."""

    def check(path):
        for viewport, scale in (({"width": 320, "height": 640}, 1),
                                ({"width": 640, "height": 400}, 2)):  # fmt: skip
            page = new_page(viewport=viewport, device_scale_factor=scale)
            page.goto(path)
            overflow = horizontal_overflow(page)
            assert overflow <= 0, (path, viewport, overflow)

    return check
