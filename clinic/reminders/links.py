"""Signed links in reminders: confirm, cancel, "I did it" and opt out.

Each token carries only the reminder's id, signed with a salt of its own purpose (a confirm
token cannot cancel) and its signing time, so it expires after that purpose's lifetime.
Clicking twice is harmless because each action reads the state it would change first.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from clinic.core.errors import DomainError

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


class LinkProblem(DomainError):
    """The link cannot be used; `reason` is `invalid` (400) or `expired` (410)."""

    MESSAGES = {"invalid": "This link is not valid.", "expired": "This link has expired."}
    code_in_body = False  # the link API's contract: {"detail"}

    def __init__(self, reason: str):
        super().__init__(
            self.MESSAGES[reason],
            code=f"LINK_{reason.upper()}",
            status=410 if reason == "expired" else 400,
        )
        self.reason = reason


def _salt(purpose):
    return f"reminders.link.{purpose}"


def make_token(reminder: Reminder, purpose: str) -> str:
    return signing.dumps(reminder.pk, salt=_salt(purpose))


def link_url(reminder: Reminder, purpose: str) -> str:
    """The absolute URL of a link, for putting in an email or a text message."""
    return settings.SITE_URL + reverse(URL_NAMES[purpose], args=[make_token(reminder, purpose)])


def read_token(token: str, purpose: str) -> Reminder:
    """The reminder a token stands for, or LinkProblem when it is forged, expired or misused."""
    try:
        pk = signing.loads(token, salt=_salt(purpose), max_age=MAX_AGE[purpose])
    except signing.SignatureExpired as error:
        raise LinkProblem("expired") from error
    except signing.BadSignature as error:
        raise LinkProblem("invalid") from error
    if not isinstance(pk, int):
        raise LinkProblem("invalid")
    reminder = (
        Reminder.objects.select_related("client", "appointment", "plan__therapist__user")
        .filter(pk=pk, kind__in=KINDS[purpose])
        .first()
    )
    if reminder is None:
        raise LinkProblem("invalid")
    return reminder
