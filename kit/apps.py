from django.apps import AppConfig


class KitConfig(AppConfig):
    name = "kit"
    verbose_name = "Kit pratique et parcours"

    def ready(self):
        from kit import signals

        signals.connect()
