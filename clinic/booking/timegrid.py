"""The time-grid calendar's read path: days × therapists, each visit placed by clinic time.

Every position is minutes elapsed since the lane's first hour, measured between UTC instants,
and the hour lines are hours stepped in UTC and labelled in clinic time; so a day whose clocks
jump (23 or 25 hours long) shows 01:00, 03:00 or 01:00 twice, and every visit sits where its
real time is. A fixed number of queries whatever the number of visits, and a fixed payload
however many therapists the clinic has: the views show a page of `LANES_PER_PAGE` of them
(`WEEK_LANES_PER_PAGE` on the week).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import ceil
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q

from clinic.accounts.models import Therapist
from clinic.core.clinic_time import at_local, clinic_zone, day_bounds, local, local_date

from .models import Appointment, AppointmentStatus, TimeOff, WorkingHours
from .selectors import with_screening

S = AppointmentStatus
# Visits the desk may want to fill: shown struck through, and hidden by `show=active`.
GONE = frozenset({S.CANCELLED, S.NO_SHOW})
FIRST_HOUR, LAST_HOUR = 8, 18  # the grid's hours when nobody works and nothing is booked
HOUR = timedelta(hours=1)
# Therapists side by side on one page of the day grid, and of the week's (seven narrow lanes
# each): what a desk screen can show, and a page's weight whatever the clinic's size.
LANES_PER_PAGE = 12
WEEK_LANES_PER_PAGE = 6


@dataclass
class Span:
    """Something placed on a lane: `top` and `length` in minutes from the lane's first hour."""

    top: int
    length: int
    item: object = None


@dataclass
class Lane:
    """One therapist on one day."""

    therapist: Therapist
    day: date
    starts_at: datetime  # the instants of the lane's first and last hour lines (UTC)
    ends_at: datetime
    hours: list[Span] = field(default_factory=list)
    time_off: list[Span] = field(default_factory=list)
    visits: list = field(default_factory=list)  # appointments with .span, .aside, .screening
    highlight: Span | None = None


@dataclass
class GridDay:
    day: date
    lanes: list[Lane]


@dataclass
class Row:
    label: str  # the clinic's wall clock, "09:00"
    top: int


@dataclass
class Grid:
    days: list[GridDay]
    therapists: list[Therapist]
    rows: list[Row]
    height: int  # minutes from the first hour line to the last

    @property
    def visits(self) -> list:
        return [v for d in self.days for lane in d.lanes for v in lane.visits]


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _span(lane: Lane, start: datetime, end: datetime, item=None) -> Span | None:
    """Where [start, end) sits on the lane, cut to its hours; None when off the lane."""
    start, end = max(start, lane.starts_at), min(end, lane.ends_at)
    if end <= start:
        return None
    return Span(_minutes(start - lane.starts_at), _minutes(end - start), item)


def _hour_range(blocks, visits, zone: ZoneInfo) -> tuple[int, int]:
    """The first and last hour lines: wide enough for every working block and visit shown."""
    starts = [b.start_time.hour for b in blocks]
    ends = [b.end_time.hour + (1 if b.end_time.minute else 0) for b in blocks]
    for visit in visits:
        start, end = local(visit.starts_at, zone), local(visit.ends_at, zone)
        starts.append(start.hour)
        ends.append(24 if end.date() > start.date() else end.hour + ceil(end.minute / 60))
    if not starts:
        return FIRST_HOUR, LAST_HOUR
    return min(starts), max(max(ends), min(starts) + 1)


