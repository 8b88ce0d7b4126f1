"""Time newly open (hours added or lengthened, time off taken back, a closure removed) offered to
the waitlist, within the coming `HORIZON`.

Free time is not a slot until someone wants it: a therapist's new Saturday holds thirty starts,
and offering each would send thirty overlapping offers. So each waiting client, best first, gets
the earliest free time in the opened stretches that suits their window and therapists; it
becomes a freed slot (reason `hours`) offered to them through the same rows and constraints as a
cancellation's. No two slots made here overlap (therapist or room), none overlaps a slot already
open, and each client gets one such offer. A lapse or a decline then moves each slot on to the
next client as usual.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.booking.availability import Slot, free_slots
from clinic.booking.models import Service
from clinic.booking.signals import Opening
from clinic.core.clinic_time import at_local, local_date, quiet_until
from clinic.core.models import ClinicSettings

from .matching import behind_plan, candidates, fits
from .models import (
    EntryStatus,
    FreedReason,
    FreedSlot,
    Offer,
    OfferKind,
    SlotStatus,
    WaitlistEntry,
)
from .offering import hold, make_offer

HORIZON = timedelta(days=14)
# Free times tried per client before moving on (the client may be busy at each of them).
TRIES = 3


def opened_spans(
    opening: Opening, start: datetime, end: datetime, zone: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """The opening's stretches of time inside [start, end), the weekly blocks made concrete."""
    spans = [(max(a, start), min(b, end)) for a, b in opening.spans if a < end and b > start]
    day, last = local_date(start, zone), local_date(end, zone)
    while day <= last:
        for weekday, first, until in opening.weekly:
            if weekday == day.weekday():
                a, b = at_local(day, first, zone), at_local(day, until, zone)
                if a < end and b > start:
                    spans.append((max(a, start), min(b, end)))
        day += timedelta(days=1)
    return sorted(spans)


def _free_in(
    service: Service,
    spans: list[tuple[datetime, datetime]],
    therapist_ids: frozenset[int] | None,
    earliest: datetime,
) -> list[Slot]:
    """Free starts for the service whose visit overlaps an opened stretch (so it could not be
    booked before), earliest first; one free-slot search per service."""
    found = free_slots(service, spans[0][0] - service.duration, spans[-1][1], now=earliest)
    return [
        slot
        for slot in found
        if (therapist_ids is None or slot.therapist_id in therapist_ids)
        and any(slot.starts_at < b and slot.ends_at > a for a, b in spans)
    ]


Taken = list[tuple[int, int | None, datetime, datetime]]  # therapist, room, start, busy until


def _clashes(slot: Slot, busy_until: datetime, taken: Taken) -> bool:
    return any(
        (slot.therapist_id == therapist or slot.room_id == room)
        and slot.starts_at < until
        and busy_until > start
        for therapist, room, start, until in taken
    )


def offer_opened(opening: Opening, now: datetime | None = None) -> list[Offer]:
    """Offer newly open time to the waiting clients it suits, one slot each (see the module's
    docstring); runs inside the change that opened it. Returns the offers made."""
    now = now or timezone.now()
    clinic = ClinicSettings.load()
    zone = clinic.zone
    # Held from the end of quiet hours, the offer must still end before the visit starts.
    until = quiet_until(now, clinic.quiet_hours_start, clinic.quiet_hours_end, zone)
    earliest = (until or now) + hold(clinic)
    spans = opened_spans(opening, earliest, now + HORIZON, zone)
    if not spans:
        return []
    entries = list(
        WaitlistEntry.objects.filter(status=EntryStatus.WAITING, service__is_active=True)
        .select_related("client", "service")
        .prefetch_related("therapists")
    )
    behind = behind_plan({e.client_id for e in entries}, now)
    entries.sort(key=lambda e: (e.client_id not in behind, e.created_at, e.pk))
    taken: Taken = [
        (slot.therapist_id, slot.room_id, slot.starts_at, slot.ends_at)
        for slot in FreedSlot.objects.filter(
            status=SlotStatus.OPEN, starts_at__lt=spans[-1][1], ends_at__gt=spans[0][0]
        )
    ]
    free: dict[int, list[Slot]] = {}
    served: set[int] = set()
    offers = []
    for entry in entries:
        if entry.pk in served:
            continue
        if entry.service_id not in free:
            free[entry.service_id] = _free_in(entry.service, spans, opening.therapist_ids, earliest)
        wanted = {t.pk for t in entry.therapists.all()}
        tries = 0
        for slot in free[entry.service_id]:
            busy_until = slot.ends_at + entry.service.buffer
            if (wanted and slot.therapist_id not in wanted) or not fits(entry, slot, zone):
                continue
            if _clashes(slot, busy_until, taken):
                continue
            offer = _offer_time(slot, entry, served, clinic, now)
            if offer is not None:
                taken.append((slot.therapist_id, slot.room_id, slot.starts_at, busy_until))
                served.add(offer.entry_id)
                offers.append(offer)
                break
            tries += 1
            if tries >= TRIES:
                break
    return offers


def _offer_time(
    slot: Slot, entry: WaitlistEntry, served: set[int], clinic: ClinicSettings, now: datetime
) -> Offer | None:
    """The free time as an open freed slot, offered to the best waiting client it suits who has
    no offer from this opening yet (usually `entry`); None, and no slot, when nobody fits."""
    freed = FreedSlot(
        therapist_id=slot.therapist_id,
        room_id=slot.room_id,
        service=entry.service,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        reason=FreedReason.HOURS,
        freed_at=now,
    )
    best = next((e for e in candidates(freed, now) if e.pk not in served), None)
    if best is None:
        return None
    try:
        with transaction.atomic():
            freed.save()
    except IntegrityError:
        return None  # a cancellation opened this very time meanwhile; it is offered already
    return make_offer(freed, best, kind=OfferKind.AUTOMATIC, by=None, clinic=clinic, now=now)
