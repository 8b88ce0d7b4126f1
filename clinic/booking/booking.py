"""The one door for every appointment write: book, reschedule, and each change of status.

Forms, the API, the self-booking pages, series and other apps (reminders, session notes) call
these functions; nothing else writes an Appointment. Each write runs in one transaction (on
SQLite an IMMEDIATE one, so the overlap check and the insert cannot race); on PostgreSQL the
exclusion constraints refuse what a concurrent request slipped past the check, and that
refusal comes back as the same BookingClash naming what clashed.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.accounts.models import Client, Therapist, User
from clinic.audit.history import acting
from clinic.core.clinic_time import clinic_zone
from clinic.core.errors import DomainError
from clinic.core.models import ClinicSettings
from intake.screening import Outcome
from intake.status import ScreeningStatus, screening_status

from . import transitions
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
from .emails import send_cancellation, send_confirmation, send_moved
from .models import Appointment, AppointmentStatus, Room, Service
from .signals import appointment_changed

S = AppointmentStatus
CONSTRAINT_KINDS = {
    "no_double_booked_therapist": THERAPIST,
    "no_double_booked_room": ROOM,
    "no_double_booked_client": CLIENT,
}


class BookingError(DomainError):
    """A booking refused for a reason the user can act on; `message` says it in plain words."""

    code = "BOOKING_REFUSED"
    code_in_body = False  # the booking API's contract: {field: [message]} or {"detail"}


class BookingClash(BookingError):
    """The visit overlaps something; `conflicts` names every clash."""

    code = "BOOKING_CLASH"
    status = 409

    def __init__(self, conflicts: list[Conflict]):
        lines = " ".join(c.message for c in conflicts)
        super().__init__(f"That time is not free. {lines}".strip())
        self.conflicts = conflicts

    def response_body(self) -> dict[str, object]:
        return {"detail": self.message, "conflicts": [c.as_dict() for c in self.conflicts]}

    def form_errors(self) -> list[tuple[str | None, str]]:
        return [(None, "That time is not free:"), *((None, c.message) for c in self.conflicts)]


class TransitionRefused(BookingError):
    """The visit's status does not allow the change (a clash with its state, so 409)."""

    code = "TRANSITION_REFUSED"
    status = 409

    def response_body(self) -> dict[str, object]:
        return {"detail": self.message, "conflicts": []}


def self_booking_refusal(status: ScreeningStatus) -> str | None:
    """Why a client may not book online given their screening status, or None when they may."""
    if status.outcome == Outcome.REFER:
        return "Your health form shows something a doctor should see first."
    if status.outcome == Outcome.CLEARANCE and not status.clearance_on_file:
        return "Your health form says we need a note from your healthcare provider first."
    return None


def plan_visit(
    client: Client, therapist: Therapist, room_id: int | None, service: Service, starts_at: datetime
) -> Visit:
    """The visit's end from the service's duration, and its busy time with the buffer."""
    ends_at = starts_at + service.duration
    return Visit(client.pk, therapist.pk, room_id, starts_at, ends_at, ends_at + service.buffer)


def _check_inputs(
    therapist: Therapist, room: Room | None, service: Service, starts_at: datetime, now: datetime
) -> None:
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


def clash_from_integrity_error(
    error: IntegrityError, visit: Visit, therapist: Therapist, exclude_pk: int | None = None
) -> BookingClash | None:
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


def _save(
    appointment: Appointment,
    visit: Visit,
    therapist: Therapist,
    *,
    exclude_pk: int | None = None,
    fields: list[str] | None = None,
) -> None:
    try:
        with transaction.atomic():
            appointment.save(update_fields=fields)
    except IntegrityError as error:
        clash = clash_from_integrity_error(error, visit, therapist, exclude_pk)
        if clash is None:
            raise
        raise clash from error


def _place(
    client: Client,
    therapist: Therapist,
    room: Room | None,
    service: Service,
    starts_at: datetime,
    exclude_pk: int | None = None,
    preferred: int | None = None,
) -> tuple[Visit, Room]:
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
    client: Client,
    therapist: Therapist,
    service: Service,
    starts_at: datetime,
    room: Room | None = None,
    booked_by: User | None = None,
    self_booked: bool = False,
    refer_override_reason: str = "",
    series: UUID | None = None,
    notify: bool = True,
    now: datetime | None = None,
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
        _announce(appointment, now)
        if notify:
            email_confirmation_on_commit([appointment])
    return appointment


