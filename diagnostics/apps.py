from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "Autodiagnostic de maturité"

    def ready(self):
        from diagnostics import signals

        signals.connect()
