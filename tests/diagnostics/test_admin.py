"""Staff and the questionnaire: frozen versions, new versions, anonymised export."""

import pytest

from diagnostics.enums import QuestionnaireStatus
from diagnostics.models import Question, Questionnaire
from tests.diagnostics.conftest import Taker

pytestmark = pytest.mark.ignore_template_errors  # Django's own admin templates


def test_a_version_in_service_is_frozen_and_copied_into_a_new_draft(administrator_client, db):
    current = Questionnaire.objects.get(status=QuestionnaireStatus.PUBLISHED)
    question = Question.objects.filter(axis__questionnaire=current).first()
    page = administrator_client.get(f"/admin/diagnostics/question/{question.pk}/change/")
    assert page.status_code == 200 and 'name="text"' not in page.content.decode()  # read-only
    forged = administrator_client.post(
        f"/admin/diagnostics/question/{question.pk}/change/", {"text": "Modifiée ?"}
    )
    assert forged.status_code == 403
    question.refresh_from_db()
    assert question.text != "Modifiée ?"

    administrator_client.post(
        "/admin/diagnostics/questionnaire/",
        {"action": "new_version", "_selected_action": [current.pk]},
    )
    draft = Questionnaire.objects.get(version=current.version + 1)
    assert draft.status == QuestionnaireStatus.DRAFT
    copied = Question.objects.filter(axis__questionnaire=draft)
    assert copied.count() == Question.objects.filter(axis__questionnaire=current).count()
    follow_up = copied.get(condition_question__isnull=False, axis__code="moyens")
    assert follow_up.condition_question.axis.questionnaire == draft
    editable = administrator_client.get(f"/admin/diagnostics/question/{follow_up.pk}/change/")
    assert 'name="text"' in editable.content.decode()


def test_the_response_export_is_anonymised(administrator_client, client, db):
    taker = Taker(client)
    taker.complete()
    export = administrator_client.post(
        "/admin/diagnostics/response/export/",
        {"format": "0", "resource": "0", **{f"responseexport_{f}": "on" for f in [
            "version", "month", "role", "region", "size_band", "consent", "overall", "level"]}},
    )  # fmt: skip
    assert export.status_code == 200, export.content.decode()[:1000]
    content = export.content.decode("utf-8-sig")
    assert "structuration" in content and "11" in content
    assert taker.token not in content and "Charenton" not in content


def test_an_editor_cannot_read_responses(editor_client, db):
    assert editor_client.get("/admin/diagnostics/response/").status_code == 403
    assert editor_client.get("/admin/diagnostics/recommendation/").status_code == 200


def test_editors_keep_the_action_catalogue_and_roadmaps_are_read_only(
    administrator_client, editor_client, client, db
):
    from diagnostics.models import Action
    from diagnostics.services import roadmap_get_or_create

    Action.objects.create(title="Réunir les acteurs", why="w", first_step="f", axis_code="vision")
    listing = editor_client.get("/admin/diagnostics/action/?axis_code=vision&q=acteurs")
    assert listing.status_code == 200 and "Réunir les acteurs" in listing.content.decode()
    assert editor_client.get("/admin/diagnostics/roadmap/").status_code == 403

    taker = Taker(client)
    taker.complete()
    roadmap = roadmap_get_or_create(response=taker.response, scores={})
    page = administrator_client.get(f"/admin/diagnostics/roadmap/{roadmap.pk}/change/")
    content = page.content.decode()
    assert page.status_code == 200 and "Une personne" in content
    assert taker.token not in content and 'name="targets"' not in content
    assert (
        administrator_client.post(
            f"/admin/diagnostics/roadmap/{roadmap.pk}/change/", {"targets": "{}"}
        ).status_code
        == 403
    )
