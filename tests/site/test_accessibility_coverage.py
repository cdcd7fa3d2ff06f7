"""Every public HTML page of the site is checked with axe-core by a browser test: a new
route without one fails here."""

from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.browser import (
    test_agenda,
    test_alerts,
    test_collective,
    test_diagnostic,
    test_directory,
    test_kit_pages,
    test_library_pages,
    test_observatory,
    test_roadmap,
    test_site_pages,
)

# Routes that answer with something other than an HTML page for visitors, and why.
NOT_HTML_PAGES = {
    "health": "JSON",
    "robots_txt": "texte",
    "sitemap": "XML",
    "openapi": "JSON",
    "resources:feed": "Atom",
    "resources:document": "PDF",
    "resources:api_list": "JSON",
    "resources:api_detail": "JSON",
    "resources:preview": "réservée à l'équipe (admin)",
    "diagnostics:questionnaire_json": "JSON",
    "diagnostics:resume": "redirection",
    "diagnostics:send_link": "POST puis redirection",
    "diagnostics:results_json": "JSON",
    "diagnostics:redo": "POST puis redirection",
    "diagnostics:campaign_json": "JSON",
    "diagnostics:campaign_qr": "SVG",
    "diagnostics:campaign_send": "POST puis redirection",
    "diagnostics:campaign_status": "POST puis redirection",
    "diagnostics:roadmap_ics": "iCalendar",
    "diagnostics:campaign_roadmap_ics": "iCalendar",
    "observatory:csv": "CSV",
    "observatory:datapackage": "JSON",
    "observatory:api": "JSON",
    "kit:preview": "réservée à l'équipe (admin)",
    "kit:start": "POST puis redirection",
    "kit:progress_step": "POST puis redirection",
    "kit:send_link": "POST puis redirection",
    "network:agenda_ics": "iCalendar",
    "network:feed": "Atom",
    "network:preview": "réservée à l'équipe (admin)",
    "network:register": "POST puis redirection",
    "network:event_ics": "iCalendar",
    "network:contact": "POST puis redirection (ses erreurs : test_directory)",
}


def route_names(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin" or str(pattern.pattern).startswith("admin/"):
                continue
            yield from route_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_public_page_is_checked_with_axe():
    visited = [
        *test_site_pages.PAGES,
        *test_library_pages.PAGES,
        *test_observatory.PAGES,
        *test_kit_pages.PAGES,
        *test_agenda.PAGES,
        *test_alerts.PAGES,
        *test_directory.PAGES,
    ]
    checked = {resolve(path.split("?")[0]).view_name for path in visited}
    checked |= set(test_diagnostic.ROUTES_CHECKED) | set(test_collective.ROUTES_CHECKED)
    checked |= set(test_roadmap.ROUTES_CHECKED)

    unchecked = set(route_names()) - checked - set(NOT_HTML_PAGES)

    assert not unchecked, f"Pages sans test axe : {sorted(unchecked)}"
    assert not set(NOT_HTML_PAGES) - set(route_names())  # the list above is not stale
