"""A visitor's place in a parcours, and durations in French (pure functions, no
database)."""

from dataclasses import dataclass

# A progress not changed for this long is deleted (kit/management/commands/purge_progress.py,
# daily in rameau_site/tasks.py); the progress page states it.
PROGRESS_RETENTION_DAYS = 365


def duration_label(minutes: int | None) -> str:
    """45 -> "45 min", 120 -> "2 h", 90 -> "1 h 30 min"; nothing for no duration."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}\u00a0min"
    return f"{hours}\u00a0h" + (f" {rest:02d}\u00a0min" if rest else "")


@dataclass(frozen=True)
class Standing:
    done: int
    total: int
    next_index: int | None  # the first step still to do, from 0

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def standing(step_ids: list[int], done_ids: set[int]) -> Standing:
    """Where a visitor stands among the steps (in their order) given those done."""
    done = sum(1 for pk in step_ids if pk in done_ids)
    next_index = next((i for i, pk in enumerate(step_ids) if pk not in done_ids), None)
    return Standing(done, len(step_ids), next_index)
