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


class NoStoreMiddleware:
    """Keep health data out of browser and proxy caches: `Cache-Control: no-store, private`.

    Applies to every response to a signed-in user (pages, PDFs, documents; DRF sets the user on
    the underlying request too, so token-authenticated API calls count), every API response and
    every page reached by a signed link (intake forms, reminder links, the calendar feed), whose
    token stands in for a sign-in. Static files never reach here: WhiteNoise answers them first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.carries_private_data(request):
            response["Cache-Control"] = "no-store, private"
        return response

    @staticmethod
    def carries_private_data(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        match = request.resolver_match
        if match is not None and "token" in match.kwargs:
            return True
        return request.path_info.startswith("/api/")
