"""An appointment's life in one table: each action, the statuses it may start from, where it
leads, and when in the visit's day it makes sense.

The booking service enforces it, the schedule pages draw their buttons from it and the reminder
links read it, so a button is shown exactly when the service would accept its press.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from .models import Appointment, AppointmentStatus

S = AppointmentStatus
# Why an action cannot happen yet at `now`, or None when it can.
TimingRule = Callable[[Appointment, datetime, ZoneInfo], str | None]


def _on_its_day(visit: Appointment, now: datetime, zone: ZoneInfo) -> str | None:
    if timezone.localtime(now, zone).date() < timezone.localtime(visit.starts_at, zone).date():
        return "A visit can be checked in on its day, not before."
    return None


def _started(visit: Appointment, now: datetime, zone: ZoneInfo) -> str | None:
    if now < visit.starts_at:
        return "A visit that has not started yet cannot be a no-show."
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button
    done: str  # how a refusal says it: "A completed visit cannot be {done}."
    sources: frozenset[str]
    target: str  # the status the visit moves to
    timing: TimingRule | None = None


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("confirm", "Confirm", "confirmed", frozenset({S.BOOKED}), S.CONFIRMED),
        Transition(
            "check_in",
            "Check in",
            "checked in",
            frozenset({S.BOOKED, S.CONFIRMED}),
            S.CHECKED_IN,
            _on_its_day,
        ),
        Transition(
            "no_show",
            "No-show",
            "marked as a no-show",
            frozenset({S.BOOKED, S.CONFIRMED}),
            S.NO_SHOW,
            _started,
        ),
        Transition("complete", "Done", "completed", frozenset({S.CHECKED_IN}), S.COMPLETED),
        Transition(
            "cancel", "Cancel", "cancelled", frozenset({S.BOOKED, S.CONFIRMED}), S.CANCELLED
        ),
        Transition(
            "reschedule", "Move", "rescheduled", frozenset({S.BOOKED, S.CONFIRMED}), S.BOOKED
        ),
    )
}


def allows(status: str, action: str) -> bool:
    """True when a visit in `status` may take `action` (timing aside)."""
    return status in TRANSITIONS[action].sources


def actions_from(status: str) -> set[str]:
    """Every action a visit in `status` may take (timing aside)."""
    return {t.action for t in TRANSITIONS.values() if status in t.sources}


def status_refusal(visit: Appointment, action: str) -> str | None:
    """Why the visit's status refuses the action, in plain words, or None."""
    if allows(visit.status, action):
        return None
    return f"A {visit.get_status_display().lower()} visit cannot be {TRANSITIONS[action].done}."


def timing_refusal(visit: Appointment, action: str, now: datetime, zone: ZoneInfo) -> str | None:
    """Why the action cannot happen yet at `now`, or None."""
    rule = TRANSITIONS[action].timing
    return rule(visit, now, zone) if rule else None


def actions_now(visit: Appointment, now: datetime, zone: ZoneInfo) -> set[str]:
    """Every action the visit may take at `now`: its status allows it and its timing does not
    refuse it (so a visit days ahead offers no Check in and no No-show)."""
    return {
        action
        for action in actions_from(visit.status)
        if timing_refusal(visit, action, now, zone) is None
    }
