from django.apps import AppConfig


class KitConfig(AppConfig):
    name = "kit"
    verbose_name = "Kit pratique et parcours"

    def ready(self):
        from kit import signals
        from kit.search import PARCOURS
        from resources.search import OTHER_SOURCES

        signals.connect()
        # The catalogue's search shows the parcours it finds first.
        if PARCOURS not in OTHER_SOURCES:
            OTHER_SOURCES.insert(0, PARCOURS)
