"""Planning reminders: the rows that should exist for a visit or a plan, kept in step with it.

Booking announces each visit change and the treatment app each plan change through signals
sent inside their own transaction (receivers.py), so a rolled-back booking plans nothing.
Planning is idempotent: it works out the reminders wanted now, creates the missing ones
(ignoring a row a concurrent planner just made: the unique key refuses a second), skips
pending ones no longer wanted with the reason, and revives rows it skipped itself when they
are wanted again (a visit moved back to its first time). Sent, failed and rule-skipped rows
are history and stay as they are.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import F, Q
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
    return _needs_intake(screening_status(client, now), starts_at)


def _needs_intake(status, starts_at) -> bool:
    return status.needs_intake or status.valid_until <= starts_at


def next_intake_visit(client, now, status=None) -> tuple[int, datetime] | None:
    """(pk, start) of the client's next upcoming visit their intake will not cover, or None.

    A client is reminded of the intake once, before this visit, however many visits they have
    booked: one form covers them all.
    """
    status = status or screening_status(client, now)
    visits = Appointment.objects.filter(client=client, status__in=UPCOMING, starts_at__gt=now)
    if not status.needs_intake:
        visits = visits.filter(starts_at__gte=status.valid_until)
    return visits.order_by("starts_at", "pk").values_list("pk", "starts_at").first()


def plan_for_appointment(appointment: Appointment, now=None) -> None:
    """Plan, move or skip a visit's reminders to match it; call it in the booking transaction.

    A booked or confirmed visit gets a reminder at each of the clinic's lead times still ahead
    on each of the client's channels. The client's next visit the intake will not cover gets
    an intake reminder 48 hours before it; their later visits get none while it is pending
    (see follow_intake_visit). A cancelled visit's pending reminders are skipped ("cancelled
    appointment"), a moved one's are moved. The client's rebook nudge is re-planned too,
    since the visit may be the one that answers it.
    """
    now = now or timezone.now()
    client, starts_at = appointment.client, appointment.starts_at
    channels = wanted_channels(client)
    upcoming = appointment.status in UPCOMING
    status = screening_status(client, now)
    intake_visit = next_intake_visit(client, now, status)
    is_intake_visit = intake_visit is not None and intake_visit[0] == appointment.pk
    wanted = set()
    if upcoming:
        for hours in ClinicSettings.load().reminder_lead_hours:
            due_at = starts_at - timedelta(hours=hours)
            wanted |= {(ReminderKind.APPOINTMENT, c, due_at) for c in channels}
        if is_intake_visit:
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
        if row.kind == ReminderKind.INTAKE and not is_intake_visit:
            return _intake_reason(status, starts_at)
        return SkipReason.RESCHEDULED

    sync(
        Reminder.objects.filter(appointment=appointment),
        wanted,
        client=client,
        target={"appointment": appointment},
        creatable=creatable,
        reason_for=reason_for,
    )
    follow_intake_visit(client, intake_visit, status, channels, now, planned=appointment.pk)
    plan_rebook_for_client(client, now)


def _intake_reason(status, starts_at) -> str:
    """Why a visit's intake reminder is not wanted while the visit is still ahead."""
    if _needs_intake(status, starts_at):
        return SkipReason.INTAKE_EARLIER_VISIT
    return SkipReason.INTAKE_UP_TO_DATE


def follow_intake_visit(client, intake_visit, status, channels, now, *, planned=None) -> None:
    """Keep the client's intake reminders on `intake_visit` alone: plan (or revive) its own,
    skip pending ones on their other upcoming visits. `planned` is the visit just planned,
    whose own rows plan_for_appointment has already kept in step."""
    rows = (
        Reminder.objects.filter(
            client=client,
            kind=ReminderKind.INTAKE,
            appointment__status__in=UPCOMING,
            appointment__starts_at__gt=now,
        )
        .exclude(appointment=planned)
        .annotate(visit_starts_at=F("appointment__starts_at"))
    )
    if intake_visit is None or intake_visit[0] == planned:
        rows = rows.filter(status=ReminderStatus.PENDING)
    else:
        rows = rows.filter(Q(status=ReminderStatus.PENDING) | Q(appointment=intake_visit[0]))
    by_visit = defaultdict(list)
    for row in rows:
        by_visit[row.appointment_id].append(row)
    if intake_visit is not None and intake_visit[0] != planned:
        by_visit.setdefault(intake_visit[0], [])

    def reason_for(row):
        if row.channel not in channels:
            return SkipReason.CHANNEL_CHANGED
        if intake_visit is not None and row.appointment_id == intake_visit[0]:
            return SkipReason.RESCHEDULED
        return _intake_reason(status, row.visit_starts_at)

    for visit_pk, visit_rows in by_visit.items():
        wanted = set()
        if intake_visit is not None and visit_pk == intake_visit[0]:
            due_at = intake_visit[1] - INTAKE_LEAD
            wanted = {(ReminderKind.INTAKE, c, due_at) for c in channels}
        sync(
            visit_rows,
            wanted,
            client=client,
            target={"appointment_id": visit_pk},
            creatable=lambda key: True,  # the visit is ahead; a passed due time goes at once
            reason_for=reason_for,
        )


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


def intake_received(client, now=None) -> int:
    """Skip the client's pending intake reminders for the visits their new intake covers
    ("intake received"), and plan one for a later visit it will not cover. Returns how many
    were skipped."""
    now = now or timezone.now()
    status = screening_status(client, now)
    skipped = Reminder.objects.filter(
        client=client, kind=ReminderKind.INTAKE, status=ReminderStatus.PENDING
    )
    if not status.needs_intake:
        skipped = skipped.filter(appointment__starts_at__lt=status.valid_until)
    count = skipped.update(
        status=ReminderStatus.SKIPPED,
        skip_reason=SkipReason.INTAKE_RECEIVED,
        claimed_at=None,
        updated_at=now,
    )
    intake_visit = next_intake_visit(client, now, status)
    follow_intake_visit(client, intake_visit, status, wanted_channels(client), now)
    return count
