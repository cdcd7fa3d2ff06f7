"""Production logs: one JSON line per request, with a request id that the response
carries back and that every record logged during the request repeats."""

import io
import json
import logging

import pytest

from rameau_site.logs import JsonFormatter


@pytest.fixture
def lines(settings):
    """What a production console handler writes (JsonFormatter, formatted as each
    record is emitted), as parsed lines."""
    settings.REQUEST_LOG = True
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(text) for text in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_each_request_is_one_json_line_with_its_id(client, db, lines):
    response = client.get("/ressources/?q=alliance+secr%C3%A8te")
    [line] = [line for line in lines() if line["logger"] == "rameau.requests"]
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert (line["method"], line["path"], line["status"]) == ("GET", "/ressources/", 200)
    assert "secr" not in json.dumps(line)  # the query string (a search) is not logged
    assert line["duration_ms"] > 0
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")


def test_a_sane_request_id_from_the_proxy_is_kept_and_a_hostile_one_replaced(client, db, lines):
    kept = client.get("/sante/", headers={"X-Request-ID": "proxy-42.a_b"})
    assert kept["X-Request-ID"] == "proxy-42.a_b"
    replaced = client.get("/sante/", headers={"X-Request-ID": '"}\n{"level": "forged'})
    assert replaced["X-Request-ID"] != '"}\n{"level": "forged'
    assert len(replaced["X-Request-ID"]) == 32
    ids = [line["request_id"] for line in lines() if line["logger"] == "rameau.requests"]
    assert ids == ["proxy-42.a_b", replaced["X-Request-ID"]]


def test_records_logged_during_a_request_carry_its_id(client, db, lines):
    response = client.get("/ressources/nulle-part-inexistante/")
    assert response.status_code == 404
    by_logger = {line["logger"]: line for line in lines()}
    assert by_logger["django.request"]["request_id"] == response["X-Request-ID"]
    assert by_logger["django.request"]["status_code"] == 404


def test_request_lines_can_be_turned_off(client, db, lines, settings):
    settings.REQUEST_LOG = False
    client.get("/sante/")
    assert not [line for line in lines() if line["logger"] == "rameau.requests"]


def test_an_exception_is_one_line_too():
    try:
        raise ValueError("boum")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "échec", (), __import__("sys").exc_info()
        )
    text = JsonFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "échec" and "ValueError: boum" in line["exception"]


def test_a_diagnostics_secret_token_never_goes_into_the_request_line(client, db, lines):
    started = client.post("/diagnostic/")
    token = started["Location"].split("/")[2]
    client.get(started["Location"])
    text = json.dumps(lines())
    assert token not in text
    paths = [line["path"] for line in lines() if line["logger"] == "rameau.requests"]
    assert paths == ["/diagnostic/", "/diagnostic/<str:token>/etape/<int:number>/"]
