"""The roadmap pages ("feuille de route": bilan, cible, trajectoire) of a person's
completed diagnostic (under its token) and of a shared diagnostic (under the
organiser's token), and their .ics of target months."""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from diagnostics import ics, recommendations, selectors, synthesis
from diagnostics.forms import RoadmapForm
from diagnostics.models import Campaign
from diagnostics.services import (
    MAX_ROADMAP_ACTIONS,
    RoadmapFrozen,
    next_level,
    roadmap_freeze,
    roadmap_get_or_create,
    roadmap_save,
    suggested_actions,
)
from diagnostics.views import TOKEN_RE, erased_aware, get_response, noindex, see_other
from resources.enums import Level
from resources.french import french_spacing

SUGGESTIONS_SHOWN = 5
FROZEN = "Cette feuille de route est figée : elle ne peut plus être modifiée."


@dataclass
class Owner:
    """Whose roadmap a page shows: a person's diagnostic or a shared diagnostic."""

    key: dict  # {"response": ...} or {"campaign": ...}
    name: str
    rows: list[dict]  # the bilan: code, name, score, level, level_label
    points: dict[int, int]  # weak points for the suggestions
    url: str
    ics_url: str
    back_url: str
    back_label: str
    is_group: bool = False
    previous: dict | None = None  # the redone diagnostic's roadmap (targets, dates)
    extra: dict = field(default_factory=dict)

    def scores(self) -> dict:
        return {r["code"]: Decimal(str(r["score"])) if r["score"] is not None else None
                for r in self.rows}  # fmt: skip


def person_owner(token) -> Owner | None:
    response = get_response(token, "commune")
    if not response.is_complete:
        return None
    rows, points = selectors.person_bilan(response)
    return Owner(
        key={"response": response}, name="Votre feuille de route", rows=rows, points=points,
        url=reverse("diagnostics:roadmap", args=[token]),
        ics_url=reverse("diagnostics:roadmap_ics", args=[token]),
        back_url=reverse("diagnostics:results", args=[token]),
        back_label="Retour à vos résultats", previous=selectors.previous_targets(response),
        extra={"response": response},
    )  # fmt: skip


def group_owner(token) -> Owner | None:
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    campaign = get_object_or_404(
        Campaign.objects.by_organiser(token).select_related("questionnaire")
    )
    if campaign.completed_count < synthesis.MIN_SHOWN:
        return None
    rows, points = selectors.group_bilan(campaign)
    return Owner(
        key={"campaign": campaign}, name=french_spacing(f"Feuille de route : {campaign.name}"),
        rows=rows, points=points, url=reverse("diagnostics:campaign_roadmap", args=[token]),
        ics_url=reverse("diagnostics:campaign_roadmap_ics", args=[token]),
        back_url=campaign.get_absolute_url(), back_label="Retour à la page d’organisateur",
        is_group=True, extra={"campaign": campaign, "participants": campaign.completed_count},
    )  # fmt: skip


@noindex
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@erased_aware
def roadmap(request, token):
    owner = person_owner(token)
    if owner is None:
        messages.warning(
            request,
            french_spacing(
                "Terminez d’abord le diagnostic : la feuille de route part de ses résultats."
            ),
        )
        return redirect("diagnostics:resume", token=token)
    return roadmap_page(request, owner)


@noindex
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@erased_aware
def campaign_roadmap(request, token):
    owner = group_owner(token)
    if owner is None:
        messages.warning(
            request,
            f"La feuille de route du groupe s’ouvre quand au moins {synthesis.MIN_SHOWN} "
            "participants ont terminé.",
        )
        return redirect("diagnostics:campaign", token=token)
    return roadmap_page(request, owner)


def roadmap_page(request, owner: Owner):
    roadmap = selectors.roadmap_of(**owner.key)
    catalogue = selectors.action_catalogue()
    actions = suggested_actions(
        catalogue, weak_points=owner.points, weak_axes=selectors.weak_axes(owner.rows)
    )
    if roadmap is not None and roadmap.is_frozen:
        if request.method == "POST":
            messages.error(request, french_spacing(FROZEN))
            return see_other(owner.url)
        return render_roadmap(request, owner, roadmap, catalogue, None, actions)
    form = RoadmapForm(
        request.POST if request.method == "POST" else None, bilan=owner.rows, actions=actions,
        levels=Level.choices, slots=MAX_ROADMAP_ACTIONS, suggested=SUGGESTIONS_SHOWN,
        initial=initial_of(owner, roadmap),
    )  # fmt: skip
    if request.method == "POST":
        freeze = request.POST.get("action") == "figer"
        if form.is_valid() and freeze and not form.cleaned_data["confirm_freeze"]:
            form.add_error("confirm_freeze", "Cochez la case pour confirmer avant de figer.")
        if form.is_valid():
            return roadmap_post(request, owner, form, freeze)
    return render_roadmap(request, owner, roadmap, catalogue, form, actions)


