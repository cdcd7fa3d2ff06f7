"""The ODD compass: the 17 Sustainable Development Goals, each with the published
resources and cases staff tagged with it."""

from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from rameau_site.caching import LIBRARY_PAGES
from resources.cards import cards_of
from resources.enums import Kind, Status
from resources.goals import Goal
from resources.models import Resource

PAGE_SIZE = 20
PARTNERSHIPS = Goal.G17

COUNTS_SQL = """
SELECT goal, count(*) FROM {table}, unnest(goals) AS goal
WHERE status = %(published)s AND published_at <= %(now)s GROUP BY goal
"""


def goal_counts() -> dict[int, int]:
    """How many published resources and cases each goal has (one query)."""
    sql = COUNTS_SQL.format(table=connection.ops.quote_name(Resource._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, {"published": Status.PUBLISHED, "now": timezone.now()})
        return dict(cursor.fetchall())


def goal_entries(counts: dict[int, int]) -> list[dict]:
    return [
        {
            "number": goal.value,
            "name": goal.label,
            "count": counts.get(goal.value, 0),
            "url": reverse("resources:goal", args=[goal.value]),
        }
        for goal in Goal
    ]


@require_safe
@LIBRARY_PAGES
def goal_list(request):
    goals = goal_entries(goal_counts())
    context = {
        "goals": goals,
        "partnerships": goals[PARTNERSHIPS - 1],
        "breadcrumbs": [("Boussole des ODD", None)],
    }
    return render(request, "resources/goal_list.html", context)


@require_safe
@LIBRARY_PAGES
def goal_detail(request, number):
    if number not in Goal.values:
        raise Http404("Objectif inconnu")
    goal = Goal(number)
    ids = (
        Resource.objects.published()
        .filter(goals__contains=[number])
        .order_by("-published_at", "pk")
        .values_list("pk", flat=True)
    )
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = cards_of(list(page.object_list))
    context = {
        "goal": goal,
        "number": number,
        "page": page,
        "resources": [card for card in cards if card.kind != Kind.CASE],
        "cases": [card for card in cards if card.kind == Kind.CASE],
        "is_partnerships": number == PARTNERSHIPS,
        "breadcrumbs": [
            ("Boussole des ODD", reverse("resources:goals")),
            (f"ODD\u00a0{number}", None),
        ],
    }
    return render(request, "resources/goal_detail.html", context)
