"""The Celery app: configured from Django settings (CELERY_*), tasks found in every app."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def refuse_without_secret_key(**kwargs):
    """A worker or beat would sign reminder links: not with the development key."""
    from django.core.exceptions import ImproperlyConfigured

    from clinic.core.checks import ensure_secret_key

    try:
        ensure_secret_key()
    except ImproperlyConfigured as error:
        # Celery logs and swallows a receiver's exception; leaving is the refusal it heeds.
        raise SystemExit(f"ImproperlyConfigured: {error}") from error
