"""The rules applied at send time: send now, defer (quiet hours), or skip with a reason.

Planning already follows the bookings and plans; these rules read the row's world again
when it is about to go, because a client may have opted out, withdrawn consent, cancelled or
filled in the intake since it was planned.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from clinic.booking.models import AppointmentStatus
from clinic.core.clinic_time import end_of_local_day, quiet_until
from intake.models import IntakeLink
from sessions.models import PlanStatus

from . import balance
from .channels import address, wanted_channels
from .models import Channel, Reminder, ReminderKind, ReminderStatus, SkipReason
from .planning import UPCOMING, intake_needed
from .practice import last_visit_at, rebook_due


@dataclass(frozen=True)
class Decision:
    """`send`, or `defer` until `until`, or `skip` with `reason`."""

    action: str
    reason: str = ""
    until: datetime | None = None


SEND = Decision("send")
# An intake link sent this recently is not sent again by a reminder.
JUST_SENT = timedelta(hours=24)


def skip(reason):
    return Decision("skip", reason=reason)


def _stale_reason(reminder, clinic, now) -> str | None:
    """Why the thing the reminder is about no longer needs it, or None."""
    kind = reminder.kind
    if kind in (ReminderKind.APPOINTMENT, ReminderKind.INTAKE):
        visit = reminder.appointment
        if visit.status == AppointmentStatus.CANCELLED:
            return SkipReason.CANCELLED_APPOINTMENT
        if visit.status not in UPCOMING or visit.starts_at <= now:
            return SkipReason.TOO_LATE
        if kind == ReminderKind.INTAKE and not intake_needed(reminder.client, visit.starts_at, now):
            return SkipReason.INTAKE_UP_TO_DATE
        if kind == ReminderKind.INTAKE and intake_link_just_sent(reminder, now):
            return SkipReason.INTAKE_LINK_JUST_SENT
        return None
    if kind == ReminderKind.BALANCE:
        return balance.stale_reason(reminder, clinic)
    plan = reminder.plan
    if plan.status != PlanStatus.ACTIVE:
        return SkipReason.PLAN_CHANGED
    due_now = kind == ReminderKind.REBOOK and rebook_due(
        plan, last_visit_at(plan.client_id), clinic.zone
    )
    if due_now and due_now != reminder.due_at:
        return SkipReason.VISIT_BOOKED
    return None


def intake_link_just_sent(reminder, now) -> bool:
    """The client got their intake link within JUST_SENT: from the clinic's staff, or from
    another intake reminder on this channel (a second one would only repeat it)."""
    since = now - JUST_SENT
    if IntakeLink.objects.filter(client_id=reminder.client_id, staff_sent_at__gte=since).exists():
        return True
    return (
        Reminder.objects.filter(
            client_id=reminder.client_id,
            kind=ReminderKind.INTAKE,
            channel=reminder.channel,
            status=ReminderStatus.SENT,
            sent_at__gte=since,
        )
        .exclude(pk=reminder.pk)
        .exists()
    )


def useful_until(reminder, zone) -> datetime | None:
    """After this a deferred reminder is pointless: the visit's start, the practice day's end."""
    if reminder.kind in (ReminderKind.APPOINTMENT, ReminderKind.INTAKE):
        return reminder.appointment.starts_at
    if reminder.kind == ReminderKind.PRACTICE:
        return end_of_local_day(reminder.due_at, zone)
    return None


def decide(reminder, clinic, now, opted_out: bool) -> Decision:
    """What to do with a due, pending reminder now (the row is locked by the caller);
    `opted_out` says whether the client opted out of the reminder's channel."""
    client = reminder.client
    if opted_out:
        return skip(SkipReason.OPTED_OUT)
    if reminder.channel == Channel.SMS and not client.sms_consent:
        return skip(SkipReason.NO_SMS_CONSENT)
    if reminder.channel not in wanted_channels(client):
        return skip(SkipReason.CHANNEL_CHANGED)
    if not address(client, reminder.channel):
        return skip(SkipReason.NO_ADDRESS)
    if reason := _stale_reason(reminder, clinic, now):
        return skip(reason)
    until = quiet_until(now, clinic.quiet_hours_start, clinic.quiet_hours_end, clinic.zone)
    if until is None:
        return SEND
    limit = useful_until(reminder, clinic.zone)
    if limit is not None and until >= limit:
        return skip(SkipReason.QUIET_HOURS)
    return Decision("defer", until=until)
