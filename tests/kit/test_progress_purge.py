"""Progresses not changed for PROGRESS_RETENTION_DAYS are purged daily, as the progress
page says."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from kit.models import Progress, StepDone
from kit.progress import PROGRESS_RETENTION_DAYS
from kit.services import progress_mark
from tests.kit.factories import ParcoursFactory, StepFactory


def aged(progress: Progress, days: int) -> None:
    then = timezone.now() - datetime.timedelta(days=days)
    Progress.objects.filter(pk=progress.pk).update(updated_at=then, created_at=then)


@pytest.fixture
def parcours(db):
    parcours = ParcoursFactory(slug="essai")
    StepFactory(parcours=parcours, position=1, text=True, title="Lire")
    return parcours


def test_the_purge_deletes_only_progresses_unchanged_past_the_delay(parcours):
    old = Progress.objects.create(parcours=parcours)
    progress_mark(progress=old, step=parcours.steps.get(), done=True)
    aged(old, PROGRESS_RETENTION_DAYS + 1)
    recent = Progress.objects.create(parcours=parcours)
    aged(recent, PROGRESS_RETENTION_DAYS - 1)
    fresh = Progress.objects.create(parcours=parcours)

    from rameau_site.tasks import progress_purge

    assert progress_purge(timestamp=0).startswith("1 progression")
    assert set(Progress.objects.values_list("pk", flat=True)) == {recent.pk, fresh.pk}
    assert not StepDone.objects.filter(progress_id=old.pk).exists()


def test_marking_a_step_keeps_an_old_progress(parcours):
    progress = Progress.objects.create(parcours=parcours)
    aged(progress, PROGRESS_RETENTION_DAYS + 1)
    progress_mark(progress=progress, step=parcours.steps.get(), done=True)
    call_command("purge_progress")
    assert Progress.objects.filter(pk=progress.pk).exists()


def test_the_command_takes_another_delay(parcours):
    progress = Progress.objects.create(parcours=parcours)
    aged(progress, 10)
    call_command("purge_progress", "--jours", "30")
    assert Progress.objects.filter(pk=progress.pk).exists()
    call_command("purge_progress", "--jours", "5")
    assert not Progress.objects.filter(pk=progress.pk).exists()


def test_the_purge_is_scheduled_daily():
    from procrastinate.contrib.django import app

    app.perform_import_paths()
    schedule = {p.task.name: p.cron for p in app.periodic_registry.periodic_tasks.values()}
    assert schedule["progress_purge"] == "45 1 * * *"


def test_the_progress_page_states_what_is_kept_and_for_how_long(client, parcours):
    progress = Progress.objects.create(parcours=parcours)
    html = client.get(progress.get_absolute_url()).content.decode()
    line = re.search(r'<p id="conservation">(.*?)</p>', html, re.S).group(1)
    assert f"{PROGRESS_RETENTION_DAYS}&nbsp;jours sans modification est supprimée" in line
    assert "étapes faites" in line and "sans nom ni compte" in line
