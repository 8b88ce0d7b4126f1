"""What a client may do with their own visits online: book with the clinic's minimum notice,
cancel or move up to the clinic's cut-off before the visit.

Each function checks the clinic's online rule, then goes through the booking service (which
keeps its own rules: the late-cancellation flag, clashes, the status table). Later than the
cut-off the client calls the clinic; the desk's pages and the API for staff are not limited.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clinic.accounts.models import Client, Therapist, User
from clinic.audit.history import acting
from clinic.core.models import ClinicSettings

from . import booking, transitions
from .availability import earliest_online_start, is_closed
from .booking import BookingError
from .models import Appointment, Service


class OnlineCutoffPassed(BookingError):
    """Too close to the visit to change it online: the client calls the clinic instead."""

    code = "ONLINE_CUTOFF_PASSED"
    status = 409
    code_in_body = True


class ClinicClosed(BookingError):
    """The clinic is closed that day (a holiday), or the service is not booked online."""

    code = "CLINIC_CLOSED"
    status = 400
    code_in_body = True


class InsideMinimumNotice(BookingError):
    """A start sooner than the clinic's minimum notice for online booking."""

    code = "ONLINE_MIN_NOTICE"
    status = 400
    code_in_body = True


def cutoff() -> timedelta:
    return timedelta(hours=ClinicSettings.load().online_cancel_cutoff_hours)


def change_deadline(visit: Appointment) -> datetime:
    """The last moment the client may cancel or move the visit online."""
    return visit.starts_at - cutoff()


def can_change_online(visit: Appointment, now: datetime | None = None) -> bool:
    """The visit may still be cancelled or moved online: its status allows it and the cut-off
    has not passed (the same question the buttons and the refusal ask)."""
    return transitions.allows(visit.status, "cancel") and (now or timezone.now()) < change_deadline(
        visit
    )


def _call_the_clinic() -> str:
    clinic = ClinicSettings.load()
    call = f"please call the clinic at {clinic.phone}" if clinic.phone else "please call the clinic"
    return (
        f"A visit can be changed online up to {clinic.online_cancel_cutoff_hours} hours "
        f"before it starts; {call}."
    )


def _check_cutoff(visit: Appointment, now: datetime) -> None:
    if not can_change_online(visit, now):
        if refusal := transitions.status_refusal(visit, "cancel"):
            raise booking.TransitionRefused(refusal)
        raise OnlineCutoffPassed(_call_the_clinic())


def check_open(starts_at: datetime) -> None:
    """Refuse a start on a day the whole clinic is closed (a holiday)."""
    if is_closed(starts_at):
        raise ClinicClosed("The clinic is closed that day. Please choose another day.", "start")


def check_notice(starts_at: datetime, now: datetime | None = None) -> None:
    """Refuse a start inside the clinic's minimum notice for online booking."""
    if starts_at < earliest_online_start(now):
        hours = ClinicSettings.load().online_min_notice_hours
        raise InsideMinimumNotice(
            f"Online, a visit can be booked at least {hours} hours ahead. "
            "Please choose a later time, or call the clinic.",
            "start",
        )


def card_first() -> bool:
    """Online booking asks for a card on file before it books (billing keeps the card): the
    clinic's setting, meaningful only when a Stripe gateway is configured."""
    return (
        settings.PAYMENT_GATEWAY == "stripe"
        and ClinicSettings.load().require_card_for_online_booking
    )


def book_online(
    *,
    client: Client,
    therapist: Therapist,
    service: Service,
    starts_at: datetime,
    by: User,
    now: datetime | None = None,
) -> Appointment:
    """The client books themselves (self-booked), no sooner than the minimum notice, on a day
    the clinic is open, for a service offered online."""
    check_notice(starts_at, now)
    if not service.online_bookable:
        raise ClinicClosed("This service is booked by calling the clinic.", "service")
    check_open(starts_at)
    return booking.book(
        client=client,
        therapist=therapist,
        service=service,
        starts_at=starts_at,
        booked_by=by,
        self_booked=True,
        now=now,
    )


def _locked(visit: Appointment) -> Appointment:
    return Appointment.objects.select_for_update(of=("self",)).get(pk=visit.pk)


def cancel_online(visit: Appointment, *, by: User, now: datetime | None = None) -> Appointment:
    """The client cancels their visit, refused past the cut-off; the booking service flags it
    late by its own 24-hour rule."""
    now = now or timezone.now()
    with transaction.atomic():
        _check_cutoff(_locked(visit), now)
        return booking.cancel(visit, by=by, reason="Cancelled online by the client.", now=now)


def reschedule_online(
    visit: Appointment, *, starts_at: datetime, by: User, now: datetime | None = None
) -> Appointment:
    """The client moves their visit to another free time with the same therapist, refused
    past the cut-off, inside the minimum notice or on a day the clinic is closed; a taken time
    raises BookingClash."""
    now = now or timezone.now()
    with transaction.atomic(), acting(by):
        _check_cutoff(_locked(visit), now)
        check_notice(starts_at, now)
        check_open(starts_at)
        return booking.reschedule(visit, starts_at=starts_at, now=now)
