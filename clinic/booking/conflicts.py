"""What stands in the way of a visit: other appointments, the therapist's hours, time off.

The one place overlaps are decided outside the database. On PostgreSQL the exclusion
constraints say the same thing; this module lets the booking service name what clashed.
"""

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from clinic.accounts.models import Therapist
from clinic.core.clinic_time import at_local, clinic_zone, describe_span, local

from .models import LIVE, Appointment, Room, TimeOff, WorkingHours

THERAPIST, ROOM, CLIENT, HOURS, TIME_OFF = "therapist", "room", "client", "hours", "time_off"


@dataclass(frozen=True)
class Conflict:
    """One reason a visit cannot happen then; `appointment` is the clashing visit's id."""

    kind: str
    message: str
    appointment: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Visit:
    """A visit being planned: who, where, and its time including the buffer after it."""

    client_id: int
    therapist_id: int
    room_id: int | None
    starts_at: datetime
    ends_at: datetime
    busy_until: datetime


def overlapping_appointments(visit: Visit, exclude_pk: int | None = None) -> QuerySet[Appointment]:
    """Live appointments sharing the visit's therapist, room or client while it runs."""
    busy = Q(starts_at__lt=visit.busy_until, busy_until__gt=visit.starts_at)
    matches = Q(therapist_id=visit.therapist_id) & busy
    if visit.room_id:
        matches |= Q(room_id=visit.room_id) & busy
    matches |= Q(
        client_id=visit.client_id, starts_at__lt=visit.ends_at, ends_at__gt=visit.starts_at
    )
    found = (
        Appointment.objects.filter(LIVE).filter(matches).select_related("therapist__user", "room")
    )
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.order_by("starts_at")


def _appointment_conflicts(visit: Visit, exclude_pk: int | None, zone: ZoneInfo) -> list[Conflict]:
    conflicts = []
    for other in overlapping_appointments(visit, exclude_pk):
        span = describe_span(other.starts_at, other.busy_until, zone)
        overlaps_busy = other.starts_at < visit.busy_until and other.busy_until > visit.starts_at
        if other.therapist_id == visit.therapist_id and overlaps_busy:
            conflicts.append(
                Conflict(
                    THERAPIST,
                    f"{other.therapist.name} is already booked {span}.",
                    other.pk,
                    other.starts_at,
                    other.busy_until,
                )
            )
        if visit.room_id and other.room_id == visit.room_id and overlaps_busy:
            conflicts.append(
                Conflict(
                    ROOM,
                    f"{other.room.name} is in use {span}.",
                    other.pk,
                    other.starts_at,
                    other.busy_until,
                )
            )
        if (
            other.client_id == visit.client_id
            and other.starts_at < visit.ends_at
            and other.ends_at > visit.starts_at
        ):
            own = describe_span(other.starts_at, other.ends_at, zone)
            conflicts.append(
                Conflict(
                    CLIENT,
                    f"The client already has a visit {own}.",
                    other.pk,
                    other.starts_at,
                    other.ends_at,
                )
            )
    return conflicts


def schedule_conflicts(
    therapist: Therapist,
    starts_at: datetime,
    ends_at: datetime,
    busy_until: datetime,
    zone: ZoneInfo | None = None,
) -> list[Conflict]:
    """The visit must lie inside one block of the therapist's hours (its buffer may run past
    the end) and, buffer included, outside their time off."""
    zone = zone or clinic_zone()
    start = local(starts_at, zone)
    conflicts = []
    blocks = WorkingHours.objects.filter(therapist=therapist, weekday=start.weekday())
    inside = any(
        at_local(start.date(), b.start_time, zone) <= starts_at
        and ends_at <= at_local(start.date(), b.end_time, zone)
        for b in blocks
    )
    if not inside:
        conflicts.append(
            Conflict(
                HOURS,
                f"{therapist.name} does not work {describe_span(starts_at, ends_at, zone)}.",
            )
        )
    for off in TimeOff.objects.filter(
        therapist=therapist, starts_at__lt=busy_until, ends_at__gt=starts_at
    ):
        conflicts.append(
            Conflict(
                TIME_OFF,
                f"{therapist.name} is off {describe_span(off.starts_at, off.ends_at, zone)}"
                + (f" ({off.reason})." if off.reason else "."),
                None,
                off.starts_at,
                off.ends_at,
            )
        )
    return conflicts


def find_conflicts(
    visit: Visit,
    therapist: Therapist,
    exclude_pk: int | None = None,
    zone: ZoneInfo | None = None,
) -> list[Conflict]:
    """Every reason the visit cannot be booked as it is; an empty list means it fits."""
    zone = zone or clinic_zone()
    return [
        *schedule_conflicts(therapist, visit.starts_at, visit.ends_at, visit.busy_until, zone),
        *_appointment_conflicts(visit, exclude_pk, zone),
    ]


def free_room(
    visit: Visit, preferred_id: int | None = None, exclude_pk: int | None = None
) -> Room | None:
    """An active room free for the whole visit and its buffer: the preferred one if it is."""
    overlapping = Appointment.objects.filter(LIVE).filter(
        starts_at__lt=visit.busy_until, busy_until__gt=visit.starts_at
    )
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    taken = overlapping.values_list("room_id", flat=True)
    rooms = Room.objects.filter(is_active=True).exclude(pk__in=taken)
    if preferred_id:
        preferred = rooms.filter(pk=preferred_id).first()
        if preferred:
            return preferred
    return rooms.first()


def preferred_room_id(
    therapist: Therapist, starts_at: datetime, zone: ZoneInfo | None = None
) -> int | None:
    """The room in the therapist's hours block holding this start, if one is named."""
    zone = zone or clinic_zone()
    start = local(starts_at, zone)
    for block in WorkingHours.objects.filter(
        therapist=therapist, weekday=start.weekday(), room__isnull=False
    ):
        if (
            at_local(start.date(), block.start_time, zone)
            <= starts_at
            < at_local(start.date(), block.end_time, zone)
        ):
            return block.room_id
    return None
