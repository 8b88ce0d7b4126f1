from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "clinic.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self):
        from . import receivers  # noqa: F401  (connects booking's appointment_changed)
