from datetime import UTC

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from network import ics
from network.dates import when_label
from network.filters import EventFilterSet, ProfileFilterSet
from network.forms import ManageLinkForm, ProfileForm, ProposalForm, RegistrationForm, RelayForm
from network.models import Event, Profile, Registration
from network.selectors import event_page
from network.services import (
    manage_link,
    manage_links_send,
    places_left,
    profile_confirm,
    profile_delete,
    profile_from_link,
    profile_propose,
    profile_update,
    registration_cancel,
    registration_confirm,
    registration_request,
    relay_send,
)
from rameau_site.caching import AGENDA_PAGES, DIRECTORY_PAGES
from resources.french import french_spacing
from resources.views import query_without
from territories.enums import REGION_TILES

PAGE_SIZE = 20


def listing(request, events, *, past: bool):
    """The agenda or its past events, filtered by the query string and paginated."""
    filterset = EventFilterSet(request.GET, queryset=events.listed())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    kind = filterset.form.cleaned_data.get("type") if filterset.is_valid() else ""
    title = "Événements passés" if past else "Agenda"
    crumbs = [("Agenda", reverse("network:agenda")), (title, None)] if past else [(title, None)]
    context = {
        "filterset": filterset,
        "page": page,
        "page_query": f"type={kind}" if kind else "",
        "past": past,
        "title": title,
        "breadcrumbs": crumbs,
    }
    return render(request, "network/agenda.html", context)


@require_safe
@AGENDA_PAGES
def agenda(request):
    return listing(request, Event.objects.published().upcoming(), past=False)


@require_safe
@AGENDA_PAGES
def agenda_past(request):
    return listing(request, Event.objects.published().past(), past=True)


def event_or_404(slug: str, *, published_only: bool = True) -> Event:
    """The event with its published resources and places taken, in one query
    (network/selectors.py): the page went from 3.5-4.9 to 1.7-1.8 ms of CPU (cpu_page.py
    on the bench database, old and new code interleaved, floor 1.0-1.3 ms)."""
    event = event_page(slug, published_only=published_only)
    if event is None:
        raise Http404
    return event


def event_context(event: Event, *, preview: bool, form=None) -> dict:
    registers_here = event.registers_here and not preview
    agenda_url = reverse("network:agenda")
    return {
        "event": event,
        "agenda_url": agenda_url,
        "preview": preview,
        "kind_label": event.get_kind_display(),
        "when": when_label(event.starts_at, event.ends_at),
        "places_left": places_left(event, event.places_taken) if registers_here else None,
        "form": (form or RegistrationForm()) if registers_here else None,
        "breadcrumbs": [("Agenda", agenda_url), (french_spacing(event.title), None)],
    }


@require_safe
def event_detail(request, slug):
    event = event_or_404(slug)
    return render(request, "network/event_detail.html", event_context(event, preview=False))


