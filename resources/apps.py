from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Bibliothèque de ressources"

    def ready(self):
        from resources import signals

        signals.connect()
