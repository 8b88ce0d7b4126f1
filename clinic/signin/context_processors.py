from django.conf import settings
from django.utils import timezone

from . import sessions


def session_timer(request):
    """What the idle warning (static/js/session-timeout.js) needs: seconds left, the idle limit
    and when to warn; nothing for anonymous visitors."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not user.is_authenticated:
        return {}
    return {
        "session_timer": {
            "seconds_left": sessions.seconds_left(session, user, timezone.now()),
            "idle_seconds": int(sessions.idle_limit(user).total_seconds()),
            "warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
        }
    }
