from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clinic.core"
    label = "core"
    verbose_name = "Clinic settings"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check)
