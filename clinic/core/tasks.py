from celery import shared_task
from django.utils import timezone

from .models import ClinicSettings


@shared_task
def ping():
    """Answers "pong": lets tests and operators see a worker pick up work."""
    return "pong"


@shared_task
def heartbeat():
    """Run by beat every minute; the admin home shows when the worker was last seen."""
    ClinicSettings.load()
    ClinicSettings.objects.filter(pk=1).update(worker_seen_at=timezone.now())
