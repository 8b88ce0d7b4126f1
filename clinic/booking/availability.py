"""Free-slot search: when a service fits a therapist's hours, time off, buffers and bookings.

Reads everything it needs for the whole range in a fixed number of queries, then walks each
therapist's hours in Python on a grid of `step` minutes. All arithmetic is in UTC; hours are
turned into instants day by day in the clinic's zone, so DST days come out 23 or 25 hours long.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connections
from django.db.models import BigIntegerField, QuerySet
from django.db.models.functions import Cast, Extract
from django.utils import timezone

from clinic.accounts.models import Therapist
from clinic.core.clinic_time import at_local, clinic_zone, day_bounds, local_date
from clinic.core.models import ClinicSettings

from .models import LIVE, Appointment, Closure, Room, Service, TimeOff, WorkingHours

STEP = timedelta(minutes=15)
# The longest a visit and its buffer can last (8 h + 2 h): bounds the look-back for bookings
# that started before the range and still run into it, so the starts_at index stays selective.
LONGEST_BUSY = timedelta(hours=10)


@dataclass(frozen=True, order=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    therapist_id: int
    room_id: int


class Busy:
    """Merged busy intervals of one therapist or room, asked 'free over [start, end)?'."""

    def __init__(self, intervals: Iterable[tuple[datetime, datetime]]):
        self.starts: list[datetime] = []
        self.ends: list[datetime] = []
        for start, end in sorted(intervals):
            if self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def is_free(self, start: datetime, end: datetime) -> bool:
        return self.busy_until(start, end) is None

    def busy_until(self, start: datetime, end: datetime) -> datetime | None:
        """None when [start, end) is free, else the end of the interval in the way."""
        index = bisect_left(self.starts, end) - 1
        if index < 0 or self.ends[index] <= start:
            return None
        return self.ends[index]


FREE = Busy([])
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _rows(
    queryset: QuerySet[Appointment], keys: list[str], instants: list[str]
) -> Iterator[tuple[Any, ...]]:
    """`values_list(*keys, *instants)`, faster for many rows on PostgreSQL: the instants come
    as integer microseconds since the epoch, which load several times faster than timestamps,
    and each distinct one becomes a datetime once (a week of bookings shares a few hundred)."""
    if connections[queryset.db].vendor != "postgresql":
        yield from queryset.values_list(*keys, *instants)
        return
    micros = {
        f"{name}_us": Cast(Extract(name, "epoch", tzinfo=UTC) * 1_000_000, BigIntegerField())
        for name in instants
    }
    made: dict[int, datetime] = {}
    for row in queryset.annotate(**micros).values_list(*keys, *micros):
        values = row[len(keys) :]
        for value in values:
            if value not in made:
                made[value] = EPOCH + timedelta(microseconds=value)
        yield (*row[: len(keys)], *(made[value] for value in values))


def _therapist_ids(service: Service, therapist: Therapist | None) -> list[int]:
    """Active therapists who offer the service (a service naming nobody: every therapist)."""
    offering = set(service.therapists.values_list("pk", flat=True)) if service.pk else set()
    if therapist is not None:
        offered = not offering or therapist.pk in offering
        return [therapist.pk] if therapist.is_active and offered else []
    # Ordered by id, not by name (the model's default joins users just to sort).
    active = Therapist.objects.filter(is_active=True).order_by("pk")
    if offering:
        active = active.filter(pk__in=offering)
    return list(active.values_list("pk", flat=True))


def _room_ids(service: Service) -> list[int]:
    """Active rooms that suit the service: rooms naming no service suit every one."""
    rows = Room.objects.filter(is_active=True).order_by("pk").values_list("pk", "services")
    suits: dict[int, set[int]] = {}
    for room_id, service_id in rows:
        suits.setdefault(room_id, set())
        if service_id is not None:
            suits[room_id].add(service_id)
    return [room for room, services in suits.items() if not services or service.pk in services]


def closed_days(first: date, last: date) -> set[date]:
    """The clinic's closed days (holidays) from `first` to `last`, both included."""
    days: set[date] = set()
    for first_day, last_day in Closure.objects.filter(
        first_day__lte=last, last_day__gte=first
    ).values_list("first_day", "last_day"):
        day = max(first_day, first)
        while day <= min(last_day, last):
            days.add(day)
            day += timedelta(days=1)
    return days


def is_closed(moment: datetime) -> bool:
    """The clinic is closed on the local day of `moment`."""
    day = local_date(moment, clinic_zone())
    return bool(closed_days(day, day))


def _busy_maps(
    ids: list[int], start: datetime, end: datetime
) -> tuple[dict[int, Busy], dict[int | None, Busy]]:
    """Busy intervals by therapist (bookings with buffers, and time off) and by room."""
    by_therapist: defaultdict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    by_room: defaultdict[int | None, list[tuple[datetime, datetime]]] = defaultdict(list)
    booked = Appointment.objects.filter(
        LIVE,
        starts_at__gte=start - LONGEST_BUSY,
        starts_at__lt=end,
        busy_until__gt=start,
    ).order_by()
    rows = _rows(booked, ["therapist_id", "room_id"], ["starts_at", "busy_until"])
    for therapist_id, room_id, starts_at, busy_until in rows:
        by_therapist[therapist_id].append((starts_at, busy_until))
        by_room[room_id].append((starts_at, busy_until))
    off = TimeOff.objects.filter(
        therapist_id__in=ids, starts_at__lt=end, ends_at__gt=start
    ).values_list("therapist_id", "starts_at", "ends_at")
    for therapist_id, starts_at, ends_at in off:
        by_therapist[therapist_id].append((starts_at, ends_at))
    return (
        {key: Busy(value) for key, value in by_therapist.items()},
        {key: Busy(value) for key, value in by_room.items()},
    )


