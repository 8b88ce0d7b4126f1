"""Permission-matrix rows for reminders (see tests/access/__init__.py).

The links in reminders are public: their signed token is the key. Reminder settings are the
clinic admin's; the front desk and admins send a failed reminder again.
"""

from datetime import timedelta

from django.utils import timezone

from clinic.accounts.models import Role
from clinic.reminders import links
from clinic.reminders.models import Reminder

from . import PUBLIC, STAFF, Route

DESK = frozenset({Role.FRONT_DESK, Role.CLINIC_ADMIN})


def _reminder(world, kind, status, **target):
    due_at = timezone.now() - timedelta(hours=1)
    return Reminder.objects.create(
        kind=kind,
        client=world.client,
        channel="email",
        due_at=due_at,
        next_attempt_at=due_at,
        status=status,
        sent_at=due_at if status == "sent" else None,
        **target,
    )


def add_to_world(world):
    """A sent reminder for the booking world's visit and one for the treatment world's plan,
    and a failed one."""
    world.visit_reminder = _reminder(world, "appointment", "sent", appointment=world.appointment)
    world.practice_reminder = _reminder(world, "practice", "sent", plan=world.plan)
    world.failed_reminder = _reminder(world, "rebook", "failed", plan=world.plan)


def token(purpose, reminder="visit_reminder"):
    return lambda w: {"token": links.make_token(getattr(w, reminder), purpose)}


ROUTES = {
    "reminder-confirm": Route(PUBLIC, token(links.CONFIRM)),
    "reminder-cancel": Route(PUBLIC, token(links.CANCEL)),
    "reminder-done": Route(PUBLIC, token(links.DONE, "practice_reminder")),
    "reminder-opt-out": Route(PUBLIC, token(links.OPT_OUT)),
    "reminder-settings": Route(frozenset({Role.CLINIC_ADMIN})),
    "reminder-retry": Route(DESK, lambda w: {"pk": w.failed_reminder.pk}, method="post"),
}


def opt_out_link(w):
    return {"token": links.make_token(w.visit_reminder, links.OPT_OUT)}


ROUTES |= {
    "api-reminders": Route(STAFF),
    "api-reminder-retry": Route(DESK, lambda w: {"pk": w.failed_reminder.pk}, method="post"),
    "api-reminder-rebook": Route(DESK),
    "api-reminder-settings": Route(frozenset({Role.CLINIC_ADMIN})),
    "api-reminder-link": Route(
        PUBLIC, lambda w: {"purpose": links.OPT_OUT}, method="post", data=opt_out_link
    ),
}
