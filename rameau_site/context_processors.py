from django.urls import reverse

# The main sections, in navigation order: (label, URL name).
SECTIONS = [
    ("Kit pratique", "kit:index"),
    ("Ressources", "resources:list"),
    ("Cas pratiques", "resources:cases"),
    ("Diagnostic", "diagnostics:index"),
    ("Annuaire", "network:directory"),
    ("Agenda", "network:agenda"),
    ("Observatoire", "observatory:dashboard"),
]


def section_urls() -> list[tuple[str, str]]:
    return [(label, reverse(name)) for label, name in SECTIONS]


def site_urls() -> dict[str, str]:
    """The layout's fixed links (header and footer)."""
    return {name: reverse(name) for name in LAYOUT_LINKS}


LAYOUT_LINKS = ["home", "accessibility", "legal_notice", "privacy", "site_map"]


def navigation(request):
    """The header navigation, with the section of the current page marked, and the
    layout's links (reversing the nine URLs costs some 20 µs a page)."""
    return {
        "main_nav": [
            {"label": label, "url": url, "current": request.path.startswith(url)}
            for label, url in section_urls()
        ],
        "site_urls": site_urls(),
    }
