"""Sign-in starts the session's clocks (and, for staff, the second-factor step)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from . import sessions, two_factor


@receiver(user_logged_in, dispatch_uid="signin-started")
def signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    sessions.start(request.session, timezone.now())
    two_factor.begin_sign_in(request.session, user)
