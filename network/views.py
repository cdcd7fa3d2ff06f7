from datetime import UTC

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from network import ics
from network.filters import EventFilterSet
from network.forms import RegistrationForm
from network.models import Event, Registration
from network.services import (
    places_left,
    registration_cancel,
    registration_confirm,
    registration_request,
)
from resources.french import french_spacing

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
def agenda(request):
    return listing(request, Event.objects.published().upcoming(), past=False)


@require_safe
def agenda_past(request):
    return listing(request, Event.objects.published().past(), past=True)


def event_context(event: Event, *, preview: bool, form=None) -> dict:
    registers_here = event.registers_here and not preview
    return {
        "event": event,
        "preview": preview,
        "places_left": places_left(event) if registers_here else None,
        "form": (form or RegistrationForm()) if registers_here else None,
        "breadcrumbs": [("Agenda", reverse("network:agenda")), (french_spacing(event.title), None)],
    }


@require_safe
def event_detail(request, slug):
    event = get_object_or_404(Event.objects.published().with_resources(), slug=slug)
    return render(request, "network/event_detail.html", event_context(event, preview=False))


@never_cache
@staff_member_required
@permission_required("network.view_event", raise_exception=True)
def event_preview(request, slug):
    """Any event, published or not, in the public layout: for staff only."""
    event = get_object_or_404(Event.objects.with_resources(), slug=slug)
    response = render(request, "network/event_detail.html", event_context(event, preview=True))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def calendar_response(request, events, *, name: str, filename: str) -> HttpResponse:
    host = request.get_host().split(":")[0]
    entries = [
        ics.CalendarEvent(
            uid=f"evenement-{event.pk}@{host}",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            summary=event.title,
            modified_at=event.updated_at,
            description=event.description,
            location="En ligne" if event.online else event.place,
            url=request.build_absolute_uri(event.get_absolute_url()),
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
    event = get_object_or_404(Event.objects.published().with_resources(), slug=slug)
    form = RegistrationForm(data=request.POST)
    if not event.registers_here or not form.is_valid():
        context = event_context(event, preview=False, form=form)
        return render(request, "network/event_detail.html", context, status=400)
    registration_request(
        event=event,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        organisation=form.cleaned_data["organisation"],
        link_for=lambda registration: request.build_absolute_uri(registration.get_absolute_url()),
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
    a mail scanner opening the link confirms nothing), or cancel it."""
    registration = get_object_or_404(Registration.objects.select_related("event"), token=token)
    full = False
    if request.method == "POST":
        if request.POST.get("action") == "annuler":
            registration_cancel(registration=registration)
            return see_other(
                reverse("network:registration_cancelled", args=[registration.event.slug])
            )
        full = not registration_confirm(registration=registration)
        if not full:
            return see_other(registration.get_absolute_url())
    context = {
        "registration": registration,
        "event": registration.event,
        "full": full,
        "breadcrumbs": [("Agenda", reverse("network:agenda")), ("Mon inscription", None)],
    }
    response = render(request, "network/registration.html", context, status=409 if full else 200)
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
