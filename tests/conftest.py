import pytest
from django.core.cache import caches
from django.core.management import call_command


def pytest_configure(config):
    # The suite runs with the production static storage (hashed, compressed files),
    # so collect the static files once per run; only changed files are copied.
    if not hasattr(config, "workerinput"):
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Rendered pages are cached per process: no test may see another's pages."""
    caches["pages"].clear()
