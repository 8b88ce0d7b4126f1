"""Who a freed slot suits, and who gets it first.

An entry fits a slot when it waits for the slot's service, with the slot's therapist or any,
on the slot's weekday, inside its times and its dates (clinic local time), and the client has
not been offered this very slot before, has no visit at that time and did not just give this
time up. The first is the client
behind their treatment plan's frequency (their next visit is overdue today), then the one who
has waited longest.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max, Q
from django.utils import timezone

from clinic.booking.availability import Slot
from clinic.booking.models import LIVE, NOT_BLOCKING, Appointment
from clinic.core.clinic_time import clinic_zone, local
from sessions.models import PlanStatus, TreatmentPlan

from .models import EntryStatus, FreedSlot, Offer, WaitlistEntry


def fits(entry: WaitlistEntry, slot: FreedSlot | Slot, zone: ZoneInfo) -> bool:
    """The slot lies inside the entry's window (weekday, times, dates), in the clinic's zone."""
    start, end = local(slot.starts_at, zone), local(slot.ends_at, zone)
    if start.weekday() not in entry.weekdays or start.date() != end.date():
        return False
    if start.time() < entry.earliest or end.time() > entry.latest:
        return False
    if entry.starts_on and start.date() < entry.starts_on:
        return False
    return not (entry.ends_on and start.date() > entry.ends_on)


def behind_plan(client_ids: set[int], now: datetime) -> set[int]:
    """The clients whose active plan's next visit is overdue today (latest visit, or the plan's
    start, plus its frequency) and who have no visit booked ahead."""
    plans = dict(
        TreatmentPlan.objects.filter(client__in=client_ids, status=PlanStatus.ACTIVE).values_list(
            "client_id", "frequency_weeks"
        )
    )
    if not plans:
        return set()
    visits = Appointment.objects.filter(client__in=plans.keys()).exclude(status__in=NOT_BLOCKING)
    ahead = set(visits.filter(starts_at__gt=now).values_list("client_id", flat=True))
    last = dict(
        visits.filter(starts_at__lte=now)
        .values("client_id")
        .annotate(last=Max("starts_at"))
        .values_list("client_id", "last")
    )
    return {
        client_id
        for client_id, weeks in plans.items()
        if client_id not in ahead
        and (client_id not in last or last[client_id] + timedelta(weeks=weeks) <= now)
    }


def candidates(slot: FreedSlot, now: datetime | None = None) -> list[WaitlistEntry]:
    """Every waiting entry the slot suits, best first."""
    now = now or timezone.now()
    zone = clinic_zone()
    offered = Offer.objects.filter(therapist=slot.therapist_id, starts_at=slot.starts_at)
    # The client who just cancelled or moved the visit is not offered its time back.
    source = Appointment.objects.filter(pk=slot.source_id or 0).values("client_id")
    busy = Appointment.objects.filter(
        LIVE, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at
    ).values("client_id")
    entries = [
        entry
        for entry in WaitlistEntry.objects.filter(
            status=EntryStatus.WAITING, service=slot.service_id
        )
        .filter(Q(therapists=None) | Q(therapists=slot.therapist_id))
        .exclude(client__in=offered.values("client_id"))
        .exclude(client__in=busy)
        .exclude(client__in=source)
        .select_related("client")
        .distinct()
        if fits(entry, slot, zone)
    ]
    behind = behind_plan({e.client_id for e in entries}, now)
    entries.sort(key=lambda e: (e.client_id not in behind, e.created_at, e.pk))
    return entries


def best_match(slot: FreedSlot, now: datetime | None = None) -> WaitlistEntry | None:
    """The entry to offer the slot to next, or None when nobody waiting fits it."""
    found = candidates(slot, now)
    return found[0] if found else None
