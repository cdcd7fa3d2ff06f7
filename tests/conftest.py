import pytest
from django.core.management import call_command

from rameau_site.caching import reset_all


def pytest_configure(config):
    # The suite runs with the production static storage (hashed, compressed files),
    # so collect the static files once per run; only changed files are copied.
    if not hasattr(config, "workerinput"):
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Every per-process cache (pages, the library index, memos) is emptied: no test
    may see another's. The shared versions live in the test's own transaction."""
    reset_all(shared=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus a clean end: connections opened in other
    threads or greenlets (the browser tests' server, Playwright's sync API) may still
    be open when the database is dropped, so end them first."""
    yield
    import psycopg
    from django.db import connections

    with django_db_blocker.unblock():
        settings = connections["default"].settings_dict
        connections.close_all()
        params = {"dbname": "postgres", "user": settings["USER"], "host": settings["HOST"]}
        if settings.get("PASSWORD"):
            params["password"] = settings["PASSWORD"]
        if settings.get("PORT"):
            params["port"] = settings["PORT"]
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [settings["NAME"]],
            )


from tests.resources.staff import (  # noqa: E402, F401 (staff fixtures for every test package)
    administrator,
    administrator_client,
    editor,
    editor_client,
)
