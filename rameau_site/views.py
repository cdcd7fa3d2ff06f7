"""Site-wide pages: home, footer pages, health check and error pages."""

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from diagnostics.duration import diagnostic_minutes, duration_rule
from diagnostics.enums import QuestionnaireStatus
from diagnostics.models import Questionnaire
from diagnostics.steps import questionnaire_structure
from kit.models import Parcours
from kit.progress import PROGRESS_RETENTION_DAYS
from observatory import opendata as observatory_opendata
from observatory.figures import key_figures
from rameau_site.caching import (
    HOME_PAGES,
    KIT_VERSION,
    OBSERVATORY_VERSION,
    QUESTIONNAIRE_VERSION,
    combined_version,
)
from rameau_site.health import report as health_report
from resources import api as resources_api

logger = logging.getLogger(__name__)

DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)


def _footer_page(request, template_name: str, title: str):
    context = {
        "breadcrumbs": [(title, None)],
        "publisher": settings.SITE_PUBLISHER,
        "contact_email": settings.SITE_CONTACT_EMAIL,
        # What manage.py purge_diagnostics deletes, as /diagnostic/ announces it.
        "retention_days": settings.DIAGNOSTIC_INCOMPLETE_RETENTION_DAYS,
        # What manage.py purge_progress deletes, as the progress page announces it.
        "progress_retention_days": PROGRESS_RETENTION_DAYS,
    }
    return render(request, template_name, context)


def home_version() -> str:
    """What the home page shows besides fixed text: the observatory's key figures and
    the length of the questionnaire in service, the « Commencer ici » parcours."""
    return combined_version(OBSERVATORY_VERSION, QUESTIONNAIRE_VERSION, KIT_VERSION)


@require_safe
@HOME_PAGES
def home(request):
    questionnaire = Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).first()
    context = {
        "key_figures": key_figures(),
        "diagnostic_minutes": diagnostic_minutes(questionnaire_structure(questionnaire))
        if questionnaire
        else None,
        "duration_rule": duration_rule(),
        "start_parcours": (
            Parcours.objects.published().with_totals().filter(start_here=True).first()
        ),
    }
    return render(request, "pages/home.html", context)


@require_safe
def accessibility(request):
    return _footer_page(request, "pages/accessibility.html", "Déclaration d’accessibilité")


@require_safe
def legal_notice(request):
    return _footer_page(request, "pages/legal_notice.html", "Mentions légales")


@require_safe
def privacy(request):
    return _footer_page(request, "pages/privacy.html", "Données personnelles")


@require_safe
def site_map(request):
    return _footer_page(request, "pages/site_map.html", "Plan du site")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # A person's own diagnostic (its token pages) stays private; the page that
        # presents the self-diagnostic (/diagnostic/) and its rules stay findable.
        "Disallow: /diagnostic/*/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@resources_api.read_only_api
def openapi(request):
    """The OpenAPI 3 document of the read-only API, assembled from each app's part."""
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "API du centre de ressources de la co-construction territoriale",
            "version": "1.0.0",
            "description": "API en lecture seule. Les paramètres de recherche sont ceux des pages.",
        },
        "servers": [{"url": request.build_absolute_uri("/").rstrip("/")}],
        "paths": resources_api.openapi_paths() | observatory_opendata.openapi_paths(),
        "components": {"schemas": resources_api.openapi_schemas()},
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@never_cache
@require_safe
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: database unavailable", exc_info=True)
        return JsonResponse(
            {"statut": "indisponible", "base_de_donnees": "injoignable"}, status=503
        )
    try:
        parts, degraded = health_report()
    except DatabaseError:  # the queue's tables missing (not migrated) or lost mid-way
        logger.warning("Health check: task queue unreadable", exc_info=True)
        parts, degraded = {"file_de_taches": "illisible"}, True
    status = "dégradé" if degraded else "ok"
    return JsonResponse(
        {"statut": status, "base_de_donnees": "ok"} | parts,
        json_dumps_params={"ensure_ascii": False},
    )


API_ERRORS = {
    400: "Requête incomprise.",
    403: "Accès refusé.",
    404: "Rien à cette adresse de l’API.",
    429: "Trop de requêtes\u00a0: réessayez plus tard.",
    500: "Erreur du serveur.",
    503: "Service momentanément indisponible\u00a0: réessayez dans quelques instants.",
}


def _error_page(request, template_name: str, status: int) -> HttpResponse:
    """Render an error page in the site layout, or for the API its JSON error. The
    layout needs no database; should rendering fail anyway, answer with a bare French
    page rather than nothing."""
    if request.path.startswith("/api/"):
        return resources_api.api_error(status, API_ERRORS[status])
    try:
        return render(request, template_name, status=status)
    except Exception:
        logger.exception("Error page %s could not be rendered", template_name)
        return HttpResponse(
            "<!doctype html><html lang='fr'><title>Erreur</title>"
            "<h1>Le service rencontre un problème</h1>"
            "<p>Veuillez réessayer dans quelques instants.</p></html>",
            status=status,
        )


def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


def server_error(request):
    # Called while the uncaught exception is being handled: a lost database is a
    # temporary outage (503, retry later), not a bug in the page (500).
    if isinstance(sys.exc_info()[1], DATABASE_DOWN_ERRORS):
        response = _error_page(request, "503.html", 503)
        response["Retry-After"] = "30"
        return response
    return _error_page(request, "500.html", 500)


def rate_limited(request, exception=None):
    """django-ratelimit's view for a client over a limit: a French 429."""
    response = _error_page(request, "429.html", 429)
    response["Retry-After"] = "3600"
    return response


def client_ip(request) -> str:
    """The client's address for rate limits: behind N proxies (DJANGO_PROXY_COUNT), the
    address the nearest trusted proxy saw, else the socket's."""
    count = settings.PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if count and len(forwarded) >= count and forwarded[-count]:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "") or "inconnu"


def csrf_failure(request, reason=""):
    return _error_page(request, "403_csrf.html", 403)
