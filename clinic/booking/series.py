"""Recurring series: "every 1 or 2 weeks, N times" from one slot, every clash shown, none dropped.

`plan_series` lists each occurrence with what clashes and where it could move; the front desk
chooses per occurrence (book it, move it, or skip it) and `book_series` books exactly those
choices, reporting any that clashed in the meantime next to the ones booked.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from clinic.core.clinic_time import at_local, clinic_zone, local

from .availability import Slot, nearest_free_slots
from .booking import BookingError, book, email_confirmation_on_commit, plan_visit
from .conflicts import Conflict, find_conflicts

MAX_OCCURRENCES = 26


@dataclass
class Occurrence:
    number: int
    starts_at: datetime
    ends_at: datetime
    conflicts: list[Conflict] = field(default_factory=list)
    alternatives: list[Slot] = field(default_factory=list)

    @property
    def is_free(self):
        return not self.conflicts


def series_starts(first_start, every_weeks, count, zone=None) -> list[datetime]:
    """The same local wall time every `every_weeks` weeks, so a DST change keeps 10:00 at 10:00."""
    zone = zone or clinic_zone()
    first = local(first_start, zone)
    return [
        at_local(first.date() + timedelta(weeks=every_weeks * n), first.time(), zone)
        for n in range(count)
    ]


def plan_series(
    *, client, therapist, service, first_start, every_weeks, count, room=None, now=None
) -> list[Occurrence]:
    """Each occurrence with its clashes and, when it clashes, the nearest free slots nearby."""
    if every_weeks not in (1, 2):
        raise BookingError("A series repeats every 1 or 2 weeks.", "every_weeks")
    if not 1 <= count <= MAX_OCCURRENCES:
        raise BookingError(f"A series has 1 to {MAX_OCCURRENCES} visits.", "count")
    zone = clinic_zone()
    plan = []
    for number, starts_at in enumerate(series_starts(first_start, every_weeks, count, zone), 1):
        visit = plan_visit(client, therapist, room.pk if room else None, service, starts_at)
        occurrence = Occurrence(number, starts_at, visit.ends_at)
        occurrence.conflicts = find_conflicts(visit, therapist, zone=zone)
        if occurrence.conflicts:
            occurrence.alternatives = nearest_free_slots(
                service, starts_at, therapist, count=3, now=now
            )
        plan.append(occurrence)
    return plan


@dataclass
class SeriesResult:
    """Occurrence numbers booked (with their appointments), skipped, and refused with why."""

    booked: list = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: list[tuple[int, datetime, BookingError]] = field(default_factory=list)


def book_series(
    *,
    client,
    therapist,
    service,
    starts: list[datetime | None],
    room=None,
    booked_by=None,
    refer_override_reason="",
    now=None,
) -> SeriesResult:
    """Book each chosen start, in order; None means the front desk skipped that occurrence.

    Each visit is booked on its own, so one that clashed in the meantime does not undo the
    others; it comes back in `failed` with its reason. One confirmation email lists them all.
    """
    result = SeriesResult()
    series = uuid.uuid4()
    for number, starts_at in enumerate(starts, 1):
        if starts_at is None:
            result.skipped.append(number)
            continue
        try:
            appointment = book(
                client=client,
                therapist=therapist,
                service=service,
                starts_at=starts_at,
                room=room,
                booked_by=booked_by,
                refer_override_reason=refer_override_reason,
                series=series,
                notify=False,
                now=now,
            )
        except BookingError as error:
            result.failed.append((number, starts_at, error))
        else:
            result.booked.append(appointment)
    if result.booked:
        email_confirmation_on_commit(result.booked)
    return result
