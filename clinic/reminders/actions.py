"""What a client does with a visit from a reminder link: confirm it or cancel it.

The booking service makes the change (and flags a late cancellation); these functions say,
in one word, what happened, so the page and the API tell the client the same thing. Each is
safe to repeat: a second confirm or cancel changes nothing and says so.
"""

from django.utils import timezone

from clinic.booking import booking, transitions
from clinic.booking.models import AppointmentStatus

from .models import LinkResponse, Reminder

READY = "ready"
CONFIRMED, ALREADY_CONFIRMED = "confirmed", "already_confirmed"
CANCELLED, CANCELLED_LATE, ALREADY_CANCELLED = "cancelled", "cancelled_late", "already_cancelled"
VISIT_CANCELLED, VISIT_PASSED = "visit_cancelled", "visit_passed"


def preview(visit, action, now=None) -> str:
    """What the link would find: `ready` when the action is possible, else why not."""
    now = now or timezone.now()
    if visit.status == AppointmentStatus.CANCELLED:
        return ALREADY_CANCELLED if action == "cancel" else VISIT_CANCELLED
    if action == "confirm" and visit.status == AppointmentStatus.CONFIRMED:
        return ALREADY_CONFIRMED
    if visit.starts_at <= now or not transitions.allows(visit.status, action):
        return VISIT_PASSED
    return READY


def _answered(reminder: Reminder | None, response: str) -> None:
    """Remember which reminder's link the client used, and how (the reports count these)."""
    if reminder is not None:
        Reminder.objects.filter(pk=reminder.pk).update(
            response=response, responded_at=timezone.now()
        )


def confirm_visit(visit, reminder: Reminder | None = None) -> str:
    """Confirm the visit through the booking service; returns what happened. `reminder` is the
    one whose link was used."""
    if (state := preview(visit, "confirm")) != READY:
        return state
    try:
        booking.confirm(visit)
    except booking.TransitionRefused:
        visit.refresh_from_db()  # changed by someone else a moment ago
        return preview(visit, "confirm")
    _answered(reminder, LinkResponse.CONFIRMED)
    return CONFIRMED


def cancel_visit(visit, reason="", reminder: Reminder | None = None) -> str:
    """Cancel the visit through the booking service (which flags a late cancellation)."""
    if (state := preview(visit, "cancel")) != READY:
        return state
    try:
        booking.cancel(visit, reason=reason or "Cancelled from a reminder link.")
    except booking.TransitionRefused:
        visit.refresh_from_db()
        return preview(visit, "cancel")
    _answered(reminder, LinkResponse.CANCELLED)
    return CANCELLED_LATE if visit.late_cancellation else CANCELLED


def is_late(visit, now=None) -> bool:
    return booking.is_late_cancellation(visit, now)
