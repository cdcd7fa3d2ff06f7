import re
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kit.enums import PublicationStatus
from kit.models import Progress, StepDone
from tests.kit.factories import ParcoursFactory, StepFactory
from tests.resources.factories import ResourceFactory


@pytest.fixture
def parcours(db):
    parcours = ParcoursFactory(
        title="Commencer ici", slug="commencer-ici", audience="Les nouveaux venus", start_here=True
    )
    StepFactory(parcours=parcours, position=1, resource=ResourceFactory(title="Vision systémique"))
    StepFactory(parcours=parcours, position=2, diagnostic=True, duration_minutes=20)
    StepFactory(parcours=parcours, position=3, text=True, title="Une séance", duration_minutes=120)
    return parcours


def start(client, parcours, token="A" * 32):
    return client.post(f"/parcours/{parcours.slug}/commencer/", {"jeton": token})


def mark(client, progress, step, state="fait"):
    return client.post(
        f"/parcours/{progress.parcours.slug}/suivi/{progress.token}/etape/{step.pk}/",
        {"etat": state},
    )


def test_list_and_detail_show_the_steps_audience_level_and_total_duration(client, parcours):
    ParcoursFactory(title="Un brouillon", status=PublicationStatus.DRAFT)
    listing = client.get("/parcours/").content.decode()
    assert "Commencer ici" in listing and "Un brouillon" not in listing
    assert "2\u00a0h 50\u00a0min" in listing  # 30 + 20 + 120 minutes

    html = client.get("/parcours/commencer-ici/").content.decode()
    assert "Les nouveaux venus" in html and "Découverte" in html
    titles = re.findall(r"<h3>Étape (\d)&nbsp;: ([^<]+)</h3>", html)
    assert titles == [
        ("1", "Vision systémique"),
        ("2", "Faire l’autodiagnostic de maturité"),
        ("3", "Une séance"),
    ]
    assert 'href="/diagnostic/"' in html and 'href="/ressources/' in html
    assert "Marquer comme fait" not in html  # no progress before starting


def test_a_draft_parcours_is_hidden_but_staff_can_preview_it(client, editor_client, db):
    draft = ParcoursFactory(slug="brouillon", status=PublicationStatus.DRAFT)
    assert client.get("/parcours/brouillon/").status_code == 404
    assert client.get("/parcours/brouillon/apercu/").status_code == 302  # to the login
    response = editor_client.get("/parcours/brouillon/apercu/")
    assert response.status_code == 200 and draft.title in response.content.decode()
    assert start(client, draft).status_code == 404


def test_starting_twice_with_the_same_form_stores_one_progress(client, parcours):
    first, second = start(client, parcours), start(client, parcours)

    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"] == f"/parcours/commencer-ici/suivi/{'A' * 32}/"
    assert Progress.objects.count() == 1


def test_the_start_form_carries_a_fresh_token_of_at_least_128_bits(client, parcours):
    tokens = {
        re.search(
            r'name="jeton" value="([^"]+)"', client.get("/parcours/commencer-ici/").content.decode()
        ).group(1)
        for _ in range(2)
    }
    assert len(tokens) == 2
    response = start(client, parcours, tokens.pop())
    token = Progress.objects.get().token
    assert len(token) == 32 and len(token) * 6 >= 128  # URL-safe base64 of 24 bytes
    assert response["Location"].endswith(f"/suivi/{token}/")


@pytest.mark.parametrize("token", ["", "court", "A" * 31 + "!", "B" * 40])
def test_a_forged_start_token_is_refused_with_a_french_message(client, parcours, token):
    response = start(client, parcours, token)
    assert response.status_code == 303 and response["Location"] == "/parcours/commencer-ici/"
    assert Progress.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "Le parcours n’a pas pu être commencé" in page


def test_a_token_of_another_parcours_never_opens_it(client, parcours):
    other = ParcoursFactory(slug="autre")
    start(client, other)
    response = start(client, parcours)  # same token, other parcours: a new progress
    progress = Progress.objects.get(parcours=parcours)
    assert progress.token != "A" * 32 and response["Location"].endswith(f"/{progress.token}/")
    assert client.get(f"/parcours/commencer-ici/suivi/{'A' * 32}/").status_code == 404


def test_progress_survives_a_new_browser_and_double_clicks_store_once(client, parcours):
    start(client, parcours)
    progress = Progress.objects.get()
    first, second, third = parcours.steps.all()
    assert mark(client, progress, first).status_code == 303
    mark(client, progress, first)  # a double click
    assert StepDone.objects.filter(progress=progress).count() == 1

    elsewhere = Client()  # another device: no cookie, only the link
    response = elsewhere.get(f"/parcours/commencer-ici/suivi/{progress.token}/")
    html = response.content.decode()
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    assert "1 étape faite sur 3" in html and 'value="1"' in html
    assert f'Étape suivante&nbsp;:</strong> <a href="#etape-{second.pk}"' in html
    assert "État&nbsp;: fait" in html and html.count("État&nbsp;: à reprendre") == 2

    mark(elsewhere, progress, second)
    mark(elsewhere, progress, first, "a-reprendre")
    html = client.get(f"/parcours/commencer-ici/suivi/{progress.token}/").content.decode()
    assert "1 étape faite sur 3" in html and f'href="#etape-{first.pk}"' in html


