"""The editorial workflow's rules (pure functions, no database): which status changes
exist and which need the right to publish."""

from resources.enums import Status

PUBLISH_PERMISSION = "resources.publish_resource"

# (from, to) -> needs the right to publish
TRANSITIONS: dict[tuple[str, str], bool] = {
    (Status.DRAFT, Status.REVIEW): False,
    (Status.REVIEW, Status.DRAFT): False,
    (Status.DRAFT, Status.PUBLISHED): True,
    (Status.REVIEW, Status.PUBLISHED): True,
    (Status.PUBLISHED, Status.DRAFT): True,
    (Status.PUBLISHED, Status.ARCHIVED): True,
    (Status.DRAFT, Status.ARCHIVED): True,
    (Status.REVIEW, Status.ARCHIVED): True,
    (Status.ARCHIVED, Status.DRAFT): True,
    (Status.ARCHIVED, Status.PUBLISHED): True,
}
# What a new resource may start as.
INITIAL = {Status.DRAFT: False, Status.REVIEW: False, Status.PUBLISHED: True}


class TransitionRefused(Exception):
    pass


def transition_check(current: str | None, target: str, *, can_publish: bool) -> None:
    """Raise TransitionRefused, with a message for the person, unless `current` ->
    `target` is allowed (`current` is None for a new resource)."""
    if current == target:
        return
    needs_publish = INITIAL.get(target) if current is None else TRANSITIONS.get((current, target))
    if needs_publish is None:
        labels = dict(Status.choices)
        raise TransitionRefused(
            f"Passer de « {labels.get(current, 'nouvelle')} » à « {labels[target]} » "
            "n’est pas prévu."
        )
    if needs_publish and not can_publish:
        raise TransitionRefused(
            "Seul un administrateur peut publier, dépublier ou archiver une ressource."
        )


def allowed_statuses(current: str | None, *, can_publish: bool) -> list[str]:
    """The statuses a person may choose from `current` (itself included)."""
    allowed = []
    for status in Status.values:
        try:
            transition_check(current, status, can_publish=can_publish)
        except TransitionRefused:
            continue
        allowed.append(status)
    return allowed
