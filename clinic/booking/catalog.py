"""What the clinic offers and when: services, rooms, therapists' weekly hours and time off, and
clinic-wide closures. The clinic admin's screens and API write through these functions only;
each change is saved with its audit row in one transaction.

Every function takes the actor as `by` (a request, an Origin or a user) and refuses bad input
with a `DomainError` naming the field, changing nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clinic.accounts.models import Therapist
from clinic.audit.history import acting
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.clinic_time import day_bounds
from clinic.core.errors import DomainError
from clinic.core.inputs import OUT_OF_RANGE, is_supported_day

from .grid_cache import schedule_changed
from .models import Closure, Room, Service, TimeOff, WorkingHours
from .signals import Opening, hours_opened


class CatalogError(DomainError):
    code = "SETUP_REFUSED"


def _checked(instance, *, exclude=()) -> None:
    """Run the model's own validators; the first problem becomes a DomainError on its field."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise CatalogError(messages[0], None if field == "__all__" else field) from error


def _save_named(model, instance, fields: dict, *, related: dict, by, what: str):
    is_new = instance is None
    instance = instance or model()
    for name, value in fields.items():
        setattr(instance, name, value)
    # Its validators include the name's uniqueness in any case (booking.models.UniqueName).
    _checked(instance)
    with transaction.atomic(), acting(by):
        try:
            instance.save()
        except IntegrityError as error:  # the same name, in any case, saved since the check
            raise CatalogError(f"A {what} with this name already exists.", "name") from error
        for name, values in related.items():
            getattr(instance, name).set(values)
        action = AuditAction.CREATE if is_new else AuditAction.UPDATE
        record(by, action, instance, detail=f"{what} {instance.name}")
    return instance


def save_service(
    *, service: Service | None = None, fields: dict, therapists: Iterable[Therapist], by
) -> Service:
    """Create (service=None) or change a service: its name, description, duration, buffer,
    price, tax-exempt flag, online-bookable flag, and the therapists who offer it."""
    return _save_named(
        Service, service, fields, related={"therapists": list(therapists)}, by=by, what="service"
    )


def save_room(*, room: Room | None = None, fields: dict, services: Iterable[Service], by) -> Room:
    """Create (room=None) or change a room and the services it suits."""
    return _save_named(Room, room, fields, related={"services": list(services)}, by=by, what="room")


@dataclass(frozen=True)
class HoursRow:
    """One block of weekly hours as entered: a weekday, local start and end, an optional room."""

    weekday: int
    start_time: time
    end_time: time
    room: Room | None = None


# More blocks than anyone works in a week; each one is read by every free-slot search.
MAX_WEEKLY_BLOCKS = 50


def _check_hours(rows: list[HoursRow]) -> None:
    if len(rows) > MAX_WEEKLY_BLOCKS:
        raise CatalogError(f"Enter at most {MAX_WEEKLY_BLOCKS} blocks of hours a week.", "blocks")
    by_day: dict[int, list[HoursRow]] = {}
    for row in rows:
        if row.end_time <= row.start_time:
            raise CatalogError("Each block must end after it starts.", "end_time")
        by_day.setdefault(row.weekday, []).append(row)
    for day_rows in by_day.values():
        day_rows.sort(key=lambda r: r.start_time)
        for before, after in zip(day_rows, day_rows[1:], strict=False):
            if after.start_time < before.end_time:
                raise CatalogError(
                    "Two blocks on the same day overlap; leave a gap for a break instead.",
                    "start_time",
                )


def _opened(old: list[tuple[int, time, time]], new: list[HoursRow]) -> list[tuple[int, time, time]]:
    """The parts of the new weekly blocks that no old block covered."""
    opened = []
    for row in new:
        pieces = [(row.start_time, row.end_time)]
        for weekday, start, end in old:
            if weekday == row.weekday:
                pieces = [
                    piece
                    for first, last in pieces
                    for piece in ((first, min(last, start)), (max(first, end), last))
                    if piece[0] < piece[1]
                ]
        opened += [(row.weekday, first, last) for first, last in pieces]
    return opened


