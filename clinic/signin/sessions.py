"""How long a signed-in session lasts: an idle limit by role and an absolute cap.

Staff sessions end after the clinic's `staff_idle_minutes` without a request, clients' portal
sessions after CLIENT_SESSION_IDLE_MINUTES, and every session SESSION_MAX_HOURS after sign-in,
however busy. The times live in the session itself, so the check costs no query. When an
account's standing changes (deactivation, a two-factor reset), `end_sessions` ends them all.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from clinic.accounts.roles import is_staff_member
from clinic.core.models import ClinicSettings

SIGNED_IN_AT = "signin:signed_in_at"
LAST_SEEN = "signin:last_seen"
# Writing the session on every request would cost a database write each; a minute is precise
# enough for limits counted in minutes.
TOUCH_EVERY = timedelta(seconds=60)


def idle_limit(user) -> timedelta:
    """How long this user's session may sit idle."""
    if is_staff_member(user):
        return timedelta(minutes=ClinicSettings.load().staff_idle_minutes)
    return timedelta(minutes=settings.CLIENT_SESSION_IDLE_MINUTES)


def absolute_limit() -> timedelta:
    return timedelta(hours=settings.SESSION_MAX_HOURS)


def start(session, now: datetime) -> None:
    """Mark a session as signed in now."""
    session[SIGNED_IN_AT] = now.timestamp()
    session[LAST_SEEN] = now.timestamp()


def why_ended(session, user, now: datetime) -> str | None:
    """`"idle"` or `"expired"` when the session is over, None while it may go on."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN)
    if signed_in_at is None or last_seen is None:
        return None
    if now.timestamp() - signed_in_at >= absolute_limit().total_seconds():
        return "expired"
    if now.timestamp() - last_seen >= idle_limit(user).total_seconds():
        return "idle"
    return None


def touch(session, now: datetime, *, force: bool = False) -> None:
    """Record activity, writing the session at most once per TOUCH_EVERY (unless forced)."""
    if SIGNED_IN_AT not in session or LAST_SEEN not in session:
        start(session, now)
    elif force or now.timestamp() - session[LAST_SEEN] >= TOUCH_EVERY.total_seconds():
        session[LAST_SEEN] = now.timestamp()


def seconds_left(session, user, now: datetime) -> int:
    """Seconds until the session ends if nothing happens (for the warning's timer)."""
    idle_end = session.get(LAST_SEEN, now.timestamp()) + idle_limit(user).total_seconds()
    hard_end = session.get(SIGNED_IN_AT, now.timestamp()) + absolute_limit().total_seconds()
    return max(0, int(min(idle_end, hard_end) - now.timestamp()))


def end_sessions(user, *, keep: str | None = None) -> int:
    """Delete every live session of the user's but the one keyed `keep` (the request's own),
    and say how many ended. The session table has no user column, so each one is decoded."""
    ended = []
    live = Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep)
    for session in live.iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
