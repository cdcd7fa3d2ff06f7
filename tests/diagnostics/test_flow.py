"""Taking the diagnostic through its pages."""

import re

import pytest

from diagnostics.models import Answer, Response
from resources.french import french_spacing

pytestmark = pytest.mark.django_db


def test_start_leads_to_the_first_step_with_the_resume_link(taker, client):
    response = taker.start()
    assert response["Location"] == f"/diagnostic/{taker.token}/etape/1/"
    assert len(taker.token) >= 32  # 192 random bits, URL-safe
    page = client.get(taker.url(1))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Étape 1 sur 6" in html
    assert f"/diagnostic/{taker.token}/" in html  # the resume link
    assert "Précédent" not in html


def test_a_complete_diagnostic_shows_its_results(taker, client):
    final = taker.complete()
    assert final["Location"] == f"/diagnostic/{taker.token}/resultats/"
    response = taker.response
    assert response.is_complete and response.level == "structuration"
    assert response.commune.name == "Charenton-le-Pont" and response.region_id == "11"
    page = client.get(final["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Structuration" in html and "66,7 sur 100" in html
    assert response.axis_results.count() == 5


def test_a_postcode_or_an_ambiguous_name_lets_the_person_choose(taker, client):
    taker.start()
    ambiguous = taker.profile(query="saint denis")
    assert ambiguous.status_code == 200  # a question more (tests/diagnostics/test_follow_up)
    html = ambiguous.content.decode()
    assert "Précisez votre commune" in html and "Saint-Denis (La Réunion" in html
    assert taker.response.role == "elu" and taker.response.consent is True  # kept
    code = next(c.code for c in ambiguous.context["form"].candidates if c.departement_id == "93")
    chosen = taker.profile(query="saint denis", commune=code)
    assert chosen.status_code == 303
    assert taker.response.commune_id == "93066" and taker.response.size_band == "20000-et-plus"

    unknown = taker.profile(query="Zzyzx-sur-Mer")
    assert unknown.status_code == 400
    assert "Aucune commune ne correspond à «\u00a0Zzyzx-sur-Mer\u00a0»" in unknown.content.decode()
    assert taker.profile(query="94220").status_code == 303


def test_steps_cannot_be_skipped_and_results_need_every_step(taker, client):
    taker.start()
    skip = client.get(taker.url(4))
    assert skip.status_code == 302 and skip["Location"] == taker.url(1)
    early = client.get(f"/diagnostic/{taker.token}/resultats/")
    assert early.status_code == 302
    assert client.get(taker.url(7)).status_code == 404
    assert client.get(taker.url(10**20)).status_code == 404
    assert client.get("/diagnostic/jeton-inconnu/etape/1/").status_code == 404


def test_validation_errors_keep_the_other_answers_and_previous_saves(taker, client):
    taker.start()
    taker.profile()
    data = taker.axis_data(0, lambda q: 3)
    first = next(k for k in data if k.startswith("q"))
    del data[first]
    response = client.post(taker.url(2), data)
    assert response.status_code == 400
    assert "Répondez à cette question pour continuer." in response.content.decode()
    assert Answer.objects.filter(response=taker.response).count() == len(data) - 2

    assert taker.answer_axis(0, lambda q: 3).status_code == 303
    back = taker.answer_axis(1, lambda q: 1 if q.position < 2 else None, action="precedent")
    assert back.status_code == 303 and back["Location"] == taker.url(2)
    assert Answer.objects.filter(response=taker.response).count() == len(data) - 1 + 2


def test_a_forged_choice_or_another_version_is_a_form_error(taker, client):
    taker.start()
    taker.profile()
    data = taker.axis_data(0, lambda q: 2)
    name = next(k for k in data if k.startswith("q"))
    forged = client.post(taker.url(2), data | {name: "999999"})
    assert forged.status_code == 400
    assert "Sélectionnez un choix valide" in forged.content.decode()
    other_version = client.post(taker.url(2), data | {"version": "99"})
    assert other_version.status_code == 400
    assert "autre version du questionnaire" in other_version.content.decode()
    garbage = client.post(taker.url(2), data | {name: "x" * 5000, "version": "abc"})
    assert garbage.status_code == 400


def test_a_double_submitted_step_is_saved_once(taker, client):
    taker.start()
    taker.profile()
    data = taker.axis_data(0, lambda q: 2)
    for _ in range(2):
        assert client.post(taker.url(2), data).status_code == 303
    questions = len([k for k in data if k.startswith("q")])
    assert Answer.objects.filter(response=taker.response).count() == questions


def test_resuming_days_later_goes_back_to_the_first_unfinished_step(taker, client):
    taker.start()
    taker.profile()
    taker.answer_axis(0, lambda q: 2)
    resume = client.get(f"/diagnostic/{taker.token}/")
    assert resume.status_code == 302 and resume["Location"] == taker.url(3)
    page = client.get(taker.url(2))
    assert "checked" in page.content.decode()  # saved answers are shown


def test_branching_shows_the_follow_up_question_only_when_called_for(taker, client):
    taker.start()
    taker.profile()
    for index in range(3):
        taker.answer_axis(index, lambda q: 2)
    means = taker.axes[3]
    catalyst, follow_up = list(means.questions.all())[1:3]
    assert follow_up.condition_question_id == catalyst.pk

    no_catalyst = taker.axis_data(
        3, lambda q: 0 if q == catalyst else (None if q == follow_up else 2)
    )
    assert client.post(taker.url(5), no_catalyst).status_code == 303  # follow-up not asked
    page = client.get(taker.url(5)).content.decode()
    fieldset = page[: page.index(french_spacing(follow_up.text))]
    assert " hidden>" in fieldset[fieldset.rindex("<fieldset") :]  # not asked

    with_catalyst = taker.axis_data(
        3, lambda q: 3 if q == catalyst else (None if q == follow_up else 2)
    )
    appears = client.post(taker.url(5), with_catalyst)
    assert appears.status_code == 200  # the follow-up now shows (a notice, not an error)
    assert french_spacing(follow_up.text) in appears.content.decode()


def test_the_resume_link_is_sent_by_email_and_the_address_not_kept(taker, client, mailoutbox):
    taker.start()
    response = client.post(
        f"/diagnostic/{taker.token}/envoyer-le-lien/", {"email": "maire@example.org", "etape": "1"}
    )
    assert response.status_code == 303 and response["Location"] == taker.url(1)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["maire@example.org"]
    assert f"/diagnostic/{taker.token}/" in mailoutbox[0].body
    assert "maire@example.org" not in str(Response.objects.values().get(token=taker.token))
    bad = client.post(f"/diagnostic/{taker.token}/envoyer-le-lien/", {"email": "pas-une-adresse"})
    assert bad.status_code == 303 and len(mailoutbox) == 1


def test_starting_and_emailing_are_rate_limited_with_a_french_429(client, db, settings, mailoutbox):
    settings.DIAGNOSTIC_STARTS_PER_HOUR = "3"
    for _ in range(3):
        assert client.post("/diagnostic/").status_code == 303
    blocked = client.post("/diagnostic/")
    assert blocked.status_code == 429
    assert "Trop de demandes" in blocked.content.decode()
    assert Response.objects.count() == 3


def test_step_pages_are_each_visitors_own(db):
    """Two people at the same step each get their own token, CSRF token and answers."""
    from django.test import Client

    from tests.diagnostics.conftest import Taker

    people = []
    for points in (3, 1):
        client = Client(enforce_csrf_checks=True)
        taker = Taker(client)
        _start_with_csrf(client, taker)
        assert _post_with_csrf(client, taker.url(1), {
            "role": "elu", "commune_query": "Charenton-le-Pont", "consent": "oui",
            "action": "suivant",
        }).status_code == 303  # fmt: skip
        data = taker.axis_data(0, lambda question, p=points: p, action="precedent")
        assert _post_with_csrf(client, taker.url(2), data).status_code == 303
        people.append((client, taker, data))

    pages = [client.get(taker.url(2)).content.decode() for client, taker, _ in people]
    for (client, taker, data), html in zip(people, pages, strict=True):
        other = next(t for _, t, _ in people if t is not taker)
        assert taker.token in html and other.token not in html
        for name, choice in data.items():
            if name.startswith("q"):
                assert re.search(f'name="{name}" value="{choice}"[^>]* checked', html)
        assert html.count(" checked") == sum(1 for name in data if name.startswith("q"))
        # The CSRF token in the page is valid for this visitor.
        data_again = dict(data, action="suivant")
        assert _post_with_csrf(client, taker.url(2), data_again, html).status_code == 303


def _csrf_from(html: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def _post_with_csrf(client, url, data, html=None):
    html = html or client.get(url).content.decode()
    return client.post(url, data | {"csrfmiddlewaretoken": _csrf_from(html)})


def _start_with_csrf(client, taker):
    response = _post_with_csrf(
        client, "/diagnostic/", {}, client.get("/diagnostic/").content.decode()
    )
    assert response.status_code == 303
    taker.token = response["Location"].split("/")[2]
    return response


def test_an_empty_post_gets_the_form_errors_not_a_server_error(taker, client):
    taker.start()
    assert taker.profile().status_code == 303

    for step in (1, 2):
        page = client.post(taker.url(step), {})
        assert page.status_code == 400
        assert "à corriger" in page.content.decode()


@pytest.mark.parametrize("token", ["a%00b", "%C3%A9t%C3%A9", "x" * 65])
def test_a_token_that_cannot_be_one_is_a_404(client, token):
    for suffix in ("", "etape/2/", "resultats/", "resultats.json"):
        assert client.get(f"/diagnostic/{token}/{suffix}").status_code == 404


def test_the_resume_link_names_the_host_the_visitor_used(taker, client):
    taker.start()
    taker.profile()
    for port in (8001, 8002):
        page = client.get(taker.url(2), HTTP_HOST=f"localhost:{port}")
        assert f"http://localhost:{port}/diagnostic/{taker.token}/" in page.content.decode()


def test_steps_cannot_be_skipped_by_post_either(taker, client):
    taker.start()
    taker.profile()
    skipped = taker.answer_axis(2, lambda q: 3)  # axis 3 posted to step 4, steps 2-3 empty
    assert skipped.status_code == 303 and skipped["Location"] == taker.url(2)
    assert not Answer.objects.filter(response=taker.response).exists()
    early = taker.answer_axis(2, lambda q: 3, action="precedent")
    assert early.status_code == 303 and early["Location"] == taker.url(2)
    assert not Answer.objects.filter(response=taker.response).exists()
    assert "étapes se suivent" in client.get(taker.url(2)).content.decode()


def test_suivant_reads_last_in_the_button_row_on_every_step(taker, client):
    import re

    taker.start()
    taker.profile()
    for index in range(len(taker.axes)):
        taker.answer_axis(index, lambda q: 2, action="precedent")
    rows = {}
    for step in range(1, len(taker.axes) + 2):
        html = client.get(taker.url(step)).content.decode()
        row = html[html.index('class="step-actions"') :]
        row = row[: row.index("</div>")]
        # The visible buttons, in reading order (a hidden default one has no label to read).
        rows[step] = re.findall(r"<button(?![^>]*\bhidden\b)[^>]*>([^<]+)</button>", row)
    assert rows[1] == ["Suivant"]
    for step in range(2, len(taker.axes) + 1):
        assert rows[step] == ["Précédent", "Suivant"], rows
    assert rows[len(taker.axes) + 1] == ["Précédent", "Voir mes résultats"]


def test_a_refused_smtp_connection_says_so_in_french_and_keeps_the_link(
    taker, client, settings, caplog
):
    import socket

    with socket.socket() as probe:  # a local port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    taker.start()
    taker.profile()
    sent = client.post(
        f"/diagnostic/{taker.token}/envoyer-le-lien/", {"email": "maire@example.org", "etape": "2"}
    )
    assert sent.status_code == 303 and sent["Location"] == taker.url(2)
    html = client.get(sent["Location"]).content.decode()
    assert "n’a pas pu être envoyé" in html
    message = html[html.index("n’a pas pu être envoyé") :][:600]
    assert f"/diagnostic/{taker.token}/" in message  # the link, on screen with the message
    assert any(
        record.levelname == "ERROR" and "lien de reprise" in record.getMessage()
        for record in caplog.records
    )


def test_a_step_shows_the_answers_saved_since_its_last_visit(taker, client):
    """The questions' fragment is kept per frozen version, axis and ticked answers: a
    changed answer is never shown from an earlier copy."""
    taker.start()
    taker.profile()
    first = client.get(taker.url(2)).content.decode()
    assert " checked" not in first.split('class="step-form"')[1].split("</form>")[0]
    data = taker.axis_data(0, lambda question: 3, action="precedent")
    assert client.post(taker.url(2), data).status_code == 303
    again = client.get(taker.url(2)).content.decode()
    for name, choice in data.items():
        if name.startswith("q"):
            assert re.search(f'name="{name}" value="{choice}"[^>]* checked', again)
    changed = taker.axis_data(0, lambda question: 1, action="precedent")
    assert client.post(taker.url(2), changed).status_code == 303
    last = client.get(taker.url(2)).content.decode()
    for name, choice in changed.items():
        if name.startswith("q"):
            assert re.search(f'name="{name}" value="{choice}"[^>]* checked', last)


def test_a_nul_character_in_the_commune_field_is_dropped_not_a_server_error(taker):
    """Found by test_hostile_input's fuzzing: PostgreSQL refuses NUL in text."""
    taker.start()
    response = taker.profile(query="Charenton\x00-le-Pont")
    assert response.status_code in (200, 303, 400)


def test_a_step_page_takes_the_same_queries_whatever_was_answered(taker, django_assert_num_queries):
    """The response and its saved answers in one query (with_saved_answers); the
    frozen questionnaire is kept by the process. A visitor without a session cookie
    (most of them) costs just that query."""
    from django.test import Client

    taker.start()
    assert taker.profile().status_code == 303
    last = len(taker.axes) + 1
    fresh = Client()
    fresh.get(taker.url(2))  # the questionnaire's structure is then kept
    with django_assert_num_queries(1):
        assert fresh.get(taker.url(2)).status_code == 200
    for index in range(len(taker.axes) - 1):
        assert taker.answer_axis(index, lambda q: 2).status_code == 303
    with django_assert_num_queries(1):
        assert fresh.get(taker.url(last)).status_code == 200
