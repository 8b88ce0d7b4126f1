from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "clinic.signin"
    label = "signin"
    verbose_name = "Sign-in"

    def ready(self):
        from . import receivers  # noqa: F401
