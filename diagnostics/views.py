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

from diagnostics import selectors
from diagnostics.forms import AxisStepForm, EmailLinkForm, ProfileForm, error_summary
from diagnostics.models import Response
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
    questionnaire_structure,
)
from rameau_site.caching import STEP_QUESTIONS
from resources.french import french_spacing

logger = logging.getLogger(__name__)

PREVIOUS, NEXT = "precedent", "suivant"


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


def get_step_response(token) -> Response:
    """The response a step page works on, without its results snapshot, with its
    questionnaire (kept per process once frozen)."""
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    response = get_object_or_404(Response.objects.defer("snapshot"), token=token)
    response.questionnaire = questionnaire_of(response)
    return response


@noindex
@never_cache
def step(request, token, number):
    """Step 1 is the profile, the next ones an axis each; steps are taken in order."""
    response = get_step_response(token)
    if response.is_complete:
        messages.info(request, french_spacing("Ce diagnostic est terminé : voici ses résultats."))
        return redirect("diagnostics:results", token=token)
    progress = Progress.load(response)
    if not 1 <= number <= progress.step_count:
        raise Http404
    if progress.first_incomplete and number > progress.first_incomplete:
        # By GET or POST alike: nothing of a later step is stored before this one.
        messages.warning(
            request, french_spacing("Répondez d’abord à cette étape : les étapes se suivent.")
        )
        target = step_url(response, progress.first_incomplete)
        return see_other(target) if request.method == "POST" else redirect(target)
    # An empty POST is still a POST: bound, so that it gets the form's errors.
    data = request.POST if request.method == "POST" else None
    if number == 1:
        return profile_step(request, response, progress, data)
    return axis_step(request, response, progress, number, data)


def profile_step(request, response, progress, data):
    form = ProfileForm(data, response=response)
    if data is not None:
        # A follow-up question (the list of communes) is shown, not an error.
        valid = form.is_valid() and not form.follow_ups
        profile_save(response=response, **form.valid_values())  # whatever is valid
        if valid:
            return see_other(step_url(response, 2))
    return step_page(request, response, progress, 1, form)


def axis_step(request, response, progress, number, data):
    form = AxisStepForm(
        data, axis=progress.axes[number - 2], questionnaire=response.questionnaire,
        definition=progress.definition, saved=progress.answers,
    )  # fmt: skip
    if data is not None:
        action = request.POST.get("action", NEXT)
        valid = form.is_valid() and not form.follow_ups
        # Save whatever is valid, whatever the button and the other fields' errors.
        answers_save(response=response, answers=form.answers())
        if action == PREVIOUS:
            return see_other(step_url(response, number - 1))
        if "version" in form.cleaned_data:
            form.require_all()
            valid = not form.errors and not form.follow_ups
        if valid:
            if number < progress.step_count:
                return see_other(step_url(response, number + 1))
            return finish(request, response)
    return step_page(request, response, progress, number, form)


def step_page(request, response, progress, number, form):
    context = {
        "response": response,
        "form": form,
        "number": number,
        "progress": progress,
        "axis": progress.axes[number - 2] if number > 1 else None,
        "email_form": EmailLinkForm(),
        "error_count": len(form.errors),
        "error_entries": error_summary(form),
        "questions_cache": STEP_QUESTIONS,
    } | step_urls(request, response.token)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "diagnostics/step.html", context, status=status)


def finish(request, response):
    progress = Progress.load(response)  # read again: this last step was just saved
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
            request,
            french_spacing("Cette adresse e-mail n’est pas valide : le lien n’a pas été envoyé."),
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
            french_spacing(
                "L’e-mail n’a pas pu être envoyé : notre serveur d’envoi ne répond pas. Copiez "
                f"plutôt votre lien personnel et gardez-le : {link}"
            ),
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


@noindex
@never_cache
@require_safe
def results(request, token):
    response = get_response(token, "commune__departement", "region")
    if not response.is_complete:
        messages.warning(request, "Terminez d’abord toutes les étapes pour voir vos résultats.")
        return redirect(response.get_absolute_url())
    context = selectors.results_context(response) | {
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
