"""What a client does with a visit from a reminder link: confirm it or cancel it.

The booking service makes the change (and flags a late cancellation); these functions say,
in one word, what happened, so the page and the API tell the client the same thing. Each is
safe to repeat: a second confirm or cancel changes nothing and says so.
"""

from django.utils import timezone

from clinic.booking import booking, transitions
from clinic.booking.models import AppointmentStatus

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


def confirm_visit(visit) -> str:
    """Confirm the visit through the booking service; returns what happened."""
    if (state := preview(visit, "confirm")) != READY:
        return state
    try:
        booking.confirm(visit)
    except booking.TransitionRefused:
        visit.refresh_from_db()  # changed by someone else a moment ago
        return preview(visit, "confirm")
    return CONFIRMED


def cancel_visit(visit, reason="") -> str:
    """Cancel the visit through the booking service (which flags a late cancellation)."""
    if (state := preview(visit, "cancel")) != READY:
        return state
    try:
        booking.cancel(visit, reason=reason or "Cancelled from a reminder link.")
    except booking.TransitionRefused:
        visit.refresh_from_db()
        return preview(visit, "cancel")
    return CANCELLED_LATE if visit.late_cancellation else CANCELLED


def is_late(visit, now=None) -> bool:
    return booking.is_late_cancellation(visit, now)
