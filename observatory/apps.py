from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "observatory"
    verbose_name = "Observatoire des partenariats"

    def ready(self):
        from observatory import signals

        signals.connect()
