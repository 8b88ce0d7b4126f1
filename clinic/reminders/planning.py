"""Planning reminders: the rows that should exist for a visit or a plan, kept in step with it.

Booking announces each visit change and the treatment app each plan change through signals
sent inside their own transaction (receivers.py), so a rolled-back booking plans nothing.
Planning is idempotent: it works out the reminders wanted now, creates the missing ones
(ignoring a row a concurrent planner just made: the unique key refuses a second), skips
pending ones no longer wanted with the reason, and revives rows it skipped itself when they
are wanted again (a visit moved back to its first time). Sent, failed and rule-skipped rows
are history and stay as they are.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.models import ClinicSettings
from intake.status import screening_status

from .channels import wanted_channels
from .models import Reminder, ReminderKind, ReminderStatus, SkipReason
from .plan_rows import sync
from .practice import plan_rebook_for_client

# The intake reminder goes this long before a visit the intake will not cover.
INTAKE_LEAD = timedelta(hours=48)
UPCOMING = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)


def intake_needed(client, starts_at, now) -> bool:
    """True when the client has no intake that will still count at the visit."""
    status = screening_status(client, now)
    return status.needs_intake or status.valid_until <= starts_at


def plan_for_appointment(appointment: Appointment, now=None) -> None:
    """Plan, move or skip a visit's reminders to match it; call it in the booking transaction.

    A booked or confirmed visit gets a reminder at each of the clinic's lead times still ahead
    on each of the client's channels, and an intake reminder 48 hours before it when the
    intake is missing or will have expired by then. A cancelled visit's pending reminders are
    skipped ("cancelled appointment"), a moved one's are moved. The client's rebook nudge is
    re-planned too, since the visit may be the one that answers it.
    """
    now = now or timezone.now()
    client, starts_at = appointment.client, appointment.starts_at
    channels = wanted_channels(client)
    upcoming = appointment.status in UPCOMING
    wanted = set()
    if upcoming:
        for hours in ClinicSettings.load().reminder_lead_hours:
            due_at = starts_at - timedelta(hours=hours)
            wanted |= {(ReminderKind.APPOINTMENT, c, due_at) for c in channels}
        if intake_needed(client, starts_at, now):
            wanted |= {(ReminderKind.INTAKE, c, starts_at - INTAKE_LEAD) for c in channels}

    def creatable(key):
        kind, _, due_at = key
        # An intake reminder whose time has passed still goes (now); a missed "in 48 hours" not.
        return starts_at > now and (kind == ReminderKind.INTAKE or due_at > now)

    def reason_for(row):
        if appointment.status == AppointmentStatus.CANCELLED:
            return SkipReason.CANCELLED_APPOINTMENT
        if not upcoming:
            return SkipReason.TOO_LATE
        if row.channel not in channels:
            return SkipReason.CHANNEL_CHANGED
        if row.kind == ReminderKind.INTAKE:
            return SkipReason.INTAKE_UP_TO_DATE
        return SkipReason.RESCHEDULED

    sync(
        Reminder.objects.filter(appointment=appointment),
        wanted,
        client=client,
        target={"appointment": appointment},
        creatable=creatable,
        reason_for=reason_for,
    )
    plan_rebook_for_client(client, now)


def replan_upcoming(now=None) -> int:
    """Re-plan every visit ahead that has a pending reminder or is close enough to get one
    (the longest lead time plus a day), so a changed channel, consent, intake or lead time
    shows before they are sent; run by the periodic planning task and after the reminder
    settings change. Returns how many visits."""
    now = now or timezone.now()
    horizon = timedelta(hours=max(ClinicSettings.load().reminder_lead_hours), days=1)
    visits = (
        Appointment.objects.filter(status__in=UPCOMING, starts_at__gt=now)
        .filter(
            Q(starts_at__lte=now + horizon)
            | Q(pk__in=Reminder.objects.filter(status=ReminderStatus.PENDING).values("appointment"))
        )
        .select_related("client")
    )
    count = 0
    for appointment in visits:
        plan_for_appointment(appointment, now)
        count += 1
    return count