def test_a_step_from_pk_1000_on_keeps_its_anchor_ungrouped(client, parcours):
    """The step form's redirect ends in #etape-1234: the step's id and the "next step"
    link carry the same, not the grouped "1 234" Django prints for numbers."""
    step = StepFactory(pk=1234, parcours=parcours, position=0)
    start(client, parcours)
    progress = Progress.objects.get()
    response = mark(client, progress, step, "a-reprendre")
    assert response["Location"].endswith("#etape-1234")
    html = client.get(response["Location"]).content.decode()
    assert 'id="etape-1234"' in html and 'href="#etape-1234"' in html


def test_a_finished_parcours_shows_a_recap_and_what_to_do_next(client, parcours):
    start(client, parcours)
    progress = Progress.objects.get()
    for step in parcours.steps.all():
        mark(client, progress, step)

    html = client.get(progress.get_absolute_url()).content.decode()
    assert "Parcours terminé" in html and "3 étapes faites sur 3" in html
    assert "Étape suivante" not in html
    assert html.count("Expliquer ce qu’est une alliance.") >= 4  # the recap, then each step
    assert 'href="/parcours/"' in html and 'href="/kit/"' in html


def test_bad_progress_requests_get_french_answers_never_a_500(client, parcours):
    start(client, parcours)
    progress = Progress.objects.get()
    other_step = StepFactory()
    base = f"/parcours/commencer-ici/suivi/{progress.token}"
    assert client.get("/parcours/commencer-ici/suivi/inconnu/").status_code == 404
    assert client.get("/parcours/commencer-ici/suivi/%3Cscript%3E/").status_code == 404
    assert client.get(f"/parcours/autre-slug/suivi/{progress.token}/").status_code == 404
    assert mark(client, progress, other_step).status_code == 404
    assert client.get(f"{base}/etape/{other_step.pk}/").status_code == 405

    response = mark(client, progress, parcours.steps.first(), "peut-etre")
    assert response.status_code == 303
    assert (
        "Choisissez «\u00a0Fait\u00a0» ou «\u00a0À reprendre\u00a0»"
        in client.get(response["Location"].split("#")[0])
        .content.decode()
        .replace("&nbsp;", "\u00a0")
        or "Choisissez « Fait »" in client.get(response["Location"].split("#")[0]).content.decode()
    )
    assert not StepDone.objects.exists()


def test_the_link_is_sent_by_email_and_the_address_is_not_kept(client, parcours):
    start(client, parcours)
    progress = Progress.objects.get()
    url = f"/parcours/commencer-ici/suivi/{progress.token}/envoyer-le-lien/"

    response = client.post(url, {"email": "marie@example.org"})

    assert response.status_code == 303
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["marie@example.org"]
    assert (
        f"http://testserver/parcours/commencer-ici/suivi/{progress.token}/" in mail.outbox[0].body
    )
    page = client.get(progress.get_absolute_url()).content.decode()
    assert "Le lien de suivi vous a été envoyé par e-mail." in page
    with connection.cursor() as cursor:
        for table in ("kit_progress", "kit_stepdone"):
            cursor.execute(f"SELECT count(*) FROM {table} t WHERE t::text LIKE %s", ["%marie@%"])
            assert cursor.fetchone()[0] == 0


def test_a_bad_address_or_a_mail_server_down_gets_a_french_message(client, parcours):
    start(client, parcours)
    progress = Progress.objects.get()
    url = f"/parcours/commencer-ici/suivi/{progress.token}/envoyer-le-lien/"

    client.post(url, {"email": "pas-une-adresse"})
    page = client.get(progress.get_absolute_url()).content.decode()
    assert "Cette adresse e-mail n’est pas valide" in page and not mail.outbox

    with mock.patch("kit.views.mail_enqueue", side_effect=OSError("refusé")):
        client.post(url, {"email": "marie@example.org"})
    page = client.get(progress.get_absolute_url()).content.decode()
    assert "L’e-mail n’a pas pu être envoyé" in page and progress.token in page


def queries_of(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_parcours_pages_queries_do_not_grow_with_the_steps(client, parcours):
    start(client, parcours)
    progress = Progress.objects.get()
    mark(client, progress, parcours.steps.first())
    paths = ["/parcours/", "/parcours/commencer-ici/", progress.get_absolute_url(), "/"]
    few = [queries_of(client, path) for path in paths]
    for index in range(10):
        step = StepFactory(parcours=parcours, position=10 + index)
        mark(client, progress, step)
        ParcoursFactory()
    assert [queries_of(client, path) for path in paths] == few
    assert few[2] <= 6, few


def test_the_home_page_shows_the_start_here_parcours_and_follows_its_edits(
    client, parcours, django_capture_on_commit_callbacks
):
    html = client.get("/").content.decode()
    assert 'href="/parcours/commencer-ici/"' in html and "3 étapes" in html

    with django_capture_on_commit_callbacks(execute=True):
        parcours.title = "Par où commencer"
        parcours.save()
    assert "Par où commencer" in client.get("/").content.decode()  # the cached page is stale
    with django_capture_on_commit_callbacks(execute=True):
        StepFactory(parcours=parcours)
    assert "4 étapes" in client.get("/").content.decode()
