from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "clinic.front"
    label = "front"
    verbose_name = "Pages"