def _bounds(day: date, first: int, last: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    end = at_local(day, time(last), zone) if last < 24 else day_bounds(day, zone)[1]
    return at_local(day, time(first), zone), end


def _rows(start: datetime, end: datetime, zone: ZoneInfo) -> list[Row]:
    rows, moment = [], start
    while moment < end:
        rows.append(Row(f"{local(moment, zone):%H:%M}", _minutes(moment - start)))
        moment += HOUR  # UTC arithmetic: a skipped hour has no line, a repeated one two
    return rows


def _mark_overlaps(visits: list) -> None:
    """A cancelled or no-show visit under a live one moves aside, so both stay readable."""
    for visit in visits:
        visit.aside = visit.status in GONE and any(
            other.status not in GONE
            and other.starts_at < visit.ends_at
            and other.ends_at > visit.starts_at
            for other in visits
        )
        visit.beside = visit.status not in GONE and any(
            other.status in GONE
            and other.starts_at < visit.ends_at
            and other.ends_at > visit.starts_at
            for other in visits
        )


def _place_background(lane: Lane, blocks, offs, highlight, zone: ZoneInfo) -> None:
    """The lane's working hours, time off and highlighted time."""
    for block in blocks:
        if block.therapist_id == lane.therapist.pk and block.weekday == lane.day.weekday():
            start = at_local(lane.day, block.start_time, zone)
            if span := _span(lane, start, at_local(lane.day, block.end_time, zone), block):
                lane.hours.append(span)
    for off in offs:
        mine = off.therapist_id == lane.therapist.pk
        if mine and (span := _span(lane, off.starts_at, off.ends_at, off)):
            lane.time_off.append(span)
    if highlight and highlight[0] == lane.therapist.pk:
        lane.highlight = _span(lane, highlight[1], highlight[2], highlight[1])


def grid_therapists(days: list[date], *, show_gone: bool = True) -> list[Therapist]:
    """Who gets a lane on `days`: every active therapist, and any other with a visit shown
    then, by name (one query)."""
    start, end = _range(days, clinic_zone())
    visits = Appointment.objects.filter(
        therapist=OuterRef("pk"), starts_at__gte=start, starts_at__lt=end
    )
    if not show_gone:
        visits = visits.exclude(status__in=GONE)
    return list(Therapist.objects.filter(Q(is_active=True) | Exists(visits)).select_related("user"))


def _range(days: list[date], zone: ZoneInfo) -> tuple[datetime, datetime]:
    return day_bounds(days[0], zone)[0], day_bounds(days[-1], zone)[1]


def time_grid(
    days: list[date],
    therapists: list[Therapist],
    *,
    show_gone: bool = True,
    drop_idle_days: bool = False,
    highlight: tuple[int, datetime, datetime] | None = None,
) -> Grid:
    """The grid of `days` × `therapists` (a page of `grid_therapists`, or one therapist);
    cancelled and no-show visits only when `show_gone`.

    `drop_idle_days` leaves out days on which nobody shown works or is booked (a week's
    weekend), unless that leaves none. `highlight` is (therapist id, start, end) of a time to
    point at, such as the next free slot.
    """
    zone = clinic_zone()
    start, end = _range(days, zone)
    ids = [t.pk for t in therapists]
    visits = Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end, therapist__in=ids)
    if not show_gone:
        visits = visits.exclude(status__in=GONE)
    visits = with_screening(
        visits.select_related("client", "service", "room").order_by("starts_at")
    )
    weekdays = {d.weekday() for d in days}
    blocks = list(WorkingHours.objects.filter(therapist_id__in=ids, weekday__in=weekdays))
    offs = list(TimeOff.objects.filter(therapist_id__in=ids, starts_at__lt=end, ends_at__gt=start))
    if drop_idle_days:
        busy = {b.weekday for b in blocks} | {
            local_date(v.starts_at, zone).weekday() for v in visits
        }
        days = [d for d in days if d.weekday() in busy] or days
    first, last = _hour_range(blocks, visits, zone)
    grid_days = [
        GridDay(day, [Lane(t, day, *_bounds(day, first, last, zone)) for t in therapists])
        for day in days
    ]
    lanes = {(lane.day, lane.therapist.pk): lane for d in grid_days for lane in d.lanes}
    for lane in lanes.values():
        _place_background(lane, blocks, offs, highlight, zone)
    by_therapist = {t.pk: t for t in therapists}
    for visit in visits:
        lane = lanes.get((local_date(visit.starts_at, zone), visit.therapist_id))
        visit.therapist = by_therapist[visit.therapist_id]
        visit.span = lane and _span(lane, visit.starts_at, visit.ends_at)
        if visit.span:  # a booked day is never dropped, but a visit may run outside the hours
            lane.visits.append(visit)
    for lane in lanes.values():
        _mark_overlaps(lane.visits)
    longest = max(
        (_bounds(d, first, last, zone) for d in days), key=lambda bounds: bounds[1] - bounds[0]
    )
    return Grid(grid_days, therapists, _rows(*longest, zone), _minutes(longest[1] - longest[0]))
