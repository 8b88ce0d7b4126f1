from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    # "sessions" is django.contrib.sessions' label already.
    name = "sessions"
    label = "treatment"
    verbose_name = "Treatment plans and session notes"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
