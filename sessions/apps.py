from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    # "sessions" is django.contrib.sessions' label already.
    name = "sessions"
    label = "treatment"
    verbose_name = "Treatment plans and session notes"
