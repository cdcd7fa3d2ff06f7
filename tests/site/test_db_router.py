"""Which database a request reads from (rameau_site/db_router.py), without a replica:
the decision for each kind of request, the router's rules, the replicas' settings.
tests/site/test_replica.py proves it against a real streaming replica."""

import copy
import time
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.db.utils import ConnectionHandler
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import get_unique_databases_and_mirrors
from django.urls import resolve

from rameau_site import db_router
from rameau_site.db_router import PIN_COOKIE, ReplicaReadsMiddleware, ReplicaRouter
from resources.models import Resource

REPLICAS = ["replica_1", "replica_2"]


def reads_of(request, replicas=REPLICAS):
    """Run `request` through the middleware (and the URL resolver, as Django does):
    where its library and session reads go, and the response."""
    router, seen = ReplicaRouter(), {}

    def view(request):
        match = resolve(request.path_info)
        request.resolver_match = match
        middleware.process_view(request, match.func, match.args, match.kwargs)
        seen["library"] = router.db_for_read(Resource) or "default"
        seen["session"] = router.db_for_read(Session) or "default"
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(view, replicas=replicas)
    response = middleware(request)
    assert db_router.reading_from() == "default"  # nothing leaks into the next request
    return seen, response


rf = RequestFactory()


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize(
    "path", ["/", "/ressources/", "/ressources/un-guide/", "/observatoire/", "/api/ressources/"]
)
def test_an_anonymous_read_of_a_public_page_goes_to_a_replica(method, path):
    seen, response = reads_of(getattr(rf, method)(path))
    assert seen["library"] in REPLICAS
    assert seen["session"] == "default"
    assert PIN_COOKIE not in response.cookies


def test_the_replica_is_chosen_among_all_of_them():
    chosen = {reads_of(rf.get("/ressources/"))[0]["library"] for _ in range(60)}
    assert chosen == set(REPLICAS)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/resources/resource/",
        "/diagnostic/",
        "/diagnostic/abcdef123456/etape/1/",
        "/diagnostic/collectif/abcdef123456/",
        "/parcours/un-parcours/suivi/abcdef123456/",
        "/sante/",
    ],
)
def test_the_admin_the_diagnostic_and_token_pages_read_from_the_primary(path):
    seen, _ = reads_of(rf.get(path))
    assert seen["library"] == "default"


def test_a_signed_in_visitor_reads_from_the_primary():
    request = rf.get("/ressources/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    assert reads_of(request)[0]["library"] == "default"


def test_a_post_reads_from_the_primary_and_pins_its_visitor_there_for_a_while():
    seen, response = reads_of(rf.post("/contact/"))
    assert seen["library"] == "default"
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS + 1
    until = float(cookie.value)
    assert time.time() + settings.DATABASE_REPLICA_PIN_SECONDS <= until

    pinned = rf.get("/ressources/", HTTP_COOKIE=f"{PIN_COOKIE}={cookie.value}")
    assert reads_of(pinned)[0]["library"] == "default"
    # Expiry is checked on the server: a kept or altered cookie gains nothing.
    for stale in (str(int(time.time()) - 1), "n'importe quoi"):
        request = rf.get("/ressources/", HTTP_COOKIE=f"{PIN_COOKIE}={stale}")
        assert reads_of(request)[0]["library"] in REPLICAS


def test_without_replicas_everything_reads_from_the_primary_and_no_cookie_is_set():
    assert list(settings.DATABASES) == ["default"]  # the suite runs without replicas
    assert db_router.replica_aliases() == []
    seen, _ = reads_of(rf.get("/ressources/"), replicas=None)
    assert seen["library"] == "default"
    _, response = reads_of(rf.post("/contact/"), replicas=None)
    assert PIN_COOKIE not in response.cookies


def test_an_unreachable_replica_rests_and_its_page_is_read_from_the_primary():
    reads = []

    def page(request):
        reads.append(db_router.reading_from())
        if reads[-1] != "default":
            raise OperationalError("connection refused")
        return HttpResponse("lu sur la base principale")

    def handler(request):  # what Django's handler does around a view
        match = resolve(request.path_info)
        request.resolver_match = match
        middleware.process_view(request, page, match.args, match.kwargs)
        try:
            return page(request)
        except OperationalError as error:
            if response := middleware.process_exception(request, error):
                return response
            raise

    middleware = ReplicaReadsMiddleware(handler, replicas=["replica_1"])
    down = {"replica_1": SimpleNamespace(connection=None)}  # its connection never opened
    with mock.patch("django.db.connections", down):
        assert middleware(rf.get("/ressources/")).content == b"lu sur la base principale"
        assert reads == ["replica_1", "default"]
        reads.clear()
        middleware(rf.get("/ressources/"))
        assert reads == ["default"]  # this process leaves the replica alone a while
        reads.clear()
        middleware.resting["replica_1"] = time.monotonic() - 1
        middleware(rf.get("/ressources/"))
        assert reads == ["replica_1", "default"]  # then tries it again

    # An error while the replica answers is not the replica's: it goes on as usual.
    up = {"replica_1": SimpleNamespace(connection=object(), is_usable=lambda: True)}
    middleware.resting.clear()
    with mock.patch("django.db.connections", up), pytest.raises(OperationalError):
        middleware(rf.get("/ressources/"))
    assert middleware.resting == {}


def test_writes_and_migrations_go_to_the_primary_and_relations_cross_replicas():
    router = ReplicaRouter()
    db_router._replica.set("replica_1")
    try:
        assert router.db_for_write(Resource) == "default"
    finally:
        db_router._replica.set(None)
    assert router.allow_migrate("default", "resources")
    assert not router.allow_migrate("replica_1", "resources")
    one, other = Resource(), Resource()
    one._state.db, other._state.db = "replica_1", "default"
    assert router.allow_relation(one, other)


def test_replicas_are_read_like_database_url_and_mirror_the_primary_in_tests():
    primary = settings.DATABASES["default"]
    replicas = db_router.replica_databases(
        ["postgres://lecteur:secret@replique-1.interne:5433/rameau", "postgres://r2/rameau"],
        primary,
    )
    assert list(replicas) == REPLICAS
    first = replicas["replica_1"]
    assert (first["HOST"], first["PORT"], first["USER"], first["NAME"]) == (
        "replique-1.interne", 5433, "lecteur", "rameau"
    )  # fmt: skip
    assert first["OPTIONS"] == primary["OPTIONS"]
    assert first["CONN_MAX_AGE"] == primary["CONN_MAX_AGE"]
    assert first["TEST"] == {"MIRROR": "default"}

    # Django's test runner then creates one test database, the primary's: the replicas
    # point to it and the unit tests need no replica server.
    databases = ConnectionHandler(copy.deepcopy({"default": primary, **replicas}))
    with mock.patch("django.test.utils.connections", databases):
        test_databases, mirrors = get_unique_databases_and_mirrors(["default", *REPLICAS])
    assert mirrors == {"replica_1": "default", "replica_2": "default"}
    assert [aliases for _, aliases in test_databases.values()] == [["default"]]


def test_the_lag_of_no_replica_is_an_empty_report():
    assert db_router.replica_lag_seconds() == {}
