import logging
import re
import secrets
import smtplib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from diagnostics import charts, recommendations, statistics
from diagnostics.forms import AxisStepForm, EmailLinkForm, ProfileForm
from diagnostics.models import Response
from diagnostics.scoring import weakest_questions
from diagnostics.services import (
    answers_save,
    current_questionnaire,
    profile_save,
    response_complete,
    response_start,
)
from diagnostics.steps import (
    Progress,
    questionnaire_document,
    questionnaire_of,
    questionnaire_parts,
    questionnaire_structure,
)
from resources.enums import Level

logger = logging.getLogger(__name__)

PREVIOUS, NEXT = "precedent", "suivant"
WEAK_QUESTIONS = 3


def noindex(view):
    """A person's own pages (behind their token) stay out of search engines, whatever
    robots.txt says (a link to them elsewhere could otherwise get them indexed)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def starts_rate(group, request):
    return f"{settings.DIAGNOSTIC_STARTS_PER_HOUR}/h"


def emails_rate(group, request):
    return f"{settings.DIAGNOSTIC_EMAILS_PER_HOUR}/h"


def see_other(url) -> HttpResponseRedirect:
    """303 after a POST: the browser then GETs the target."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# Tokens are URL-safe base64 (secrets.token_urlsafe); anything else cannot be one.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def get_response(token, *related) -> Response:
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    return get_object_or_404(
        Response.objects.select_related("questionnaire", *related), token=token
    )


def step_url(response, number) -> str:
    return reverse("diagnostics:step", args=[response.token, number])


def step_urls(request, token: str) -> dict[str, str]:
    return {
        "resume_url": request.build_absolute_uri(reverse("diagnostics:resume", args=[token])),
        "send_link_url": reverse("diagnostics:send_link", args=[token]),
    }


def index(request):
    if request.method == "POST":
        return start(request)
    questionnaire = current_questionnaire()
    axes = questionnaire_structure(questionnaire)
    return render(
        request,
        "diagnostics/index.html",
        {"questionnaire": questionnaire, "axes": axes,
         "question_count": sum(len(a.questions.all()) for a in axes),
         "retention_days": settings.DIAGNOSTIC_INCOMPLETE_RETENTION_DAYS},
    )  # fmt: skip


@ratelimit(key="ip", rate=starts_rate, method="POST", block=True)
def start(request):
    response = response_start()
    return see_other(step_url(response, 1))


@noindex
@require_safe
def resume(request, token):
    response = get_response(token)
    if response.is_complete:
        return redirect("diagnostics:results", token=token)
    progress = Progress.load(response)
    return redirect(step_url(response, progress.first_incomplete or progress.step_count))


def get_response_with_answers(token) -> Response:
    response = Response.objects.with_answers(token) if TOKEN_RE.fullmatch(token) else None
    if response is None:
        raise Http404
    response.questionnaire = questionnaire_of(response)
    return response


@noindex
@never_cache
def step(request, token, number):
    response = get_response_with_answers(token)
    if response.is_complete:
        messages.info(request, "Ce diagnostic est terminé : voici ses résultats.")
        return redirect("diagnostics:results", token=token)
    progress = Progress.load(response)
    if not 1 <= number <= progress.step_count:
        raise Http404
    if progress.first_incomplete and number > progress.first_incomplete:
        # By GET or POST alike: nothing of a later step is stored before this one.
        messages.warning(request, "Répondez d’abord à cette étape : les étapes se suivent.")
        target = step_url(response, progress.first_incomplete)
        return see_other(target) if request.method == "POST" else redirect(target)

    action = request.POST.get("action", NEXT)
    # An empty POST is still a POST: bound, so that it gets the form's errors.
    data = request.POST if request.method == "POST" else None
    if number == 1:
        form = ProfileForm(data, response=response)
    else:
        axis = progress.axes[number - 2]
        form = AxisStepForm(
            data, axis=axis, questionnaire=response.questionnaire,
            definition=progress.definition, saved=progress.answers,
        )  # fmt: skip

    if request.method == "POST":
        # A follow-up question just revealed by an answer is shown, not an error.
        valid = form.is_valid() and not form.follow_ups
        # Save whatever is valid, whatever the button and the other fields' errors.
        if number == 1:
            profile_save(response=response, **form.valid_values())
        else:
            answers_save(response=response, answers=form.answers())
            if action != PREVIOUS and "version" in form.cleaned_data:
                form.require_all()
                valid = not form.errors and not form.follow_ups
        if action == PREVIOUS and number > 1:
            return see_other(step_url(response, number - 1))
        if valid:
            if number < progress.step_count:
                return see_other(step_url(response, number + 1))
            return finish(request, response)

    context = {
        "response": response,
        "form": form,
        "number": number,
        "progress": progress,
        "axis": progress.axes[number - 2] if number > 1 else None,
        "email_form": EmailLinkForm(),
        "error_count": len(form.errors),
    }
    context |= step_urls(request, response.token)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "diagnostics/step.html", context, status=status)


