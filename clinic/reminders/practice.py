"""Reminders that follow a treatment plan: home-care practice and the rebook nudge.

Practice reminders fall on the plan's home-care days at each item's preferred local time, a
rolling week ahead (the periodic planning task tops it up), built as local wall-clock times
and turned into UTC so a DST change keeps them at the same time on the client's clock.

A plan needs a visit within its frequency: when the client's latest visit (or the plan's
start, before any) is more than the frequency plus three days behind, with nothing booked
after it, a rebook nudge goes to the client and the plan shows on the front desk's list.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from clinic.booking.models import NOT_BLOCKING, Appointment
from clinic.core.clinic_time import at_local
from clinic.core.models import ClinicSettings
from sessions.models import PlanStatus, TreatmentPlan
from sessions.vocab import WEEKDAY_INDEX

from .channels import wanted_channels
from .models import Reminder, ReminderKind, SkipReason
from .plan_rows import sync

DAYS_AHEAD = 7
REBOOK_GRACE = timedelta(days=3)


def practice_times(plan: TreatmentPlan, now: datetime, zone, days=DAYS_AHEAD) -> set[datetime]:
    """The UTC instants of the plan's home-care sessions from now through the next `days`
    local days (never before the plan starts)."""
    slots = {
        (WEEKDAY_INDEX[day], time.fromisoformat(item["time"]))
        for item in plan.home_care
        for day in item.get("days", [])
    }
    today = now.astimezone(zone).date()
    found = set()
    for offset in range(days):
        day = today + timedelta(days=offset)
        if day < plan.starts_on:
            continue
        for weekday, wall in slots:
            if weekday == day.weekday() and (at := at_local(day, wall, zone)) > now:
                found.add(at)
    return found


def plan_practice(plan: TreatmentPlan, now=None) -> None:
    """Plan the next week of practice reminders for a plan (none, and pending ones skipped,
    once it is not active)."""
    now = now or timezone.now()
    channels = wanted_channels(plan.client)
    active = plan.status == PlanStatus.ACTIVE
    wanted = set()
    rows = Reminder.objects.filter(plan=plan, kind=ReminderKind.PRACTICE)
    if active:
        zone = ClinicSettings.load().zone
        times = practice_times(plan, now, zone)
        wanted = {(ReminderKind.PRACTICE, c, at) for at in times for c in channels}
        # Past rows are left to the dispatcher; only the week ahead is re-planned.
        rows = rows.filter(due_at__gt=now)

    def reason_for(row):
        if active and row.channel not in channels:
            return SkipReason.CHANNEL_CHANGED
        return SkipReason.PLAN_CHANGED

    sync(
        rows,
        wanted,
        client=plan.client,
        target={"plan": plan},
        creatable=lambda key: key[2] > now,
        reason_for=reason_for,
    )


def _latest_visit(client_ref):
    return (
        Appointment.objects.filter(client=client_ref)
        .exclude(status__in=NOT_BLOCKING)
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )


def last_visit_at(client_id) -> datetime | None:
    """The start of the client's latest visit that is not cancelled or a no-show (any time)."""
    return _latest_visit(client_id).values_list("starts_at", flat=True).first()


def rebook_due(plan: TreatmentPlan, last_visit_at: datetime | None, zone) -> datetime:
    """When a plan without a later booking needs its next visit: the latest visit (or the
    plan's start) plus the plan's frequency plus three days."""
    anchor = last_visit_at or at_local(plan.starts_on, time.min, zone)
    return anchor + timedelta(weeks=plan.frequency_weeks) + REBOOK_GRACE


def plan_rebook(plan: TreatmentPlan, now=None) -> None:
    """Plan the plan's rebook nudge at its rebook time (moved when a visit is booked)."""
    now = now or timezone.now()
    channels = wanted_channels(plan.client)
    active = plan.status == PlanStatus.ACTIVE
    wanted = set()
    if active:
        due_at = rebook_due(plan, last_visit_at(plan.client_id), ClinicSettings.load().zone)
        wanted = {(ReminderKind.REBOOK, c, due_at) for c in channels}

    def reason_for(row):
        if not active:
            return SkipReason.PLAN_CHANGED
        if row.channel not in channels:
            return SkipReason.CHANNEL_CHANGED
        return SkipReason.VISIT_BOOKED

    sync(
        Reminder.objects.filter(plan=plan, kind=ReminderKind.REBOOK),
        wanted,
        client=plan.client,
        target={"plan": plan},
        creatable=lambda key: True,
        reason_for=reason_for,
    )


def plan_for_plan(plan: TreatmentPlan, now=None) -> None:
    """Plan (or skip) a treatment plan's practice reminders and rebook nudge to match it; call
    it in the transaction that saves the plan."""
    now = now or timezone.now()
    plan_practice(plan, now)
    plan_rebook(plan, now)


def plan_rebook_for_client(client, now=None) -> None:
    """Re-plan the rebook nudge of the client's active plan, if any (after a booking change)."""
    plan = TreatmentPlan.objects.filter(client=client, status=PlanStatus.ACTIVE).first()
    if plan is not None:
        plan.client = client
        plan_rebook(plan, now)


def replan_active_plans(now=None) -> int:
    """Top up every active plan's week of practice reminders and its rebook nudge; run by the
    periodic planning task. Returns how many plans."""
    now = now or timezone.now()
    count = 0
    for plan in TreatmentPlan.objects.filter(status=PlanStatus.ACTIVE).select_related("client"):
        plan_for_plan(plan, now)
        count += 1
    return count


@dataclass(frozen=True)
class RebookEntry:
    plan: TreatmentPlan
    last_visit_at: datetime | None
    due_at: datetime


def rebook_list(now=None) -> list[RebookEntry]:
    """Active plans whose client has no visit booked within the plan's frequency plus three
    days, longest overdue first: the front desk's call list. One query."""
    now = now or timezone.now()
    zone = ClinicSettings.load().zone
    plans = (
        TreatmentPlan.objects.filter(status=PlanStatus.ACTIVE)
        .select_related("client")
        .annotate(last_visit_at=Subquery(_latest_visit(OuterRef("client_id"))))
    )
    entries = [
        RebookEntry(plan, plan.last_visit_at, rebook_due(plan, plan.last_visit_at, zone))
        for plan in plans
    ]
    return sorted((e for e in entries if e.due_at <= now), key=lambda e: e.due_at)
