from django.utils import timezone

from .models import ClinicSettings


class ClinicTimezoneMiddleware:
    """Show every time in the clinic's zone; the database keeps UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(ClinicSettings.load().zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
