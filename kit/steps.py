"""A visitor's progress page as plain objects: the progress, its parcours and the steps
with their state, read in one query (the rules of a step's title, label and link are
also those of the Step model, which uses the functions below).

Measured on generate_kit_data's progress page (10 steps, bench database, in-process CPU
of one GET, /work/notes/cpu_page.py, best of 5 x 30): the ORM's four queries (the
progress, the parcours with its totals, the prefetched steps and their resources, the
steps done) took about 4 ms of CPU to build, run and turn into objects; this statement
0.2 ms. The whole page went from 9.5-10.6 ms of CPU to 3.1-3.9 ms (floor /_bench/plancher/
1.4 ms in the same runs, old and new code interleaved), the same HTML (compared with the
CSRF tokens and the CSP nonce normalised). tests/kit/test_steps.py compares its rows
with the model's, state by state."""

from dataclasses import dataclass

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kit.enums import PublicationStatus, StepKind
from kit.progress import duration_label
from resources.enums import Kind, Status

STEP_KIND_LABELS = dict(StepKind.choices)
DIAGNOSTIC_TITLE = "Faire l’autodiagnostic de maturité"


def step_title(kind: str, title: str, resource_title: str | None) -> str:
    """Staff's title, else the diagnostic's or the resource's."""
    if title:
        return title
    if kind == StepKind.DIAGNOSTIC:
        return DIAGNOSTIC_TITLE
    return resource_title or ""


def step_kind_label(kind: str, resource_kind: str | None) -> str:
    """A resource step on a case is labelled as a case."""
    if resource_kind == Kind.CASE:
        return StepKind.CASE.label
    return STEP_KIND_LABELS.get(kind, kind)


@dataclass(frozen=True, slots=True)
class StepRow:
    """A step as templates/kit/includes/steps.jinja reads it (the Step model's names)."""

    pk: int
    kind: str
    display_title: str
    kind_label: str
    duration_minutes: int | None
    why: str
    outcome: str
    body: str
    url: str  # where it is done on this site, "" if nowhere (see Step.url)
    link_url: str
    done: bool
    mark_url: str  # where its form posts (kit:progress_step)

    @property
    def duration(self) -> str:
        return duration_label(self.duration_minutes)


@dataclass(frozen=True)
class ParcoursHead:
    pk: int
    title: str
    slug: str
    total_minutes: int | None

    @property
    def total_duration(self) -> str:
        return duration_label(self.total_minutes)


@dataclass(frozen=True)
class ProgressPage:
    pk: int
    token: str
    url: str  # the progress page's path
    parcours: ParcoursHead
    steps: list[StepRow]

    @property
    def done_ids(self) -> set[int]:
        return {step.pk for step in self.steps if step.done}


# A step's columns: its resource is linked if published (Resource.published()).
STEP_COLUMNS = """
       s.id, s.kind, s.title, s.why, s.outcome, s.body, s.link_url, s.duration_minutes,
       r.title, r.slug, r.kind,
       coalesce(r.status = %(published)s AND r.published_at <= %(now)s, false)"""
# One row per step (one with no step for a parcours without any), in the steps' order
# (Step.Meta.ordering).
PROGRESS_SQL = f"""
SELECT pr.id, pa.id, pa.title, {STEP_COLUMNS}, d.id IS NOT NULL
FROM kit_progress pr
JOIN kit_parcours pa ON pa.id = pr.parcours_id
LEFT JOIN kit_step s ON s.parcours_id = pa.id
LEFT JOIN resources_resource r ON r.id = s.resource_id
LEFT JOIN kit_stepdone d ON d.progress_id = pr.id AND d.step_id = s.id
WHERE pr.token = %(token)s AND pa.slug = %(slug)s AND pa.status = %(status)s
ORDER BY s.position, s.id
"""
STEPS_SQL = f"""
SELECT {STEP_COLUMNS}, false
FROM kit_step s
LEFT JOIN resources_resource r ON r.id = s.resource_id
WHERE s.parcours_id = %(parcours)s
ORDER BY s.position, s.id
"""


class StepLinks:
    """The addresses of a page's steps, from prefixes reversed once for the page rather
    than step by step (tests/kit/test_steps.py checks them against reverse())."""

    def __init__(self, progress_url: str = ""):
        self.progress_url = progress_url
        self.resources_url = reverse("resources:list")  # a resource's is ressources/<slug>/
        self.diagnostic_url = reverse("diagnostics:index")

    def row(self, columns: tuple) -> StepRow:
        (pk, kind, title, why, outcome, body, link_url, minutes, resource_title,
         resource_slug, resource_kind, live, done) = columns  # fmt: skip
        if kind == StepKind.DIAGNOSTIC:
            url = self.diagnostic_url
        else:
            url = f"{self.resources_url}{resource_slug}/" if live else ""
        return StepRow(
            pk=pk,
            kind=kind,
            display_title=step_title(kind, title, resource_title),
            kind_label=step_kind_label(kind, resource_kind),
            duration_minutes=minutes,
            why=why,
            outcome=outcome,
            body=body,
            url=url,
            link_url=link_url,
            done=done,
            mark_url=f"{self.progress_url}etape/{pk}/" if self.progress_url else "",
        )


def published_params() -> dict:
    return {"published": Status.PUBLISHED, "now": timezone.now()}


def steps_of(parcours_id: int) -> list[StepRow]:
    """A parcours's steps, none done (its public page and its preview). One query, in
    place of the prefetched models: the parcours page from 9.3-10.7 to 5.0-6.3 ms of CPU
    (cpu_page.py, bench database, old and new code interleaved, floor 1.1-2.1 ms)."""
    with connection.cursor() as cursor:
        cursor.execute(STEPS_SQL, {"parcours": parcours_id} | published_params())
        rows = cursor.fetchall()
    links = StepLinks()
    return [links.row(columns) for columns in rows]


def progress_page(*, slug: str, token: str) -> ProgressPage | None:
    """The progress under `token` in the published parcours `slug`, or None. One query."""
    params = {"token": token, "slug": slug, "status": PublicationStatus.PUBLISHED}
    with connection.cursor() as cursor:
        cursor.execute(PROGRESS_SQL, params | published_params())
        rows = cursor.fetchall()
    if not rows:
        return None
    progress_url = reverse("kit:progress", args=[slug, token])
    links = StepLinks(progress_url)
    steps = [links.row(row[3:]) for row in rows if row[3] is not None]
    progress_pk, parcours_pk, parcours_title = rows[0][:3]
    minutes = [step.duration_minutes for step in steps if step.duration_minutes is not None]
    parcours = ParcoursHead(parcours_pk, parcours_title, slug, sum(minutes) if minutes else None)
    return ProgressPage(progress_pk, token, progress_url, parcours, steps)
