from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "clinic.reports"
    label = "reports"
    verbose_name = "Reports"
