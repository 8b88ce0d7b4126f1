"""No serving on the development key: a deployment with DEBUG off must bring its own SECRET_KEY.

A known key would let anyone sign sessions and reminder links. The refusal happens where the
app starts to serve or sign (WSGI, ASGI, the Celery worker and beat, `send_due_reminders`) and
in `check --deploy`, not at settings import, so commands that sign nothing (makemigrations,
collectstatic) still run on a bare checkout.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = "SECRET_KEY must be set in production (when DEBUG is off)."


def secret_key_missing() -> bool:
    return not settings.DEBUG and not settings.SECRET_KEY_FROM_ENVIRONMENT


def ensure_secret_key() -> None:
    """Refuse to start serving or signing on the development key."""
    if secret_key_missing():
        raise ImproperlyConfigured(MISSING_KEY)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    return [Error(MISSING_KEY, id="tranquil.E001")] if secret_key_missing() else []
