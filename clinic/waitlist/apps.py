from django.apps import AppConfig


class WaitlistConfig(AppConfig):
    name = "clinic.waitlist"
    label = "waitlist"
    verbose_name = "Waitlist"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
