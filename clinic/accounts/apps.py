from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clinic.accounts"
    label = "accounts"
    verbose_name = "Accounts and people"

    def ready(self):
        from . import api_tokens  # noqa: F401  (token revocation receivers)
