from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "clinic.reminders"
    label = "reminders"
    verbose_name = "Reminders"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