def finish(request, response):
    response.saved_answers = None  # read again: this last step was just saved
    progress = Progress.load(response)
    if progress.first_incomplete:
        messages.warning(request, "Il reste des questions sans réponse à cette étape.")
        return see_other(step_url(response, progress.first_incomplete))
    response_complete(response=response, axes=progress.axes, answers=progress.answers)
    return see_other(reverse("diagnostics:results", args=[response.token]))


@noindex
@require_POST
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
def send_link(request, token):
    response = get_response(token)
    form = EmailLinkForm(request.POST)
    back = request.POST.get("etape", "")
    target = (
        step_url(response, int(back))
        if back.isdigit() and 0 < int(back) < 20
        else (response.get_absolute_url())
    )
    if not form.is_valid():
        messages.error(
            request, "Cette adresse e-mail n’est pas valide : le lien n’a pas été envoyé."
        )
        return see_other(target)
    link = request.build_absolute_uri(response.get_absolute_url())
    try:
        send_mail(
            "Votre lien pour reprendre l’autodiagnostic",
            "Bonjour,\n\nVoici le lien pour reprendre votre autodiagnostic de la "
            f"co-construction territoriale là où vous l’avez laissé :\n\n{link}\n\nGardez-le "
            "pour vous : toute personne qui a ce lien peut voir et modifier vos réponses.\n\n"
            "Cet e-mail vous a été envoyé à votre demande ; votre adresse n’a pas été "
            "enregistrée.",
            None,
            [form.cleaned_data["email"]],
        )
    except (OSError, smtplib.SMTPException):  # refused, unreachable, timed out, rejected
        logger.exception("Le lien de reprise d’un diagnostic n’a pas pu être envoyé.")
        messages.error(
            request,
            "L’e-mail n’a pas pu être envoyé : notre serveur d’envoi ne répond pas. Copiez "
            f"plutôt votre lien personnel et gardez-le : {link}",
        )
        return see_other(target)
    messages.success(request, "Le lien de reprise vous a été envoyé par e-mail.")
    return see_other(target)


@noindex
@require_POST
@ratelimit(key="ip", rate=starts_rate, method="POST", block=True)
def redo(request, token):
    previous = get_response(token)
    if not previous.is_complete:
        return see_other(previous.get_absolute_url())
    # The key issued with the results page: the same form sent twice starts one diagnostic.
    key = request.POST.get("cle", "")
    response = response_start(previous=previous, redo_key=key if TOKEN_RE.fullmatch(key) else None)
    messages.info(
        request, "Un nouveau diagnostic commence, pré-rempli avec vos réponses précédentes."
    )
    return see_other(step_url(response, 1))


