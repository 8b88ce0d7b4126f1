"""The one door for every appointment write: book, reschedule, and each change of status.

Forms, the API, the self-booking pages, series and other apps (reminders, session notes) call
these functions; nothing else writes an Appointment. Each write runs in one transaction (on
SQLite an IMMEDIATE one, so the overlap check and the insert cannot race); on PostgreSQL the
exclusion constraints refuse what a concurrent request slipped past the check, and that
refusal comes back as the same BookingClash naming what clashed.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.audit.history import acting
from clinic.reminders.planning import plan_for_appointment
from intake.screening import Outcome
from intake.status import screening_status

from .clinic_time import clinic_zone, local_date
from .conflicts import (
    CLIENT,
    ROOM,
    THERAPIST,
    Conflict,
    Visit,
    find_conflicts,
    free_room,
    preferred_room_id,
)
from .models import Appointment, AppointmentStatus

S = AppointmentStatus
LATE_CANCELLATION = timedelta(hours=24)
# Which status each action may start from: anything else is refused with a reason.
ALLOWED_FROM = {
    "confirm": {S.BOOKED},
    "check_in": {S.BOOKED, S.CONFIRMED},
    "no_show": {S.BOOKED, S.CONFIRMED},
    "complete": {S.CHECKED_IN},
    "cancel": {S.BOOKED, S.CONFIRMED},
    "reschedule": {S.BOOKED, S.CONFIRMED},
}
ACTION_NAMES = {
    "confirm": "confirmed",
    "check_in": "checked in",
    "no_show": "marked as a no-show",
    "complete": "completed",
    "cancel": "cancelled",
    "reschedule": "rescheduled",
}
CONSTRAINT_KINDS = {
    "no_double_booked_therapist": THERAPIST,
    "no_double_booked_room": ROOM,
    "no_double_booked_client": CLIENT,
}


class BookingError(Exception):
    """A booking refused for a reason the user can act on; `message` says it in plain words."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class BookingClash(BookingError):
    """The visit overlaps something; `conflicts` names every clash."""

    def __init__(self, conflicts: list[Conflict]):
        lines = " ".join(c.message for c in conflicts)
        super().__init__(f"That time is not free. {lines}".strip())
        self.conflicts = conflicts


class TransitionRefused(BookingError):
    pass


def self_booking_refusal(status) -> str | None:
    """Why a client may not book online given their screening status, or None when they may."""
    if status.outcome == Outcome.REFER:
        return "Your health form shows something a doctor should see first."
    if status.outcome == Outcome.CLEARANCE and not status.clearance_on_file:
        return "Your health form says we need a note from your healthcare provider first."
    return None


def plan_visit(client, therapist, room_id, service, starts_at) -> Visit:
    """The visit's end from the service's duration, and its busy time with the buffer."""
    ends_at = starts_at + service.duration
    return Visit(client.pk, therapist.pk, room_id, starts_at, ends_at, ends_at + service.buffer)


def _check_inputs(therapist, room, service, starts_at, now):
    if timezone.is_naive(starts_at):
        raise BookingError("Give the start time with its UTC offset.", "start")
    if not service.is_active:
        raise BookingError(f"{service.name} is no longer offered.", "service")
    if not therapist.is_active:
        raise BookingError(f"{therapist.name} is not taking bookings.", "therapist")
    if room is not None and not room.is_active:
        raise BookingError(f"{room.name} is not in use.", "room")
    if starts_at < now:
        raise BookingError("That time has already passed.", "start")


def is_exclusion_violation(error: IntegrityError) -> str | None:
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) != "23P01":
        return None
    return getattr(getattr(cause, "diag", None), "constraint_name", None) or ""