@never_cache
@staff_member_required
@permission_required("network.view_event", raise_exception=True)
def event_preview(request, slug):
    """Any event, published or not, in the public layout: for staff only."""
    event = event_or_404(slug, published_only=False)
    response = render(request, "network/event_detail.html", event_context(event, preview=True))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def calendar_response(request, events, *, name: str, filename: str) -> HttpResponse:
    host = request.get_host().split(":")[0]
    entries = [
        ics.event_entry(
            event, host=host, page_url=request.build_absolute_uri(event.get_absolute_url())
        )
        for event in events
    ]
    text = ics.calendar(entries, name=name, stamp=timezone.now().astimezone(UTC))
    response = HttpResponse(text.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_ics(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    return calendar_response(request, [event], name=event.title, filename=f"{slug}.ics")


@require_safe
def agenda_ics(request):
    events = Event.objects.published().upcoming()
    return calendar_response(
        request, events, name="Agenda — Co-construction territoriale", filename="agenda.ics"
    )


def see_other(url) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def emails_rate(group, request):
    return f"{settings.DIAGNOSTIC_EMAILS_PER_HOUR}/h"


@require_POST
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
def event_register(request, slug):
    event = event_or_404(slug)
    form = RegistrationForm(data=request.POST)
    if not event.registers_here or not form.is_valid():
        context = event_context(event, preview=False, form=form)
        return render(request, "network/event_detail.html", context, status=400)
    registration_request(
        event=event,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        organisation=form.cleaned_data["organisation"],
        site_url=request.build_absolute_uri("/"),
    )
    return see_other(reverse("network:registration_sent", args=[slug]))


@require_safe
def registration_sent(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    context = {
        "event": event,
        "breadcrumbs": [("Agenda", reverse("network:agenda")), ("Inscription", None)],
    }
    return render(request, "network/registration_sent.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registration_detail(request, token):
    """The person's registration behind the e-mailed link: confirm it (a POST, so that
    a mail scanner opening the link confirms nothing): a place, or the waiting list
    with their rank; the connection link of an online event once the place is theirs."""
    registration = get_object_or_404(Registration.objects.select_related("event"), token=token)
    closed = False
    if request.method == "POST":
        closed = registration_confirm(registration=registration) is None
        if not closed:
            return see_other(registration.get_absolute_url())
    context = {
        "registration": registration,
        "event": registration.event,
        "closed": closed,
        "rank": registration.waiting_rank(),
        "breadcrumbs": [("Agenda", reverse("network:agenda")), ("Mon inscription", None)],
    }
    status = 409 if closed else 200
    response = render(request, "network/registration.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token):
    """The cancel link of the e-mails: a question, then a POST deletes the
    registration (a mail scanner opening the link cancels nothing)."""
    registration = get_object_or_404(Registration.objects.select_related("event"), token=token)
    if request.method == "POST":
        registration_cancel(registration=registration)
        return see_other(reverse("network:registration_cancelled", args=[registration.event.slug]))
    context = {
        "registration": registration,
        "event": registration.event,
        "breadcrumbs": [("Agenda", reverse("network:agenda")), ("Annuler mon inscription", None)],
    }
    response = render(request, "network/registration_cancel.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def registration_cancelled(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    context = {
        "event": event,
        "breadcrumbs": [("Agenda", reverse("network:agenda")), ("Inscription annulée", None)],
    }
    return render(request, "network/registration_cancelled.html", context)


# --- The directory --------------------------------------------------------------------

DIRECTORY = ("Annuaire des catalyseurs", "/reseau/")


def crumbs(*trail) -> list:
    return [(DIRECTORY[0], reverse("network:directory")), *trail]


@require_safe
@DIRECTORY_PAGES
def directory(request):
    filterset = ProfileFilterSet(request.GET)
    page = Paginator(filterset.qs.listed(), PAGE_SIZE).get_page(request.GET.get("page"))
    facets = {facet.param: facet for facet in filterset.facets}
    context = {
        "filterset": filterset,
        "page": page,
        "page_query": query_without(request.GET, "page").lstrip("?"),
        "chips": [
            {
                "facet": facet.label,
                "label": value.label,
                "remove_url": query_without(request.GET, facet.param, value.value),
            }
            for facet in filterset.facets
            for value in facet.selected
        ],  # fmt: skip
        "region_tiles": [
            {
                "code": value.value,
                "name": value.label,
                "short": REGION_TILES[value.value],
                "count": value.count,
                "selected": value.selected,
                "url": query_without(request.GET, "region") + f"&region={value.value}",
            }
            for value in facets["region"].values
        ],  # fmt: skip
        "breadcrumbs": [(DIRECTORY[0], None)],
    }
    return render(request, "network/directory.html", context)


def profile_context(profile: Profile, form=None, refusal: str = "") -> dict:
    resources = profile.published_resources
    return {
        "profile": profile,
        "cases": [r for r in resources if r.is_case],
        "resources": [r for r in resources if not r.is_case],
        "form": form or RelayForm(),
        "refusal": refusal,
        "breadcrumbs": crumbs((french_spacing(profile.name), None)),
    }


@require_safe
def profile_detail(request, slug):
    profile = get_object_or_404(Profile.objects.published().with_links(), slug=slug)
    return render(request, "network/profile_detail.html", profile_context(profile))


@require_POST
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
def profile_contact(request, slug):
    profile = get_object_or_404(Profile.objects.published().with_links(), slug=slug)
    form = RelayForm(data=request.POST)
    if not form.is_valid():
        context = profile_context(profile, form)
        return render(request, "network/profile_detail.html", context, status=400)
    if not form.cleaned_data["reference"]:  # the honeypot: a robot's message is dropped
        refusal = relay_send(
            profile=profile,
            sender=form.cleaned_data["email"],
            message=form.cleaned_data["message"],
            profile_url=request.build_absolute_uri(profile.get_absolute_url()),
        )
        if refusal:
            context = profile_context(profile, form, refusal)
            return render(request, "network/profile_detail.html", context, status=429)
    return see_other(reverse("network:contact_sent", args=[slug]))


@require_safe
def contact_sent(request, slug):
    profile = get_object_or_404(Profile.objects.published().only("name", "slug"), slug=slug)
    context = {"profile": profile, "breadcrumbs": crumbs(("Message envoyé", None))}
    return render(request, "network/contact_sent.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
def profile_propose_view(request):
    form = ProposalForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_robot:
            profile_propose(
                form=form,
                link_for=lambda p: request.build_absolute_uri(
                    reverse("network:confirm", args=[p.token])
                ),
            )
        return see_other(reverse("network:proposal_sent"))
    context = {"form": form, "breadcrumbs": crumbs(("Proposer une fiche", None))}
    return render(request, "network/propose.html", context, status=400 if form.errors else 200)


@require_safe
def proposal_sent(request):
    context = {"breadcrumbs": crumbs(("Fiche proposée", None))}
    return render(request, "network/proposal_sent.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def profile_confirm_view(request, token):
    """The link of the confirmation e-mail: a POST confirms (a mail scanner opening the
    link confirms nothing)."""
    profile = get_object_or_404(Profile.objects.only("name", "status", "token"), token=token)
    if request.method == "POST":
        profile_confirm(profile=profile)
        return see_other(request.path)
    context = {"profile": profile, "breadcrumbs": crumbs(("Confirmer la fiche", None))}
    response = render(request, "network/confirm.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
def manage_request(request):
    """Ask for the magic link: the answer is the same whether the address is known."""
    form = ManageLinkForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["reference"]:
            manage_links_send(
                email=form.cleaned_data["email"],
                link_for=lambda p: request.build_absolute_uri(
                    reverse("network:manage", args=[manage_link(p)])
                ),
            )
        return see_other(reverse("network:manage_sent"))
    context = {"form": form, "breadcrumbs": crumbs(("Modifier ma fiche", None))}
    return render(
        request, "network/manage_request.html", context, status=400 if form.errors else 200
    )


@require_safe
def manage_sent(request):
    context = {"breadcrumbs": crumbs(("Modifier ma fiche", None))}
    return render(request, "network/manage_sent.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def profile_manage(request, link):
    """The magic link: edit the profile (back to moderation) or delete it at once."""
    profile = profile_from_link(link)
    if profile is None:
        context = {"breadcrumbs": crumbs(("Lien expiré", None))}
        return render(request, "network/manage_invalid.html", context, status=404)
    if request.method == "POST" and request.POST.get("action") == "supprimer":
        profile_delete(profile=profile)
        return see_other(reverse("network:deleted"))
    form = ProfileForm(data=request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile_update(form=form)
        messages.success(
            request,
            "Vos modifications sont enregistrées. La fiche est relue par l’équipe avant "
            "d’être publiée de nouveau.",
        )
        return see_other(request.path)
    context = {"form": form, "profile": profile, "breadcrumbs": crumbs(("Ma fiche", None))}
    response = render(request, "network/manage.html", context, status=400 if form.errors else 200)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def profile_deleted(request):
    context = {"breadcrumbs": crumbs(("Fiche supprimée", None))}
    return render(request, "network/deleted.html", context)
