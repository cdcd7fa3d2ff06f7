from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Réseau et agenda"

    def ready(self):
        from network import signals

        signals.connect()