def clash_from_integrity_error(error: IntegrityError, visit: Visit, therapist, exclude_pk=None):
    """The BookingClash an exclusion-constraint refusal stands for, or None for other errors."""
    constraint = is_exclusion_violation(error)
    if constraint is None:
        return None
    # The winner has committed by now, so the check sees what the database saw.
    conflicts = [
        c
        for c in find_conflicts(visit, therapist, exclude_pk)
        if c.kind in (THERAPIST, ROOM, CLIENT)
    ]
    if not conflicts:
        kind = CONSTRAINT_KINDS.get(constraint, THERAPIST)
        conflicts = [Conflict(kind, f"The {kind} was booked at that time a moment ago.")]
    return BookingClash(conflicts)


def _save(appointment: Appointment, visit: Visit, therapist, *, exclude_pk=None, fields=None):
    try:
        with transaction.atomic():
            appointment.save(update_fields=fields)
    except IntegrityError as error:
        clash = clash_from_integrity_error(error, visit, therapist, exclude_pk)
        if clash is None:
            raise
        raise clash from error


def _place(
    client, therapist, room, service, starts_at, exclude_pk=None, preferred=None
) -> tuple[Visit, object]:
    """The visit with its room (the one asked for, or a free one), refused if anything clashes."""
    visit = plan_visit(client, therapist, room.pk if room else None, service, starts_at)
    if room is None:
        preferred = preferred or preferred_room_id(therapist, starts_at)
        room = free_room(visit, preferred, exclude_pk)
        if room is None:
            conflicts = find_conflicts(visit, therapist, exclude_pk)
            raise BookingClash([*conflicts, Conflict(ROOM, "No room is free at that time.")])
        visit = plan_visit(client, therapist, room.pk, service, starts_at)
    conflicts = find_conflicts(visit, therapist, exclude_pk)
    if conflicts:
        raise BookingClash(conflicts)
    return visit, room


def book(
    *,
    client,
    therapist,
    service,
    starts_at: datetime,
    room=None,
    booked_by=None,
    self_booked=False,
    refer_override_reason="",
    series=None,
    notify=True,
    now=None,
) -> Appointment:
    """Book one visit, or raise BookingError (BookingClash naming every clash).

    The end comes from the service, the busy time adds its buffer; with no room, the therapist's
    usual room or any free one is used. A client whose screening is `refer` needs a typed
    `refer_override_reason`; online (`self_booked`) a `refer` or uncleared `clearance` is
    refused. The client gets a confirmation email with an .ics file once it is committed.
    """
    now = now or timezone.now()
    _check_inputs(therapist, room, service, starts_at, now)
    status = screening_status(client, now)
    if self_booked and (refusal := self_booking_refusal(status)):
        raise BookingError(refusal)
    refer_override_reason = (refer_override_reason or "").strip()
    if status.outcome == Outcome.REFER and not refer_override_reason and not self_booked:
        raise BookingError(
            "This client's screening says refer: type why the visit is booked anyway.",
            "refer_override_reason",
        )
    with transaction.atomic(), acting(booked_by):
        visit, room = _place(client, therapist, room, service, starts_at)
        appointment = Appointment(
            client=client,
            therapist=therapist,
            room=room,
            service=service,
            starts_at=visit.starts_at,
            ends_at=visit.ends_at,
            busy_until=visit.busy_until,
            booked_by=booked_by,
            booked_at=now,
            self_booked=self_booked,
            series=series,
            refer_override_reason=refer_override_reason if status.outcome == Outcome.REFER else "",
        )
        _save(appointment, visit, therapist)
        plan_for_appointment(appointment, now)
        if notify:
            email_confirmation_on_commit([appointment])
    return appointment


