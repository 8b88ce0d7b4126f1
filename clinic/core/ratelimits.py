"""Rate limits on what anyone on the internet can send: sign-in, registration, intake forms and
every signed-link page. Counted with django-ratelimit on the shared cache (Redis), so every web
process sees the same counts.

A view over its limit answers 429 with a short page (or JSON under /api/) before doing anything,
so nothing changes. The rates are settings (RATE_LIMITS in clinic/settings.py), by group.
"""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from clinic.accounts.client_ip import client_ip

TOO_MANY = "Too many requests from here. Please wait a few minutes and try again."


def by_ip(group, request):
    """The client's real address (the trusted proxy's header, never a client-sent one)."""
    return client_ip(request) or ""


def by_username(group, request):
    """The sign-in name posted, whatever its case, so a guessing run on one account is slowed
    down from any number of addresses."""
    return str(request.POST.get("username", "")).strip().lower()[:254]


# What each group counts by: the client's address, unless named here.
GROUP_KEYS = {"login_username": by_username}


def over_limit(request, group: str, methods=("POST",)) -> bool:
    """Count this request against `group`'s rate; True when it is one too many."""
    rate = settings.RATE_LIMITS.get(group)
    if not rate:
        return False
    return is_ratelimited(
        request,
        group=group,
        key=GROUP_KEYS.get(group, by_ip),
        rate=rate,
        method=list(methods),
        increment=True,
    )


def too_many_requests(request):
    """The 429 answer: JSON for the API, a page for people."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": TOO_MANY, "code": "RATE_LIMITED"}, status=429)
    return render(request, "429.html", {"message": TOO_MANY}, status=429)


def rate_limited(*groups: str, methods=("POST",)):
    """View decorator: over any of these groups' limits answers 429 before the view runs."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # Every group counts the request, so one exhausted limit does not spare the others.
            hits = [over_limit(request, group, methods) for group in groups]
            if any(hits):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
