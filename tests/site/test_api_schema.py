"""Schemathesis generates requests from /api/openapi.json (valid and invalid parameters)
and sends them to the site, in process: no answer may be a server error, and every
answer must match the document (status code, content type, JSON schema)."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.resources.factories import ResourceFactory, ThemeFactory

pytestmark = pytest.mark.slow


def load_schema():
    """The document as the site serves it (read once the database is reachable)."""
    document = json.loads(Client().get("/api/openapi.json").content)
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def api_schema(db):
    theme = ThemeFactory(name="Gouvernance", slug="gouvernance")
    for n in range(25):
        ResourceFactory(
            title=f"Alliance territoriale {n}",
            audiences=["collectivites"],
            tags=["impact"],
            themes=[theme],
            case=n % 5 == 0,
        )
    loaded = load_schema()
    # As Django's test client does: the requests run inside the test's transaction, so
    # the start and end of a request must not close the connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield loaded
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def operations(schema):
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) == 3  # resources list and detail, observations
    return found


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_answers_as_documented_and_never_with_a_server_error(api_schema, mode):
    strategy = st.one_of([op.as_strategy(generation_mode=mode) for op in operations(api_schema)])

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case):
        response = case.call()
        assert response.status_code < 500, (case.method, case.formatted_path, case.query)
        if mode == GenerationMode.POSITIVE:
            case.validate_response(response)  # status, content type and body as documented
        else:
            # Unknown parameters are ignored, invalid values get a 400 or a 404.
            case.validate_response(response, checks=[not_a_server_error])

    check()
