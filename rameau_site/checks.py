"""System checks of this site's own settings, shown by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def legal_pages_check(app_configs, **kwargs):
    """The legal notice, the privacy page and the accessibility statement need who
    publishes the site and how to reach them: no placeholder in production."""
    if settings.DEBUG:
        return []
    missing = {
        "DJANGO_SITE_PUBLISHER": (
            "rameau_site.W001",
            settings.SITE_PUBLISHER,
            "l’éditeur du site (nom, adresse, hébergeur, directeur de publication)",
        ),
        "DJANGO_CONTACT_EMAIL": (
            "rameau_site.W002",
            settings.SITE_CONTACT_EMAIL,
            "l’adresse de contact de l’équipe (formulaire de contact, droits sur les données)",
        ),
    }
    return [
        Warning(
            f"{variable} n’est pas renseigné : les mentions légales, la page des données "
            f"personnelles et la déclaration d’accessibilité n’indiquent pas {what}.",
            hint=f"Définissez la variable d’environnement {variable}.",
            id=check_id,
        )
        for variable, (check_id, value, what) in missing.items()
        if not value.strip()
    ]
