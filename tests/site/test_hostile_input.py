"""Every public form, fuzzed; every public POST, without its CSRF token; every kind of
page, with its security headers. Never a server error, never a write without a token."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.models import Answer, Response
from diagnostics.services import response_start
from tests.resources.factories import ResourceFactory

FIELDS = ["role", "commune_query", "commune", "consent", "action", "version", "email", "etape",
          "q1", "q2", "q3", "q7", "q29", "autre"]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "",
            "1",
            "0",
            "-1",
            "9" * 40,
            "suivant",
            "precedent",
            "elu",
            "oui",
            "non",
            "94220",
            "Charenton-le-Pont",
            "x@exemple.fr",
            "\x00",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "é" * 300,
        ]
    ),  # fmt: skip
)
FORM = st.lists(st.tuples(st.sampled_from(FIELDS), VALUES), max_size=8)


@pytest.fixture
def diagnostic(db):
    return response_start()


def post_targets(token: str) -> list[str]:
    return [
        f"/diagnostic/{token}/etape/1/",
        f"/diagnostic/{token}/etape/2/",
        f"/diagnostic/{token}/etape/6/",
        f"/diagnostic/{token}/envoyer-le-lien/",
        f"/diagnostic/{token}/refaire/",
        "/diagnostic/",
    ]


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=FORM, target=st.integers(min_value=0, max_value=5))
def test_public_forms_never_answer_with_a_server_error(client, diagnostic, form, target):
    url = post_targets(diagnostic.token)[target]
    data = {}
    for name, value in form:
        data.setdefault(name, []).append(value)

    response = client.post(url, data)

    assert response.status_code in {200, 302, 303, 400, 404, 429}, (url, data)


def test_every_public_post_needs_its_csrf_token(db, diagnostic):
    ResourceFactory()
    client = Client(enforce_csrf_checks=True)
    responses_before = Response.objects.count()
    for url in post_targets(diagnostic.token) + ["/admin/login/"]:
        refused = client.post(url, {"action": "suivant", "role": "elu", "username": "x"})
        assert refused.status_code == 403, url
        assert "Votre navigateur n’a pas envoyé" in refused.content.decode() or (
            "formulaire" in refused.content.decode()
        ), url
    assert Response.objects.count() == responses_before
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/ressources/",
        "/ressources/?q=alliance",
        "/ressources/{slug}/",
        "/ressources/flux/",
        "/api/ressources/",
        "/api/openapi.json",
        "/cas-pratiques/",
        "/diagnostic/",
        "/diagnostic/questionnaire.json",
        "/observatoire/",
        "/observatoire/donnees.csv",
        "/sitemap.xml",
        "/robots.txt",
        "/sante/",
        "/accessibilite/",
        "/page-inconnue/",
    ],
)
def test_every_kind_of_page_carries_the_security_headers(client, db, path):
    resource = ResourceFactory()
    response = client.get(path.format(slug=resource.slug), secure=True)

    assert response.status_code in {200, 404}
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


OBSERVATORY_PARAMS = ["indicateur", "population", "region", "vue", "page", "format", "autre"]
OBSERVATORY_ENDPOINTS = [
    "/observatoire/",
    "/observatoire/donnees.csv",
    "/api/observatoire/observations/",
    "/observatoire/indicateurs/devoir-d-alliance/",
    "/observatoire/indicateurs/devoir-d-alliance/integrer/",
]
OBSERVATORY_VALUES = st.one_of(
    VALUES,
    st.sampled_from(["maires", "53", "france", "tableau", "devoir-d-alliance", "99", "0"]),
)


@pytest.fixture
def observatory(db):
    from django.core.management import call_command

    call_command("loaddata", "fixtures/05_observatory.json", verbosity=0)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.lists(st.tuples(st.sampled_from(OBSERVATORY_PARAMS), OBSERVATORY_VALUES), max_size=6),
    endpoint=st.sampled_from(OBSERVATORY_ENDPOINTS),
)
def test_observatory_query_strings_never_cause_a_server_error(client, observatory, query, endpoint):
    response = client.get(endpoint, query)

    assert response.status_code in {200, 400, 404}, (endpoint, query)
    if response.streaming:
        b"".join(response.streaming_content)  # a streamed CSV fails while it streams