def set_weekly_hours(*, therapist: Therapist, rows: Iterable[HoursRow], by) -> list[WorkingHours]:
    """Replace a therapist's weekly hours with these blocks (several a day allowed; the gaps
    between them are breaks). Overlapping blocks are refused. Hours added or lengthened are
    announced (`hours_opened`), so the waitlist can offer them."""
    rows = list(rows)
    _check_hours(rows)
    with transaction.atomic(), acting(by):
        old = list(therapist.working_hours.values_list("weekday", "start_time", "end_time"))
        therapist.working_hours.all().delete()
        saved = WorkingHours.objects.bulk_create(
            WorkingHours(
                therapist=therapist,
                weekday=row.weekday,
                start_time=row.start_time,
                end_time=row.end_time,
                room=row.room,
            )
            for row in rows
        )
        record(by, AuditAction.UPDATE, therapist, detail=f"weekly hours: {len(saved)} blocks")
        if opened := _opened(old, rows):
            opening = Opening(frozenset({therapist.pk}), weekly=tuple(opened))
            hours_opened.send(sender=WorkingHours, opening=opening)
        schedule_changed()  # bulk_create sends no post_save for the kept grids to hear
    return saved


def add_time_off(
    *, therapist: Therapist, starts_at: datetime, ends_at: datetime, reason: str = "", by
) -> TimeOff:
    """Time a therapist is away (a holiday, a course): no slot is offered with them then."""
    time_off = TimeOff(therapist=therapist, starts_at=starts_at, ends_at=ends_at, reason=reason)
    if ends_at <= starts_at:
        raise CatalogError("Time off must end after it starts.", "ends_at")
    for field, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        # Shown in the clinic's zone, year 9999 would overflow the page that lists it.
        if not is_supported_day(moment.date()):
            raise CatalogError(OUT_OF_RANGE, field)
    _checked(time_off)
    with transaction.atomic(), acting(by):
        time_off.save()
        record(by, AuditAction.CREATE, time_off, detail=f"time off for {therapist}")
    return time_off


def remove_time_off(*, time_off: TimeOff, by) -> None:
    """Take back a therapist's time off (announced as time newly open)."""
    with transaction.atomic(), acting(by):
        record(
            by, AuditAction.UPDATE, time_off, detail=f"removed time off for {time_off.therapist}"
        )
        opening = Opening(
            frozenset({time_off.therapist_id}), spans=((time_off.starts_at, time_off.ends_at),)
        )
        time_off.delete()
        hours_opened.send(sender=TimeOff, opening=opening)


def add_closure(*, first_day: date, last_day: date, reason: str, by) -> Closure:
    """Close the whole clinic for a day or a run of days: free-slot search and online booking
    offer nothing then (visits already booked stay; the desk moves them)."""
    if last_day < first_day:
        raise CatalogError("The last day cannot be before the first.", "last_day")
    for field, day in (("first_day", first_day), ("last_day", last_day)):
        # Year 9999 would overflow free-slot search as soon as it adds a day to the closure.
        if not is_supported_day(day):
            raise CatalogError(OUT_OF_RANGE, field)
    closure = Closure(first_day=first_day, last_day=last_day, reason=reason.strip())
    _checked(closure)
    with transaction.atomic(), acting(by):
        closure.save()
        record(by, AuditAction.CREATE, closure, detail=f"closure {closure}")
    return closure


def remove_closure(*, closure: Closure, by) -> None:
    """Reopen the days of a closure (announced as time newly open)."""
    with transaction.atomic(), acting(by):
        record(by, AuditAction.UPDATE, closure, detail=f"removed closure {closure}")
        span = (day_bounds(closure.first_day)[0], day_bounds(closure.last_day)[1])
        closure.delete()
        hours_opened.send(sender=Closure, opening=Opening(None, spans=(span,)))
