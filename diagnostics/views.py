import logging
import re
import secrets
import smtplib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from diagnostics import recommendations, selectors, synthesis
from diagnostics.enums import ActorType
from diagnostics.forms import (
    AxisStepForm,
    CampaignForm,
    EmailLinkForm,
    InvitationEmailForm,
    JoinForm,
    ParticipantProfileForm,
    ProfileForm,
    error_summary,
)
from diagnostics.models import Campaign, ErasedLink, Response, token_digest
from diagnostics.services import (
    answers_save,
    campaign_close,
    campaign_create,
    campaign_delete,
    campaign_join,
    campaign_reopen,
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
    saved_answers,
)
from rameau_site.mail import mail_enqueue
from rameau_site.queries import CompiledLookup
from resources.french import french_spacing
from territories.models import commune_of

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


def erased_aware(view):
    """A link of a deleted shared diagnostic (the organiser's, the invitation or a
    participant's) says so (410) instead of "page not found"."""

    @wraps(view)
    def wrapped(request, token, *args, **kwargs):
        try:
            return view(request, token, *args, **kwargs)
        except Http404:
            if (
                TOKEN_RE.fullmatch(token)
                and ErasedLink.objects.filter(digest=token_digest(token)).exists()
            ):
                return render(request, "diagnostics/erased.html", status=410)
            raise

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


# The querysets of the step and results pages, built once: annotating the saved
# answers' two ArraySubquery (and the select_related) cost 1.2 ms of CPU a request, as
# much as compiling the query (step page 5.2 -> 4.0 ms in-process, floor 1.5 ms, 100k
# bench database). `.get()` works on a clone: these are never evaluated themselves.
STEP_RESPONSES = Response.objects.defer("snapshot").with_saved_answers()
# The results take their questionnaire and commune from the process's reference data
# (questionnaire_of, commune_of) rather than joining three tables: compiling and
# running the query went from 2.6 to 0.8 ms of CPU (the whole page: 7.0 -> 4.7 ms, floor
# 1.0-1.3 ms; in-process on the 100k bench database).
RESULTS_RESPONSES = Response.objects.with_saved_answers()
# Their SQL compiled once per process (rameau_site/queries.py): the step page's lookup
# 0.83 -> 0.35 ms of CPU.
STEP_LOOKUP = CompiledLookup(STEP_RESPONSES, "token")
RESULTS_LOOKUP = CompiledLookup(RESULTS_RESPONSES, "token")


def looked_up(lookup: CompiledLookup, token: str) -> Response:
    response = lookup.get(token) if TOKEN_RE.fullmatch(token) else None
    if response is None:
        raise Http404
    return response


def get_response(token, *related) -> Response:
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    responses = Response.objects.select_related("questionnaire", *related)
    return get_object_or_404(responses, token=token)


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
@erased_aware
def resume(request, token):
    response = get_response(token)
    if response.is_complete:
        return redirect("diagnostics:results", token=token)
    progress = Progress.load(response)
    return redirect(step_url(response, progress.first_incomplete or progress.step_count))


def get_step_response(token) -> Response:
    """The response a step page works on, without its results snapshot, with its
    saved answers (the same query) and its questionnaire (kept per process once
    frozen). One query instead of two: on a busy machine the step page's CPU time went
    from 7.5 to 6.7 ms (in-process, Client().get(), mean of 3 rounds of best of 5 x 200
    requests, old and new interleaved)."""
    response = looked_up(STEP_LOOKUP, token)
    response.questionnaire = questionnaire_of(response)
    return response


@noindex
@never_cache
@erased_aware
def step(request, token, number):
    """Step 1 is the profile, the next ones an axis each; steps are taken in order."""
    response = get_step_response(token)
    if response.is_complete:
        messages.info(request, french_spacing("Ce diagnostic est terminé : voici ses résultats."))
        return redirect("diagnostics:results", token=token)
    progress = Progress.load(response, saved_answers(response))
    if not 1 <= number <= progress.step_count:
        raise Http404
    if response.campaign_id and not campaign_accepts(response):
        return render(request, "diagnostics/campaign_closed.html", {"late": True}, status=403)
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


def campaign_accepts(response) -> bool:
    """Whether a participant's campaign still takes answers (one query)."""
    campaign = Campaign.objects.only("closed_at", "closes_on").get(pk=response.campaign_id)
    return campaign.accepts_answers()


