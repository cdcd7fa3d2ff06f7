"""Writes of a visitor's progress: each is safe to repeat (a double click, a form sent
twice, two tabs) and stores one row."""

from django.db import IntegrityError, transaction

from kit.models import Parcours, Progress, Step, StepDone, new_token


def progress_start(*, parcours: Parcours, token: str) -> Progress:
    """The progress of the start form carrying `token`: created once, however many
    times the form is sent. A token already used for another parcours gets a new one."""
    try:
        with transaction.atomic():
            progress, _created = Progress.objects.get_or_create(token=token, parcours=parcours)
    except IntegrityError:
        progress = Progress.objects.create(token=new_token(), parcours=parcours)
    return progress


@transaction.atomic
def progress_mark(*, progress: Progress, step: Step, done: bool) -> None:
    """Mark a step done ("fait") or to do again ("à reprendre")."""
    if done:
        StepDone.objects.bulk_create(
            [StepDone(progress=progress, step=step)], ignore_conflicts=True
        )
    else:
        StepDone.objects.filter(progress=progress, step=step).delete()
    progress.save(update_fields=["updated_at"])


def progress_purge(*, older_than) -> int:
    """Delete the progresses not changed since `older_than` (their steps done go with
    them); how many progresses."""
    _total, by_model = Progress.objects.filter(updated_at__lt=older_than).delete()
    return by_model.get(Progress._meta.label, 0)
