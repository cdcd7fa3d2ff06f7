from django.urls import reverse

# The main sections, in navigation order: (label, URL name).
SECTIONS = [
    ("Ressources", "resources:list"),
    ("Cas pratiques", "resources:cases"),
    ("Diagnostic", "diagnostics:index"),
    ("Observatoire", "observatory:dashboard"),
]


def navigation(request):
    """The header navigation, with the section of the current page marked."""
    items = []
    for label, name in SECTIONS:
        url = reverse(name)
        items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return {"main_nav": items}
