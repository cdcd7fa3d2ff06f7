from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project package as an app, for its system checks only (no models)."""

    name = "rameau_site"
    verbose_name = "Site"

    def ready(self):
        from rameau_site import checks  # noqa: F401 (registers the checks)
