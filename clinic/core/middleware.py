from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone

from .inputs import UNSTORABLE_TEXT, is_storable_text
from .models import ClinicSettings

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


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


class ClinicSettingsPerRequestMiddleware:
    """Read the clinic's settings from the cache once per request, however many parts of it
    ask (the session limits, the time zone, the templates' context)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with ClinicSettings.kept_for_request():
            return self.get_response(request)


class RefuseUnstorableInputMiddleware:
    """A query or form field with NUL in it is a 400 before any view runs: PostgreSQL cannot
    store or even compare such text, so a search or a login would otherwise answer 500.
    (JSON bodies are checked by the API's parser, clinic/core/parsers.py.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                fields.append(request.POST)
            except (SuspiciousOperation, MultiPartParserError) as error:
                # Too many fields or a broken body: refused here, in JSON under /api/, rather
                # than as Django's HTML 400 page the API's schema does not describe.
                return self.refusal(request, str(error) or "The request body cannot be read.")
        for data in fields:
            for key, values in data.lists():
                if not all(is_storable_text(text) for text in [key, *values]):
                    return self.refusal(request)
        return self.get_response(request)

    @staticmethod
    def refusal(request, message=UNSTORABLE_TEXT):
        """The API answers in JSON, as its schema documents; pages in plain text."""
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message)


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
