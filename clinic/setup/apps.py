from django.apps import AppConfig


class SetupConfig(AppConfig):
    name = "clinic.setup"
    label = "setup"
    verbose_name = "Clinic setup"
