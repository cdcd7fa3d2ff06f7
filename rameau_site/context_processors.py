import functools

from django.urls import reverse

# The main sections, in navigation order: (label, URL name).
SECTIONS = [
    ("Ressources", "resources:list"),
    ("Cas pratiques", "resources:cases"),
    ("Diagnostic", "diagnostics:index"),
    ("Observatoire", "observatory:dashboard"),
]


@functools.cache
def section_urls() -> list[tuple[str, str]]:
    return [(label, reverse(name)) for label, name in SECTIONS]


def navigation(request):
    """The header navigation, with the section of the current page marked."""
    return {
        "main_nav": [
            {"label": label, "url": url, "current": request.path.startswith(url)}
            for label, url in section_urls()
        ]
    }