def initial_of(owner: Owner, roadmap) -> dict:
    if roadmap is not None:
        return RoadmapForm.initial_from(roadmap.targets, roadmap.items.all())
    return RoadmapForm.initial_from({r["code"]: next_level(r["level"]) for r in owner.rows}, [])


def roadmap_post(request, owner: Owner, form: RoadmapForm, freeze: bool):
    saved = roadmap_get_or_create(**owner.key, scores=owner.scores())
    try:
        roadmap_save(roadmap=saved, targets=form.targets(), items=form.items())
    except RoadmapFrozen:
        messages.error(request, french_spacing(FROZEN))
        return see_other(owner.url)
    if freeze:
        roadmap_freeze(roadmap=saved)
        messages.success(request, "La feuille de route est enregistrée et figée.")
    else:
        messages.success(
            request, "La feuille de route est enregistrée. Vous pouvez la modifier à tout moment."
        )
    return see_other(owner.url)


def render_roadmap(request, owner, roadmap, catalogue, form, actions):
    items = list(roadmap.items.all()) if roadmap else []
    previous = owner.previous or {}
    context = owner.extra | {
        "owner": owner,
        "roadmap": roadmap,
        "form": form,
        "error_entries": form.summary() if form is not None and form.is_bound else [],
        "suggestions": actions[:SUGGESTIONS_SHOWN],
        "catalogue_size": len(actions),
        "rows": with_targets(owner.rows, roadmap.targets if roadmap else {}),
        "chosen": chosen_actions(items, catalogue),
        "has_months": any(i.target_month for i in items),
        "reached": selectors.targets_reached(previous.get("targets", {}), owner.rows),
        "previous_roadmap_date": previous.get("frozen_at") or previous.get("created_at"),
        "slots": MAX_ROADMAP_ACTIONS,
        # The parcours staff tied to the weakest axes, as on the results page.
        "parcours": recommendations.parcours_suggested(selectors.weak_axes(owner.rows)),
        "absolute_url": request.build_absolute_uri(owner.url),
    }
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "diagnostics/roadmap.html", context, status=status)


def with_targets(rows: list[dict], targets: dict) -> list[dict]:
    labels = dict(Level.choices)
    return [row | {"target": labels.get(targets.get(row["code"]), "")} for row in rows]


def chosen_actions(items, catalogue) -> list[dict]:
    """The saved actions, a catalogue action with its published resources (already
    read with the catalogue: no query per action)."""
    by_pk = {a.pk: a for a in catalogue}
    return [
        {"item": item, "action": by_pk.get(item.action_id, item.action),
         "resources": by_pk[item.action_id].resources.all() if item.action_id in by_pk else []}
        for item in items
    ]  # fmt: skip


@noindex
@never_cache
@require_safe
@erased_aware
def roadmap_ics(request, token):
    owner = person_owner(token)
    return calendar_response(request, owner)


@noindex
@never_cache
@require_safe
@erased_aware
def campaign_roadmap_ics(request, token):
    owner = group_owner(token)
    return calendar_response(request, owner)


def calendar_response(request, owner: Owner | None) -> HttpResponse:
    roadmap = selectors.roadmap_of(**owner.key) if owner is not None else None
    if roadmap is None:
        raise Http404
    host = request.get_host().split(":")[0]
    events = []
    for item in roadmap.items.all():
        if not item.target_month:
            continue
        title = item.title or item.action.title
        ref = item.action_id or hashlib.sha256(item.title.casefold().encode()).hexdigest()[:16]
        lines = [f"Porteur : {item.owner}" if item.owner else ""]
        if item.action_id:
            lines.append(f"Premier pas : {item.action.first_step}")
        lines.append(
            f"{owner.name} ({'diagnostic partagé' if owner.is_group else 'autodiagnostic'})"
        )
        events.append(ics.Event(
            uid=f"feuille-de-route-{roadmap.pk}-{ref}@{host}", day=item.target_month,
            summary=title, description="\n".join(line for line in lines if line),
        ))  # fmt: skip
    text = ics.calendar(events, name=owner.name, stamp=timezone.now().astimezone(UTC))
    response = HttpResponse(text.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="feuille-de-route.ics"'
    return response