def results_context(response: Response) -> dict:
    snapshot = response.snapshot
    axes = snapshot["axes"]
    scored = sorted((a for a in axes if a["score"] is not None), key=lambda a: float(a["score"]))
    weakest = scored[:2]
    level = snapshot["level"]
    weak_questions = weakest_answers(response)
    codes = list(
        dict.fromkeys([a["code"] for a in weakest] + [q.axis.code for q in weak_questions])
    )
    found = recommendations.suggestions(response, codes, level)
    tools = [
        {
            "axis": axis,
            "resources": found["tools"][axis["code"]][0][: recommendations.PER_AXIS],
            "catalogue_url": found["tools"][axis["code"]][1],
        }
        for axis in weakest
    ]
    next_steps = readings_for(weak_questions, found["tools"], tools)
    cases = found["cases"]
    peers = statistics.peer_quartiles(response.size_band) if response.size_band else {}
    comparison = [
        axis | {"peers": peers[axis["code"]]}
        if axis["code"] in peers and peers[axis["code"]]["n"] >= statistics.MIN_GROUP
        else axis | {"peers": None}
        for axis in axes
    ]
    previous = None
    if response.previous_id:
        previous = (
            Response.objects.filter(pk=response.previous_id, completed_at__isnull=False)
            .only("snapshot", "completed_at")
            .first()
        )
    evolution = []
    if previous and previous.snapshot:
        before = {a["code"]: a["score"] for a in previous.snapshot["axes"]}
        for axis in axes:
            if axis["score"] is not None and before.get(axis["code"]) is not None:
                evolution.append(
                    axis | {"before": before[axis["code"]],
                            "change": round(float(axis["score"]) - float(before[axis["code"]]), 1)}
                )  # fmt: skip
    radar = charts.radar(
        [(a["name"], float(a["score"]) if a["score"] is not None else None) for a in axes]
    )
    return {
        "response": response,
        "snapshot": snapshot,
        "level_label": dict(Level.choices).get(level, ""),
        "radar": radar,
        "tools": tools,
        "cases": cases,
        "comparison": comparison,
        "peer_count": max((p["n"] for p in peers.values()), default=0),
        "previous": previous,
        "evolution": evolution,
        "min_group": statistics.MIN_GROUP,
        "next_steps": next_steps,
    }


def weakest_answers(response: Response) -> list:
    """The response's weakest questions (Question objects, with their axis), from its
    answers and its questionnaire's structure (kept per process). One query."""
    axes, definition = questionnaire_parts(response.questionnaire)
    answers = dict(response.answers.values_list("question_id", "choice_id"))
    questions = {}
    for axis in axes:
        for question in axis.questions.all():
            question.axis = axis  # already loaded: no query when the template reads it
            questions[question.pk] = question
    return [questions[pk] for pk in weakest_questions(definition, answers, WEAK_QUESTIONS)]


def readings_for(questions, tools: dict, shown: list[dict]) -> list[dict]:
    """For each weak question, one read from its axis's recommended resources: one not
    yet offered on the page if there is one, else one not yet offered in this list."""
    on_page = {r.pk for item in shown for r in item["resources"]}
    offered = set()
    steps = []
    for question in questions:
        candidates, catalogue_url = tools.get(question.axis.code, ([], "/ressources/"))
        fresh = [r for r in candidates if r.pk not in offered]
        resource = next((r for r in fresh if r.pk not in on_page), fresh[0] if fresh else None)
        if resource is not None:
            offered.add(resource.pk)
        steps.append({"question": question, "resource": resource, "catalogue_url": catalogue_url})
    return steps


@noindex
@never_cache
@require_safe
def results(request, token):
    response = get_response(token, "commune__departement", "region")
    if not response.is_complete:
        messages.warning(request, "Terminez d’abord toutes les étapes pour voir vos résultats.")
        return redirect(response.get_absolute_url())
    context = results_context(response) | {
        "results_url": request.build_absolute_uri(reverse("diagnostics:results", args=[token])),
        "redo_key": secrets.token_urlsafe(24),
    }
    return render(request, "diagnostics/results.html", context)


@noindex
@never_cache
@require_safe
def results_json(request, token):
    response = get_response(token)
    if not response.is_complete:
        return JsonResponse({"erreur": "Ce diagnostic n’est pas terminé."}, status=404)
    snapshot = response.snapshot
    return JsonResponse(
        {
            "version_questionnaire": snapshot["version"],
            "termine_le": response.completed_at.isoformat(),
            "score_global": snapshot["overall"],
            "niveau": snapshot["level"],
            "axes": [
                {"code": a["code"], "nom": a["name"], "score": a["score"]} for a in snapshot["axes"]
            ],
            "constats": [
                {"code": f["code"], "titre": f["title"], "conseil": f["advice"], "ecart": f["gap"]}
                for f in snapshot["findings"]
            ],
            "points_a_explorer": snapshot["dont_know"],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def questionnaire_json(request):
    document = questionnaire_document(current_questionnaire())
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})
