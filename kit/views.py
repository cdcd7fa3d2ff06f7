import logging
import re
import smtplib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from kit.enums import PublicationStatus
from kit.forms import EmailLinkForm, StartForm
from kit.models import Parcours, Progress, Use, UseItem
from kit.progress import PROGRESS_RETENTION_DAYS, standing
from kit.services import progress_mark, progress_start
from kit.steps import progress_page, steps_of
from rameau_site.caching import INDEX_PAGES
from rameau_site.mail import mail_enqueue
from resources.cards import cards_of
from resources.enums import Kind, Usage
from resources.filters import ResourceFilterSet
from resources.french import french_spacing
from resources.models import GlossaryTerm, Resource

logger = logging.getLogger(__name__)

# Tokens are URL-safe base64 (secrets.token_urlsafe); anything else cannot be one.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def see_other(url) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def noindex(view):
    """A visitor's own progress (behind its token) stays out of search engines."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def emails_rate(group, request):
    return f"{settings.DIAGNOSTIC_EMAILS_PER_HOUR}/h"


def catalogue_count(usage: str) -> int:
    """What the catalogue filtered on this use counts (the same FilterSet and index)."""
    return ResourceFilterSet(QueryDict(f"usage={usage}")).total


# The kit's pages show the catalogue's counts (the library index) and the kit's content:
# kept whole for anonymous visitors under the index's and the kit's versions, as the
# catalogue's search (INDEX_PAGES).
@require_safe
@INDEX_PAGES
def kit_index(request):
    uses = {use.usage: use for use in Use.objects.all()}
    counts = {
        value.value: value.count
        for facet in ResourceFilterSet(QueryDict()).facets
        if facet.param == "usage"
        for value in facet.values
    }
    context = {
        "uses": [
            {"usage": usage, "label": label, "use": uses.get(usage), "count": counts[usage]}
            for usage, label in Usage.choices
        ],
        "parcours_list": Parcours.objects.published().with_totals(),
        "breadcrumbs": [("Kit pratique", None)],
    }
    return render(request, "kit/index.html", context)


@require_safe
@INDEX_PAGES
def use_detail(request, usage):
    if usage not in Usage.values:
        raise Http404("Usage inconnu")
    use = Use.objects.filter(usage=usage).first() or Use(usage=usage)
    items = list(UseItem.objects.filter(use__usage=usage).values_list("resource_id", "why"))
    whys = dict(items)
    cards = cards_of([pk for pk, _why in items])  # the published ones, in staff's order
    context = {
        "use": use,
        "label": Usage(usage).label,
        "resources": [(card, whys[card.pk]) for card in cards if card.kind != Kind.CASE],
        "cases": [(card, whys[card.pk]) for card in cards if card.kind == Kind.CASE],
        "parcours_list": Parcours.objects.published().filter(usage=usage).with_totals(),
        "catalogue_count": catalogue_count(usage),
        "catalogue_url": f"{reverse('resources:list')}?usage={usage}",
        "breadcrumbs": [("Kit pratique", reverse("kit:index")), (Usage(usage).label, None)],
    }
    return render(request, "kit/use.html", context)


@require_safe
def parcours_list(request):
    context = {
        "parcours_list": Parcours.objects.published().with_totals(),
        "breadcrumbs": [("Parcours", None)],
    }
    return render(request, "kit/parcours_list.html", context)


def parcours_context(parcours: Parcours) -> dict:
    return {
        "parcours": parcours,
        "steps": steps_of(parcours.pk),
        "breadcrumbs": [("Parcours", reverse("kit:parcours_list")), (parcours.title, None)],
    }


@require_safe
def parcours_detail(request, slug):
    parcours = get_object_or_404(Parcours.objects.published().with_totals(), slug=slug)
    context = parcours_context(parcours) | {"start_form": StartForm(), "preview": False}
    return render(request, "kit/parcours_detail.html", context)


@never_cache
@staff_member_required
@permission_required("kit.view_parcours", raise_exception=True)
def parcours_preview(request, slug):
    """Any parcours, whatever its status, in the public layout: for staff only."""
    parcours = get_object_or_404(Parcours.objects.with_totals(), slug=slug)
    context = parcours_context(parcours) | {"start_form": None, "preview": True}
    response = render(request, "kit/parcours_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
def parcours_start(request, slug):
    parcours = get_object_or_404(Parcours.objects.published(), slug=slug)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Le parcours n’a pas pu être commencé : renvoyez le formulaire, s’il vous plaît.",
        )
        return see_other(parcours.get_absolute_url())
    progress = progress_start(parcours=parcours, token=form.cleaned_data["jeton"])
    return see_other(progress.get_absolute_url())


def get_progress(slug, token) -> Progress:
    if not TOKEN_RE.fullmatch(token):
        raise Http404("Suivi introuvable")
    return get_object_or_404(
        Progress.objects.select_related("parcours"),
        token=token,
        parcours__slug=slug,
        parcours__status=PublicationStatus.PUBLISHED,
    )


@noindex
@never_cache
@require_safe
def progress_detail(request, slug, token):
    page = progress_page(slug=slug, token=token) if TOKEN_RE.fullmatch(token) else None
    if page is None:
        raise Http404("Suivi introuvable")
    steps = page.steps
    place = standing([step.pk for step in steps], page.done_ids)
    context = {
        "parcours": page.parcours,
        "steps": steps,
        "breadcrumbs": [("Parcours", reverse("kit:parcours_list")), (page.parcours.title, None)],
        "progress": page,
        "done_ids": page.done_ids,
        "standing": place,
        "next_step": steps[place.next_index] if place.next_index is not None else None,
        "progress_url": request.build_absolute_uri(page.url),
        "email_field": EmailLinkForm.base_fields["email"],
        "retention_days": PROGRESS_RETENTION_DAYS,
        "mail_kept_days": settings.JOBS_KEPT_DAYS,
    }
    return render(request, "kit/progress.html", context)


@noindex
@require_POST
def progress_step(request, slug, token, step_id):
    progress = get_progress(slug, token)
    step = get_object_or_404(progress.parcours.steps, pk=step_id)
    state = request.POST.get("etat")
    if state not in ("fait", "a-reprendre"):
        messages.error(
            request, french_spacing("Choisissez « Fait » ou « À reprendre » pour cette étape.")
        )
    else:
        progress_mark(progress=progress, step=step, done=state == "fait")
    return see_other(f"{progress.get_absolute_url()}#etape-{step.pk}")


@noindex
@require_POST
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
def progress_send_link(request, slug, token):
    progress = get_progress(slug, token)
    target = f"{progress.get_absolute_url()}#envoyer-le-lien"
    form = EmailLinkForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            french_spacing("Cette adresse e-mail n’est pas valide : le lien n’a pas été envoyé."),
        )
        return see_other(target)
    link = request.build_absolute_uri(progress.get_absolute_url())
    try:
        mail_enqueue(
            f"Votre lien pour reprendre le parcours « {progress.parcours.title} »",
            "Bonjour,\n\nVoici le lien pour reprendre votre parcours là où vous l’avez laissé, "
            f"sur n’importe quel appareil :\n\n{link}\n\nToute personne qui a ce lien peut voir "
            "et modifier votre progression.\n\nCet e-mail vous a été envoyé à votre demande ; "
            "votre adresse n’a pas été enregistrée.",
            None,
            [form.cleaned_data["email"]],
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("Le lien de suivi d’un parcours n’a pas pu être envoyé.")
        messages.error(
            request,
            french_spacing(
                "L’e-mail n’a pas pu être envoyé : notre serveur d’envoi ne répond pas. Copiez "
                f"plutôt votre lien personnel et gardez-le : {link}"
            ),
        )
        return see_other(target)
    messages.success(request, "Le lien de suivi vous a été envoyé par e-mail.")
    return see_other(target)


@require_safe
def glossary(request):
    used_by = Resource.objects.published().only("title", "slug").order_by("title")
    terms = GlossaryTerm.objects.prefetch_related(Prefetch("resources", queryset=used_by))
    context = {"terms": terms, "breadcrumbs": [("Glossaire", None)]}
    return render(request, "kit/glossary.html", context)
