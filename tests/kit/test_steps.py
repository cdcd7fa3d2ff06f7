"""kit/steps.py's one statement against the simple way (the ORM and the Step model's
properties), state by state: every kind of step, resources published, in draft or due
later, steps done or not, a parcours without steps, and what must find nothing."""

import pytest
from django.urls import reverse

from kit.enums import PublicationStatus
from kit.models import Parcours, Progress, StepDone
from kit.steps import progress_page, steps_of
from tests.kit.factories import ParcoursFactory, StepFactory
from tests.resources.factories import ResourceFactory

COMPARED = ["pk", "kind", "display_title", "kind_label", "duration", "why", "outcome", "body"]
COMPARED += ["url", "link_url"]


@pytest.fixture
def progress(db):
    parcours = ParcoursFactory(slug="essai")
    StepFactory(parcours=parcours, position=3, resource=ResourceFactory(title="Un guide"))
    StepFactory(parcours=parcours, position=1, resource=ResourceFactory(case=True), title="Cas")
    StepFactory(parcours=parcours, position=2, resource=ResourceFactory(draft=True))
    StepFactory(parcours=parcours, position=2, resource=ResourceFactory(future=True))
    StepFactory(parcours=parcours, position=5, diagnostic=True, duration_minutes=None)
    StepFactory(parcours=parcours, position=4, text=True, body="Du **Markdown**.")
    StepFactory(parcours=parcours, position=6, link_url="https://exemple.fr/", duration_minutes=90)
    StepFactory()  # another parcours's
    progress = Progress.objects.create(parcours=parcours)
    for step in parcours.steps.all()[1:6:2]:
        StepDone.objects.create(progress=progress, step=step)
    return progress


def test_the_rows_are_the_steps_as_the_models_show_them(progress):
    page = progress_page(slug="essai", token=progress.token)

    parcours = Parcours.objects.with_totals().get(pk=progress.parcours_id)
    steps = list(parcours.steps.select_related("resource"))
    done = set(progress.done.values_list("step_id", flat=True))
    assert [[getattr(row, name) for name in COMPARED] for row in page.steps] == [
        [getattr(step, name) for name in COMPARED] for step in steps
    ]
    assert [row.done for row in page.steps] == [step.pk in done for step in steps]
    assert page.done_ids == done and len(done) == 3
    assert [row.mark_url for row in page.steps] == [
        reverse("kit:progress_step", args=["essai", progress.token, step.pk]) for step in steps
    ]
    assert page.url == progress.get_absolute_url()
    assert (page.pk, page.token) == (progress.pk, progress.token)
    head = page.parcours
    assert (head.pk, head.title, head.slug) == (parcours.pk, parcours.title, parcours.slug)
    assert head.total_duration == parcours.total_duration == "4\u00a0h"
    assert {row.url for row in page.steps} >= {"", "/diagnostic/"}

    public = steps_of(parcours.pk)  # the parcours page's: the same, none done, no form
    assert [[getattr(row, name) for name in COMPARED] for row in public] == [
        [getattr(row, name) for name in COMPARED] for row in page.steps
    ]
    assert not any(row.done or row.mark_url for row in public)


def test_a_parcours_without_steps_has_an_empty_page(db):
    progress = Progress.objects.create(parcours=ParcoursFactory(slug="vide"))

    page = progress_page(slug="vide", token=progress.token)

    assert page.steps == [] and page.done_ids == set()
    assert page.parcours.total_duration == "" == Parcours.objects.with_totals().get().total_duration
    assert steps_of(progress.parcours_id) == []


def test_nothing_is_found_for_another_parcours_or_a_draft_or_an_unknown_token(progress):
    other = ParcoursFactory(slug="autre")
    assert progress_page(slug="autre", token=progress.token) is None
    assert progress_page(slug="essai", token="inconnu") is None
    Progress.objects.create(parcours=other, token="jeton-de-l-autre")
    assert progress_page(slug="essai", token="jeton-de-l-autre") is None
    Parcours.objects.filter(slug="essai").update(status=PublicationStatus.REVIEW)
    assert progress_page(slug="essai", token=progress.token) is None


def test_the_progress_page_reads_one_query_whatever_its_steps(
    client, progress, django_assert_num_queries
):
    for index in range(10):
        StepFactory(parcours=progress.parcours, position=10 + index)
    with django_assert_num_queries(1):
        assert client.get(progress.get_absolute_url()).status_code == 200
