"""The alerts' pages: « M'alerter » from a search, a theme or the agenda; the e-mailed
links (confirm, unsubscribe in one click, see and cancel all one's alerts)."""

import logging

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from alerts.digest import alert_labels, page_path
from alerts.enums import PAGE_NAMES, RESOURCES_NAMES, AlertKind
from alerts.forms import AlertForm, ManageLinkForm
from alerts.models import Alert, Subscriber
from alerts.queries import (
    agenda_labels,
    agenda_query,
    directory_labels,
    directory_query,
    search_labels,
    search_query,
)
from alerts.services import (
    alert_cancel,
    alert_confirm,
    alert_request,
    manage_link_send,
    subscriber_cancel_all,
)
from resources.index import library_index
from resources.models import Theme

logger = logging.getLogger(__name__)


def emails_rate(group, request):
    return f"{settings.DIAGNOSTIC_EMAILS_PER_HOUR}/h"


def see_other(url) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def private(response):
    """The pages behind an e-mailed link are nobody else's business."""
    response["X-Robots-Tag"] = "noindex"
    return response


def alert_form_page(request, *, kind, labels, back_url, query="", theme=None):
    """The form of a new alert (GET), or the request sent (POST, then the same answer
    whatever the address)."""
    form = AlertForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_robot:
            logger.info("Alerte : champ piège rempli, demande ignorée.")
        else:
            alert_request(
                email=form.cleaned_data["email"],
                kind=kind,
                frequency=form.cleaned_data["frequency"],
                site_url=request.build_absolute_uri("/"),
                query=query,
                theme=theme,
            )
        return see_other(reverse("alerts:sent"))
    context = {
        "form": form,
        "kind": kind,
        "names": PAGE_NAMES.get(kind, RESOURCES_NAMES),
        "labels": labels,
        "back_url": back_url,
        "breadcrumbs": [("Alertes", reverse("alerts:request_link")), ("M’alerter", None)],
    }
    return render(request, "alerts/new.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
def new_search(request):
    index = library_index()
    query = search_query(request.GET, index)
    return alert_form_page(
        request,
        kind=AlertKind.SEARCH,
        query=query,
        labels=search_labels(query, index),
        back_url="/ressources/" + (f"?{query}" if query else ""),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
def new_theme(request, slug):
    theme = get_object_or_404(Theme.objects.select_related("parent"), slug=slug)
    return alert_form_page(
        request,
        kind=AlertKind.THEME,
        theme=theme,
        labels=[f"Thème\u00a0: {theme.name}"],
        back_url=f"/ressources/?theme={theme.slug}",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
def new_agenda(request):
    query = agenda_query(request.GET)
    return alert_form_page(
        request,
        kind=AlertKind.AGENDA,
        query=query,
        labels=agenda_labels(query),
        back_url="/agenda/" + (f"?{query}" if query else ""),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
def new_directory(request):
    query = directory_query(request.GET)
    return alert_form_page(
        request,
        kind=AlertKind.DIRECTORY,
        query=query,
        labels=directory_labels(query),
        back_url="/reseau/" + (f"?{query}" if query else ""),
    )


@require_safe
def sent(request):
    context = {
        "breadcrumbs": [("Alertes", reverse("alerts:request_link")), ("Demande envoyée", None)]
    }
    return render(request, "alerts/sent.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """Confirm with a POST: a mail scanner opening the link confirms nothing."""
    alert = get_object_or_404(Alert.objects.select_related("subscriber", "theme"), token=token)
    if request.method == "POST":
        alert_confirm(alert=alert)
        return see_other(alert.get_absolute_url())
    context = {
        "alert": alert,
        "labels": alert_labels(alert),
        "page_url": page_path(alert),
        "breadcrumbs": [("Alertes", reverse("alerts:request_link")), ("Confirmer", None)],
    }
    return private(render(request, "alerts/confirm.html", context))


@never_cache
@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", no token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET: a button to confirm; POST (that button, or the mail client's one click):
    the alert is deleted, and the address with its last alert."""
    alert = Alert.objects.select_related("theme").filter(token=token).first()
    if request.method == "POST":
        if alert is not None:
            alert_cancel(alert=alert)
        crumbs = [("Alertes", reverse("alerts:request_link")), ("Désabonnement", None)]
        return private(render(request, "alerts/unsubscribed.html", {"breadcrumbs": crumbs}))
    if alert is None:
        raise Http404("Cette alerte n’existe plus.")
    context = {
        "alert": alert,
        "labels": alert_labels(alert),
        "breadcrumbs": [("Alertes", reverse("alerts:request_link")), ("Se désabonner", None)],
    }
    return private(render(request, "alerts/unsubscribe.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=emails_rate, method="POST", block=True)
def request_link(request):
    """The link of the page of one's alerts, sent by e-mail: the answer is the same
    whether the address has alerts or not."""
    form = ManageLinkForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_robot:
            manage_link_send(
                email=form.cleaned_data["email"], site_url=request.build_absolute_uri("/")
            )
        return see_other(reverse("alerts:link_sent"))
    context = {"form": form, "breadcrumbs": [("Alertes", None)]}
    return render(request, "alerts/request_link.html", context, status=400 if form.errors else 200)


@require_safe
def link_sent(request):
    context = {"breadcrumbs": [("Alertes", reverse("alerts:request_link")), ("Lien envoyé", None)]}
    return render(request, "alerts/link_sent.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    """One's alerts, each with its cancel button, and one to cancel them all."""
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST":
        if request.POST.get("action") == "tout-annuler":
            subscriber_cancel_all(subscriber=subscriber)
            return see_other(reverse("alerts:deleted"))
        chosen = request.POST.get("alerte", "")
        alert = subscriber.alerts.filter(pk=chosen).first() if chosen.isdigit() else None
        if alert is not None and alert_cancel(alert=alert):
            return see_other(reverse("alerts:deleted"))
        return see_other(subscriber.get_absolute_url())
    index = library_index()  # one read of the library's version for all the alerts
    alerts = [
        (alert, alert_labels(alert, index), page_path(alert))
        for alert in subscriber.alerts.select_related("theme")
    ]
    context = {
        "alerts": alerts,
        "breadcrumbs": [("Alertes", reverse("alerts:request_link")), ("Mes alertes", None)],
    }
    return private(render(request, "alerts/manage.html", context))


@require_safe
def deleted(request):
    context = {
        "breadcrumbs": [("Alertes", reverse("alerts:request_link")), ("Alertes supprimées", None)]
    }
    return render(request, "alerts/deleted.html", context)
