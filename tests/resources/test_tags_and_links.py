"""Tag hygiene (merge, usage counts, autocomplete) and link checking against a local
HTTP server."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from resources.links import USER_AGENT, check_url
from resources.models import Resource, Tag
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.ignore_template_errors  # Django's own admin templates


def test_merging_two_spellings_leaves_one_tag_with_all_resources(
    administrator_client, django_capture_on_commit_callbacks
):
    ResourceFactory(slug="les-deux", tags=["co-construction", "coconstruction"])
    ResourceFactory(slug="tiret", tags=["co-construction"])
    ResourceFactory(slug="attache", tags=["coconstruction", "alliance"])
    kept, dropped = Tag.objects.get(name="co-construction"), Tag.objects.get(name="coconstruction")

    listing = administrator_client.get("/admin/resources/tag/").content.decode()
    assert "Fusionner les mots-clés sélectionnés" in listing
    confirm = administrator_client.post(
        "/admin/resources/tag/", {"action": "merge", "_selected_action": [kept.pk, dropped.pk]}
    )
    assert confirm.status_code == 200 and "Mot-clé à garder" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(
            "/admin/resources/tag/",
            {"action": "merge", "_selected_action": [kept.pk, dropped.pk], "apply": "1",
             "target": kept.pk},
        )  # fmt: skip
    assert response.status_code == 302

    assert not Tag.objects.filter(name="coconstruction").exists()
    tagged = set(Resource.objects.filter(tags=kept).values_list("slug", flat=True))
    assert tagged == {"les-deux", "tiret", "attache"}
    assert Resource.objects.get(slug="attache").search_tags == "alliance co-construction"
    assert Resource.objects.get(slug="les-deux").tags.count() == 1


def test_an_editor_cannot_merge_tags(editor_client):
    ResourceFactory(tags=["a", "b"])
    ids = list(Tag.objects.values_list("pk", flat=True))
    listing = editor_client.get("/admin/resources/tag/").content.decode()
    assert 'value="merge"' not in listing
    editor_client.post(
        "/admin/resources/tag/",
        {"action": "merge", "_selected_action": ids, "apply": "1", "target": ids[0]},
    )
    assert Tag.objects.count() == 2


def test_tag_autocomplete_puts_the_most_used_tags_first(editor_client):
    ResourceFactory(tags=["partenariat rare"])
    for _ in range(3):
        ResourceFactory(tags=["partenariat"])
    response = editor_client.get(
        "/admin/autocomplete/",
        {"term": "parte", "app_label": "resources", "model_name": "resource",
         "field_name": "tags"},
    )  # fmt: skip
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["partenariat", "partenariat rare"]


# --- link checking -------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    seen_agents: list = []

    def log_message(self, *args):
        pass

    def answer(self, with_body):
        Handler.seen_agents.append(self.headers.get("User-Agent"))
        if self.path == "/sans-head" and self.command == "HEAD":
            status = 405
        else:
            status = {"/ok": 200, "/absent": 404, "/sans-head": 200}.get(self.path, 500)
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)


@pytest.fixture
def web_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_server():
    """Accepts connections (the kernel does, through the backlog) but never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def test_check_links_records_a_200_a_404_and_a_timeout(
    db, web_server, silent_server, django_capture_on_commit_callbacks, client
):
    ok = ResourceFactory(slug="lien-ok", external_url=f"{web_server}/ok")
    missing = ResourceFactory(slug="lien-absent", external_url=f"{web_server}/absent")
    slow = ResourceFactory(slug="lien-muet", external_url=f"{silent_server}/rien")
    no_head = ResourceFactory(slug="sans-head", external_url=f"{web_server}/sans-head")
    without_link = ResourceFactory(slug="sans-lien", external_url="")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("check_links", "--timeout", "0.5", stdout=open("/dev/null", "w"))

    for resource in (ok, missing, slow, no_head, without_link):
        resource.refresh_from_db()
    assert (ok.link_status, ok.link_is_broken) == (200, False)
    assert (missing.link_status, missing.link_is_broken) == (404, True)
    assert (slow.link_status, slow.link_error, slow.link_is_broken) == (None, "délai dépassé", True)
    assert no_head.link_status == 200  # HEAD refused, GET answered
    assert without_link.link_checked_at is None
    assert set(Handler.seen_agents) == {USER_AGENT}
    assert ok.history.count() == 1  # a link check is not an editorial change

    page = client.get("/ressources/lien-ok/").content.decode()
    assert "Lien vérifié le" in page
    assert (
        "indisponible lors de sa dernière vérification"
        in client.get("/ressources/lien-absent/").content.decode()
    )


def test_the_admin_lists_broken_links(administrator_client, web_server):
    ResourceFactory(title="Lien cassé", external_url=f"{web_server}/absent")
    ResourceFactory(title="Lien valide", external_url=f"{web_server}/ok")
    call_command("check_links", "--timeout", "2", stdout=open("/dev/null", "w"))

    html = administrator_client.get("/admin/resources/resource/", {"lien": "casse"}).content
    assert "Lien cassé" in html.decode() and "Lien valide" not in html.decode()


def test_a_non_web_address_is_not_fetched():
    assert check_url("file:///etc/passwd").error == "adresse non web"