def _first_on_grid(block_start: datetime, not_before: datetime, step: timedelta) -> datetime:
    if block_start >= not_before:
        return block_start
    steps = -((block_start - not_before) // step)  # ceiling division
    return block_start + steps * step


def free_slots(
    service: Service,
    start: datetime,
    end: datetime,
    therapist: Therapist | None = None,
    *,
    step: timedelta = STEP,
    now: datetime | None = None,
) -> list[Slot]:
    """Every start in [start, end) where the service fits, earliest first.

    A slot fits when the visit lies inside one block of the therapist's weekly hours (local
    time), the visit plus the service's buffer touches no live booking or time off of the
    therapist, and a room that suits the service is free for that long (the room named in the
    hours first). Only therapists who offer the service are asked, and nothing is offered on a
    day the clinic is closed. Starts fall on a grid of `step` from the start of each block;
    past times are never offered.
    """
    zone = clinic_zone()
    start = max(start, now or timezone.now())
    if end <= start:
        return []
    ids = _therapist_ids(service, therapist)
    rooms = _room_ids(service)
    if not ids or not rooms:
        return []
    first_day, last_day = local_date(start, zone), local_date(end - timedelta(microseconds=1), zone)
    closed = closed_days(first_day, last_day)
    days = [
        first_day + timedelta(days=n)
        for n in range((last_day - first_day).days + 1)
        if first_day + timedelta(days=n) not in closed
    ]
    if not days:
        return []
    hours: defaultdict[tuple[int, int], list[tuple[time, time, int | None]]] = defaultdict(list)
    for therapist_id, weekday, start_time, end_time, room_id in (
        WorkingHours.objects.filter(therapist_id__in=ids, weekday__in={d.weekday() for d in days})
        .order_by()
        .values_list("therapist_id", "weekday", "start_time", "end_time", "room_id")
    ):
        hours[therapist_id, weekday].append((start_time, end_time, room_id))
    duration, buffer = service.duration, service.buffer
    therapist_busy, room_busy = _busy_maps(ids, start, end + duration + buffer)
    active_rooms = set(rooms)

    def room_for(
        preferred: int | None, slot_start: datetime, slot_busy_end: datetime
    ) -> int | None:
        if preferred in active_rooms and room_busy.get(preferred, FREE).is_free(
            slot_start, slot_busy_end
        ):
            return preferred
        for room in rooms:
            if room_busy.get(room, FREE).is_free(slot_start, slot_busy_end):
                return room
        return None

    slots = []
    for therapist_id in ids:
        busy = therapist_busy.get(therapist_id, FREE)
        for day in days:
            for start_time, end_time, preferred in hours.get((therapist_id, day.weekday()), ()):
                block_start = at_local(day, start_time, zone)
                last_start = min(
                    at_local(day, end_time, zone) - duration, end - timedelta(microseconds=1)
                )
                slot_start = _first_on_grid(block_start, start, step)
                while slot_start <= last_start:
                    slot_end = slot_start + duration
                    busy_end = slot_end + buffer
                    blocked_until = busy.busy_until(slot_start, busy_end)
                    if blocked_until is not None:
                        # Every start before the end of what is in the way clashes with it too.
                        slot_start = _first_on_grid(block_start, blocked_until, step)
                        continue
                    room = room_for(preferred, slot_start, busy_end)
                    if room is not None:
                        slots.append(Slot(slot_start, slot_end, therapist_id, room))
                    slot_start += step
    slots.sort()
    return slots


def nearest_free_slots(
    service: Service,
    wanted: datetime,
    therapist: Therapist | None = None,
    *,
    count: int = 4,
    days: int = 7,
    now: datetime | None = None,
) -> list[Slot]:
    """The `count` free slots closest to a wanted start (same therapist, or anyone), in order.

    For "anyone" each time is offered once, with the first therapist free then. Used when the
    wanted time was taken a moment earlier, and to suggest where a clashing visit could move.
    """
    zone = clinic_zone()
    day = local_date(wanted, zone)
    window_start = day_bounds(day - timedelta(days=1), zone)[0]
    window_end = day_bounds(day + timedelta(days=days), zone)[0]
    found: dict[datetime, Slot] = {}
    for slot in free_slots(service, window_start, window_end, therapist, now=now):
        found.setdefault(slot.starts_at, slot)
    closest = sorted(found.values(), key=lambda s: (abs(s.starts_at - wanted), s.starts_at))
    return sorted(closest[:count])


def earliest_online_start(now: datetime | None = None) -> datetime:
    """The first start online booking may offer: now plus the clinic's minimum notice."""
    notice = timedelta(hours=ClinicSettings.load().online_min_notice_hours)
    return (now or timezone.now()) + notice