def reschedule(
    appointment: Appointment,
    *,
    starts_at: datetime,
    therapist: Therapist | None = None,
    room: Room | None = None,
    notify: bool = True,
    now: datetime | None = None,
) -> Appointment:
    """Move a visit (optionally to another therapist or room); it goes back to `booked`.

    With `notify`, the client is emailed the old and the new time, with an .ics that moves the
    entry in their calendar, once the move is committed.
    """
    now = now or timezone.now()
    therapist = therapist or appointment.therapist
    with transaction.atomic():
        current = _locked(appointment, "reschedule")
        old_starts_at = current.starts_at
        moved_from = (current.therapist_id, current.room_id, old_starts_at, current.ends_at)
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
        current.status = transitions.TRANSITIONS["reschedule"].target
        _save(current, visit, therapist, exclude_pk=current.pk)
        _announce(current, now, moved_from=moved_from)
        if notify:
            _email_on_commit(send_moved, current.pk, old_starts_at=old_starts_at)
    _refresh(appointment, current)
    return appointment


def _locked(appointment: Appointment, action: str) -> Appointment:
    """The row, locked for this transaction, if its status allows the action."""
    current = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("client", "therapist__user", "room", "service")
        .get(pk=appointment.pk)
    )
    if refusal := transitions.status_refusal(current, action):
        raise TransitionRefused(refusal)
    return current


def _refresh(appointment: Appointment, current: Appointment) -> None:
    for field in Appointment._meta.concrete_fields:
        setattr(appointment, field.attname, getattr(current, field.attname))


def _transition(
    appointment: Appointment, action: str, now: datetime | None = None, **changes: object
) -> Appointment:
    """Take the action the transitions table allows, then save what else it changes."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(appointment, action)
        if refusal := transitions.timing_refusal(current, action, now, clinic_zone()):
            raise TransitionRefused(refusal)
        current.status = transitions.TRANSITIONS[action].target
        for name, value in changes.items():
            setattr(current, name, value)
        current.save(update_fields=["status", *changes, "updated_at"])
        _announce(current)
    _refresh(appointment, current)
    return appointment


def confirm(appointment: Appointment, *, now: datetime | None = None) -> Appointment:
    """The client confirmed they are coming (from a reminder, or by phone)."""
    return _transition(appointment, "confirm", now)


def check_in(appointment: Appointment, *, now: datetime | None = None) -> Appointment:
    """The client has arrived: allowed on the visit's own day (clinic time), not before."""
    now = now or timezone.now()
    return _transition(appointment, "check_in", now, checked_in_at=now)


def mark_no_show(appointment: Appointment, *, now: datetime | None = None) -> Appointment:
    """The client did not come: only once the visit has started. It frees the time."""
    return _transition(appointment, "no_show", now)


def complete(appointment: Appointment, *, now: datetime | None = None) -> Appointment:
    """The treatment took place."""
    return _transition(appointment, "complete", now)


def late_window_hours() -> int:
    """The clinic's late-cancellation window in hours (ClinicSettings, 24 by default)."""
    return int(ClinicSettings.load().late_cancel_window_hours)


def is_late_cancellation(appointment: Appointment, now: datetime | None = None) -> bool:
    """Cancelling now would be late: less than the clinic's window before the start."""
    window = timedelta(hours=late_window_hours())
    return appointment.starts_at - (now or timezone.now()) < window


def cancel(
    appointment: Appointment,
    *,
    by: User | None = None,
    reason: str = "",
    notify: bool = True,
    now: datetime | None = None,
) -> Appointment:
    """Cancel a visit, flagged late when less than 24 hours before its start. It frees the time.

    With `notify`, the client is emailed once the cancellation is committed, with an .ics that
    takes the visit out of their calendar.
    """
    now = now or timezone.now()
    with transaction.atomic(), acting(by):
        current = _locked(appointment, "cancel")
        current.status = transitions.TRANSITIONS["cancel"].target
        current.cancelled_at = now
        current.cancelled_by = by if by is not None and by.is_authenticated else None
        current.cancellation_reason = (reason or "").strip()
        current.late_cancellation = is_late_cancellation(current, now)
        current.save()
        _announce(current, now)
        if notify:
            _email_on_commit(send_cancellation, current.pk)
    _refresh(appointment, current)
    return appointment


def _announce(
    appointment: Appointment,
    now: datetime | None = None,
    moved_from: tuple[int, int, datetime, datetime] | None = None,
) -> None:
    """Tell the apps above booking (reminders, the waitlist) about the change, inside its
    transaction; a move says where the visit was (therapist id, room id, start, end)."""
    appointment_changed.send(
        sender=Appointment, appointment=appointment, now=now, moved_from=moved_from
    )


def _email_on_commit(send: Callable[..., bool], *args: object, **kwargs: object) -> None:
    # robust: a mail server that is down must not turn a committed change into an error page.
    transaction.on_commit(lambda: send(*args, **kwargs), robust=True)


def email_confirmation_on_commit(appointments: list[Appointment]) -> None:
    """Send the client one confirmation (with an .ics) once the transaction commits."""
    _email_on_commit(send_confirmation, [a.pk for a in appointments])
