"""Signed links in reminders: confirm, cancel, "I did it" and opt out.

Each token carries only the reminder's id, signed with a salt of its own purpose (a confirm
token cannot cancel) and its signing time, so it expires after that purpose's lifetime.
Clicking twice is harmless because each action reads the state it would change first.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from clinic.core import tokens

from .models import Reminder, ReminderKind

CONFIRM, CANCEL, DONE, OPT_OUT = "confirm", "cancel", "done", "opt_out"
MAX_AGE = {
    CONFIRM: timedelta(days=14),
    CANCEL: timedelta(days=14),
    DONE: timedelta(days=3),
    OPT_OUT: timedelta(days=90),
}
URL_NAMES = {
    CONFIRM: "reminder-confirm",
    CANCEL: "reminder-cancel",
    DONE: "reminder-done",
    OPT_OUT: "reminder-opt-out",
}
# The reminders each purpose belongs to; opt-out links are in every reminder.
KINDS = {
    CONFIRM: {ReminderKind.APPOINTMENT},
    CANCEL: {ReminderKind.APPOINTMENT},
    DONE: {ReminderKind.PRACTICE},
    OPT_OUT: set(ReminderKind),
}


class LinkProblem(tokens.LinkError):
    """The link cannot be used; `reason` is `invalid` (400) or `expired` (410)."""

    code_in_body = False  # the link API's contract: {"detail"}


def _salt(purpose):
    return f"reminders.link.{purpose}"


def make_token(reminder: Reminder, purpose: str) -> str:
    return tokens.make_token(reminder.pk, salt=_salt(purpose))


def link_url(reminder: Reminder, purpose: str) -> str:
    """The absolute URL of a link, for putting in an email or a text message."""
    return settings.SITE_URL + reverse(URL_NAMES[purpose], args=[make_token(reminder, purpose)])


def read_token(token: str, purpose: str) -> Reminder:
    """The reminder a token stands for, or LinkProblem when it is forged, expired or misused."""
    pk = tokens.read_token(
        token, salt=_salt(purpose), max_age=MAX_AGE[purpose], expect=int, error=LinkProblem
    )
    reminder = (
        Reminder.objects.select_related("client", "appointment", "plan__therapist__user")
        .filter(pk=pk, kind__in=KINDS[purpose])
        .first()
    )
    if reminder is None:
        raise LinkProblem("invalid")
    return reminder
