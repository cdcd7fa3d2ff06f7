from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Réseau et agenda"

    def ready(self):
        from network import signals
        from network.models import Event
        from rameau_site.caching import AGENDA_VERSION

        signals.connect()
        AGENDA_VERSION.follow([Event])  # the agenda's cached pages (network/views.py)