def profile_step(request, response, progress, data):
    form_class = ParticipantProfileForm if response.campaign_id else ProfileForm
    form = form_class(data, response=response)
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
@erased_aware
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
        mail_enqueue(
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
@erased_aware
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
@erased_aware
def results(request, token):
    response = looked_up(RESULTS_LOOKUP, token)
    response.questionnaire = questionnaire_of(response)
    if response.commune_id:
        response.commune = commune_of(response.commune_id)
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
@erased_aware
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


# The shared diagnostic ("diagnostic partagé"): creation, the organiser's page, joining.


def form_key(request) -> str | None:
    """The key a form was issued with (double submissions find the first one's work)."""
    key = request.POST.get("cle", "")
    return key if TOKEN_RE.fullmatch(key) else None


def collective(request):
    """What a shared diagnostic is, and the form that creates one."""
    if request.method == "POST":
        return collective_create(request)
    return collective_page(request, CampaignForm())


def collective_page(request, form, status=200):
    context = {
        "form": form,
        "key": secrets.token_urlsafe(24),
        "error_entries": error_summary(form) if form.is_bound else [],
        "actor_types": ActorType.choices,
        "min_shown": synthesis.MIN_SHOWN,
    }
    return render(request, "diagnostics/collective.html", context, status=status)


@ratelimit(key="ip", rate=starts_rate, method="POST", block=True)
def collective_create(request):
    form = CampaignForm(request.POST)
    if not form.is_valid():
        return collective_page(request, form, status=400)
    campaign = campaign_create(
        name=form.cleaned_data["name"], commune=form.cleaned_data["commune_obj"],
        closes_on=form.cleaned_data["closes_on"], create_key=form_key(request),
    )  # fmt: skip
    messages.success(
        request,
        french_spacing(
            "Le diagnostic partagé est créé. Gardez l’adresse de cette page : elle seule "
            "permet de suivre la synthèse et d’inviter les participants."
        ),
    )
    return see_other(campaign.get_absolute_url())


def get_campaign(token) -> Campaign:
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    return get_object_or_404(Campaign.objects.by_organiser(token))


def invitation_url(request, campaign) -> str:
    return request.build_absolute_uri(reverse("diagnostics:join", args=[campaign.invitation_token]))


# The organiser page's queryset, built once: see CampaignQuerySet.for_organiser_page.
ORGANISER_CAMPAIGNS = Campaign.objects.for_organiser_page()


def organiser_urls(campaign) -> dict[str, str]:
    """The organiser page's address and those of its QR code and forms, which extend it
    (diagnostics/urls.py), reversed once instead of five times (0.16 -> 0.03 ms of CPU;
    tests/diagnostics/test_campaign.py compares them with reverse())."""
    page = campaign.get_absolute_url()
    return {
        "page": page, "qr": page + "invitation.svg", "send": page + "envoyer/",
        "status": page + "statut/", "delete": page + "supprimer/",
    }  # fmt: skip


@noindex
@never_cache
@require_safe
@erased_aware
def campaign(request, token):
    """The organiser's page: the invitation, the consolidated view, closing and
    deletion. Never a participant's token or answer. Two queries: the campaign with those
    in progress (ORGANISER_CAMPAIGNS), the directory's version (catalysts_for). Measured on
    the bench campaign (cpu_page.py, best of 5 x 30, old and new trees interleaved, quiet
    round): 5.5 ms of CPU + 1.0 ms of database before this page's rework (four queries,
    Django template), 3.4 + 0.4 ms after; the floor 1.2-1.3 + 0.1 ms in the same runs."""
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    campaign = get_object_or_404(ORGANISER_CAMPAIGNS, organiser_token=token)
    campaign.commune = commune_of(campaign.commune_id)
    campaign.questionnaire = questionnaire_of(campaign)
    urls = organiser_urls(campaign)
    context = {
        "campaign": campaign,
        "in_progress": campaign.in_progress,
        "invitation_url": invitation_url(request, campaign),
        "organiser_url": request.build_absolute_uri(urls["page"]),
        "urls": urls,
        "email_help": InvitationEmailForm.base_fields["email"].help_text,
        "is_open": campaign.is_open(),
        "catalysts": recommendations.catalysts_for(campaign.commune),
    }
    return render(request, "diagnostics/campaign.html", context)


@noindex
@never_cache
@require_safe
@erased_aware
def campaign_json(request, token):
    """The stored consolidated view, alone (one query, no join)."""
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    found = Campaign.objects.filter(organiser_token=token).values_list("synthesis", flat=True)
    if not found:
        raise Http404
    document = selectors.stored_synthesis(found[0])
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@noindex
@require_safe
@erased_aware
def campaign_qr(request, token):
    """The invitation link as a QR code (SVG, no inline style: it passes the CSP)."""
    import io

    import segno

    campaign = get_campaign(token)
    buffer = io.BytesIO()
    segno.make(invitation_url(request, campaign), error="m").save(
        buffer, kind="svg", xmldecl=False, scale=4, border=4, omitsize=False,
        title="Code QR du lien d’invitation", svgclass="qr-code",
    )  # fmt: skip
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


SENDS = {
    "invitation": (
        "Invitation : diagnostic partagé « {name} »",
        "Bonjour,\n\nVous êtes invité·e à participer au diagnostic partagé « {name} » de la "
        "co-construction territoriale ({commune}). Chaque acteur du territoire y répond "
        "pour lui-même ; seule une synthèse de groupe est montrée à l’organisateur, jamais "
        "vos réponses.\n\nPour participer :\n\n{link}\n\nCet e-mail vous a été envoyé par "
        "l’organisateur ; votre adresse n’a pas été enregistrée.",
        "L’invitation a été envoyée par e-mail.",
    ),
    "organisateur": (
        "Votre lien d’organisateur : diagnostic partagé « {name} »",
        "Bonjour,\n\nVoici le lien de la page d’organisateur du diagnostic partagé "
        "« {name} » ({commune}) : la synthèse, l’invitation, la clôture et la "
        "suppression.\n\n{link}\n\nToute personne qui a ce lien peut gérer ce diagnostic "
        "partagé : ne le transmettez qu’aux co-organisateurs.\n\nCet e-mail vous a été "
        "envoyé à votre demande ; votre adresse n’a pas été enregistrée.",
        "Le lien d’organisateur vous a été envoyé par e-mail.",
    ),
}


@noindex
@require_POST
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
@erased_aware
def campaign_send(request, token):
    campaign = get_campaign(token)
    kind = request.POST.get("envoi", "")
    form = InvitationEmailForm(request.POST)
    if kind not in SENDS or not form.is_valid():
        messages.error(
            request, french_spacing("Cette adresse e-mail n’est pas valide : rien n’a été envoyé.")
        )
        return see_other(campaign.get_absolute_url() + "#envoyer")
    subject, body, done = SENDS[kind]
    link = (
        invitation_url(request, campaign)
        if kind == "invitation"
        else request.build_absolute_uri(campaign.get_absolute_url())
    )
    names = {"name": campaign.name, "commune": campaign.commune.name, "link": link}
    try:
        mail_enqueue(
            french_spacing(subject.format(**names)), french_spacing(body.format(**names)),
            None, [form.cleaned_data["email"]],
        )  # fmt: skip
    except (OSError, smtplib.SMTPException):
        logger.exception("Un e-mail de diagnostic partagé n’a pas pu être envoyé.")
        messages.error(
            request,
            french_spacing(
                "L’e-mail n’a pas pu être envoyé : notre serveur d’envoi ne répond pas. "
                "Copiez plutôt le lien affiché sur cette page."
            ),
        )
        return see_other(campaign.get_absolute_url() + "#envoyer")
    messages.success(request, done)
    return see_other(campaign.get_absolute_url() + "#envoyer")


@noindex
@require_POST
@erased_aware
def campaign_status(request, token):
    campaign = get_campaign(token)
    action = request.POST.get("action", "")
    if action == "clore":
        if campaign.is_open():
            campaign_close(campaign=campaign)
        messages.success(
            request,
            french_spacing(
                "Le diagnostic partagé est clos : plus personne ne peut le rejoindre. Les "
                "participants ont encore 7 jours pour terminer leurs réponses."
            ),
        )
    elif action == "rouvrir":
        campaign_reopen(campaign=campaign)
        messages.success(request, "Le diagnostic partagé est rouvert aux participants.")
    else:
        messages.error(request, "Action inconnue : rien n’a changé.")
    return see_other(campaign.get_absolute_url())


@noindex
@never_cache
@erased_aware
def campaign_delete_view(request, token):
    """GET: the confirmation; POST: the deletion (confirmed by its form's checkbox)."""
    campaign = get_campaign(token)
    error = None
    if request.method == "POST":
        if request.POST.get("confirmation") == "oui":
            count = campaign_delete(campaign=campaign)
            return render(request, "diagnostics/erased.html", {"deleted": count})
        error = "Cochez la case pour confirmer la suppression."
    context = {"campaign": campaign, "error": error}
    return render(
        request, "diagnostics/campaign_delete.html", context, status=400 if error else 200
    )


def get_invited_campaign(token) -> Campaign:
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    return get_object_or_404(
        Campaign.objects.select_related("commune__departement").defer("synthesis"),
        invitation_token=token,
    )


@noindex
@never_cache
@erased_aware
def join(request, token):
    """A participant chooses their actor type and starts their own diagnostic."""
    campaign = get_invited_campaign(token)
    if not campaign.is_open():
        return render(request, "diagnostics/campaign_closed.html", {"campaign": campaign},
                      status=403)  # fmt: skip
    if request.method == "POST":
        return join_post(request, campaign)
    return join_page(request, campaign, JoinForm())


def join_page(request, campaign, form, status=200):
    context = {
        "campaign": campaign,
        "form": form,
        "key": secrets.token_urlsafe(24),
        "error_entries": error_summary(form) if form.is_bound else [],
        "min_shown": synthesis.MIN_SHOWN,
    }
    return render(request, "diagnostics/join.html", context, status=status)


@ratelimit(key="ip", rate=starts_rate, method="POST", block=True)
def join_post(request, campaign):
    form = JoinForm(request.POST)
    if not form.is_valid():
        return join_page(request, campaign, form, status=400)
    response = campaign_join(
        campaign=campaign, actor_type=form.cleaned_data["actor_type"], join_key=form_key(request)
    )
    return see_other(step_url(response, 1))
