from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clinic.core"
    label = "core"
    verbose_name = "Clinic settings"

    def ready(self):
        from clinic.accounts import querysets

        from . import checks  # noqa: F401  (registers the deploy check)
        from .clinic_time import care_horizon

        # Accounts, the layer below, decides who treats whom but cannot read the clinic's clock
        # and settings: the care window's end is handed to it here, once, at start-up.
        querysets.use_care_horizon(care_horizon)