def reschedule(appointment, *, starts_at, therapist=None, room=None, now=None):
    """Move a visit (optionally to another therapist or room); it goes back to `booked`."""
    now = now or timezone.now()
    therapist = therapist or appointment.therapist
    with transaction.atomic():
        current = _locked(appointment, "reschedule")
        _check_inputs(therapist, room, current.service, starts_at, now)
        # Without a room asked for, the visit keeps its room when that is free then.
        keep = current.room_id if therapist.pk == current.therapist_id else None
        visit, room = _place(
            current.client,
            therapist,
            room,
            current.service,
            starts_at,
            exclude_pk=current.pk,
            preferred=keep,
        )
        current.therapist, current.room = therapist, room
        current.starts_at, current.ends_at, current.busy_until = (
            visit.starts_at,
            visit.ends_at,
            visit.busy_until,
        )
        current.status = S.BOOKED
        _save(current, visit, therapist, exclude_pk=current.pk)
        plan_for_appointment(current, now)
        email_confirmation_on_commit([current])
    _refresh(appointment, current)
    return appointment


def _locked(appointment, action) -> Appointment:
    """The row, locked for this transaction, if its status allows the action."""
    current = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("client", "therapist__user", "room", "service")
        .get(pk=appointment.pk)
    )
    if current.status not in ALLOWED_FROM[action]:
        raise TransitionRefused(
            f"A {current.get_status_display().lower()} visit cannot be {ACTION_NAMES[action]}."
        )
    return current


def _refresh(appointment, current):
    for field in Appointment._meta.concrete_fields:
        setattr(appointment, field.attname, getattr(current, field.attname))


def _transition(appointment, action, check=None, **changes) -> Appointment:
    with transaction.atomic():
        current = _locked(appointment, action)
        if check:
            check(current)
        for name, value in changes.items():
            setattr(current, name, value)
        current.save(update_fields=[*changes, "updated_at"])
        plan_for_appointment(current)
    _refresh(appointment, current)
    return appointment


def confirm(appointment, *, now=None) -> Appointment:
    """The client confirmed they are coming (from a reminder, or by phone)."""
    return _transition(appointment, "confirm", status=S.CONFIRMED)


def check_in(appointment, *, now=None) -> Appointment:
    """The client has arrived: allowed on the visit's own day (clinic time), not before."""
    now = now or timezone.now()
    zone = clinic_zone()

    def on_the_day(current):
        if local_date(now, zone) < local_date(current.starts_at, zone):
            raise TransitionRefused("A visit can be checked in on its day, not before.")

    return _transition(appointment, "check_in", on_the_day, status=S.CHECKED_IN, checked_in_at=now)


def mark_no_show(appointment, *, now=None) -> Appointment:
    """The client did not come: only once the visit has started. It frees the time."""
    now = now or timezone.now()

    def started(current):
        if now < current.starts_at:
            raise TransitionRefused("A visit that has not started yet cannot be a no-show.")

    return _transition(appointment, "no_show", started, status=S.NO_SHOW)


def complete(appointment, *, now=None) -> Appointment:
    """The treatment took place."""
    return _transition(appointment, "complete", status=S.COMPLETED)


def is_late_cancellation(appointment, now=None) -> bool:
    """Cancelling now would be late: less than 24 hours before the start."""
    return appointment.starts_at - (now or timezone.now()) < LATE_CANCELLATION


def cancel(appointment, *, by=None, reason="", now=None) -> Appointment:
    """Cancel a visit, flagged late when less than 24 hours before its start. It frees the time."""
    now = now or timezone.now()
    with transaction.atomic(), acting(by):
        current = _locked(appointment, "cancel")
        current.status = S.CANCELLED
        current.cancelled_at = now
        current.cancelled_by = by if by is not None and by.is_authenticated else None
        current.cancellation_reason = (reason or "").strip()
        current.late_cancellation = is_late_cancellation(current, now)
        current.save()
        plan_for_appointment(current, now)
    _refresh(appointment, current)
    return appointment


def email_confirmation_on_commit(appointments):
    """Send the client one confirmation (with an .ics) once the transaction commits."""
    from .emails import send_confirmation

    ids = [a.pk for a in appointments]
    transaction.on_commit(lambda: send_confirmation(ids), robust=True)
