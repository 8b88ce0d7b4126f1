"""Two gates every signed-in request passes: the session's time limits, then the second factor.

Both sit after AuthenticationMiddleware and MessageMiddleware (clinic/settings.py).
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from . import sessions, two_factor

ENDED = {
    "idle": "You were signed out because nothing happened for a while. Please sign in again.",
    "expired": "Your session reached its limit of hours. Please sign in again.",
}


def is_api(request):
    return request.path_info.startswith("/api/")


class SessionLimitMiddleware:
    """End a session that sat idle too long or passed its absolute cap; record activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            now = timezone.now()
            reason = sessions.why_ended(request.session, user, now)
            if reason is not None:
                logout(request)
                if is_api(request):
                    return JsonResponse(
                        {"detail": ENDED[reason], "code": "SESSION_ENDED"}, status=401
                    )
                messages.info(request, ENDED[reason])
                return redirect_to_login(request.get_full_path())
            sessions.touch(request.session, now)
        return self.get_response(request)


class TwoFactorGateMiddleware:
    """A staff session that still owes its second factor reaches only the sign-in pages (and
    the Django admin is no exception): enrol when they must and have not, verify otherwise."""

    OPEN_PATHS = ("/static/", "/favicon.ico", "/health/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        step = two_factor.step_due(session) if session is not None else None
        if step is None or request.path_info.startswith(self.OPEN_PATHS):
            return self.get_response(request)
        target = reverse(f"two-factor-{step}")
        if request.path_info in {target, reverse("logout"), reverse("session-keep-alive")}:
            return self.get_response(request)
        if is_api(request):
            return JsonResponse(
                {"detail": "Finish signing in with your second factor.", "code": "TWO_FACTOR_DUE"},
                status=403,
            )
        next_path = request.get_full_path() if request.method == "GET" else ""
        return redirect(f"{target}?{urlencode({'next': next_path})}" if next_path else target)
