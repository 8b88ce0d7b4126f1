"""Available hours: each therapist's weekly hours over a period, minus what takes them away.

Weekly hours are wall-clock blocks ("Monday 9:00-17:00", clinic time), so a period holds each
block once per matching weekday: counted, not walked day by day, which keeps a year for a chain
of 100 therapists quick. What takes hours away is a list of UTC intervals per therapist (their
time off) plus a list for everyone (clinic closures: `closures` below is the one place they are
read). The two are merged before they are subtracted, so a day off during a closure counts once.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from clinic.booking.models import Closure, TimeOff, WorkingHours
from clinic.core.clinic_time import at_local, day_bounds, local_date

from .period import Period

Interval = tuple[datetime, datetime]
Block = tuple[int, time, time]  # weekday (Monday 0), start and end in clinic time


def closures(period: Period) -> list[Interval]:
    """The clinic-wide closures (holidays) in the period, as UTC intervals (one query)."""
    rows = Closure.objects.filter(first_day__lte=period.end, last_day__gte=period.start)
    return [
        (
            day_bounds(max(first_day, period.start), period.zone)[0],
            day_bounds(min(last_day, period.end), period.zone)[1],
        )
        for first_day, last_day in rows.values_list("first_day", "last_day")
    ]


def weekday_counts(start: date, end: date) -> list[int]:
    """How many Mondays, Tuesdays, ... the days `start` to `end` (included) hold."""
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    counts = [weeks] * 7
    for offset in range(rest):
        counts[(start.weekday() + offset) % 7] += 1
    return counts


def _seconds(start: time, end: time) -> int:
    return (end.hour * 3600 + end.minute * 60 + end.second) - (
        start.hour * 3600 + start.minute * 60 + start.second
    )


def merge[T: (datetime, time)](intervals: Iterable[tuple[T, T]]) -> list[tuple[T, T]]:
    """Overlapping or touching intervals (of instants or of wall-clock times) joined, in order."""
    merged: list[tuple[T, T]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _lost_seconds(blocks: list[Block], away: list[Interval], period: Period) -> float:
    """Seconds of the weekly blocks that the `away` intervals cover within the period."""
    by_weekday = defaultdict(list)
    for weekday, start, end in blocks:
        by_weekday[weekday].append((start, end))
    lost = 0.0
    for away_start, away_end in merge(away):
        first = max(local_date(away_start, period.zone), period.start)
        last = min(local_date(away_end, period.zone), period.end)
        day = first
        while day <= last:
            for start, end in by_weekday.get(day.weekday(), ()):
                block_start = at_local(day, start, period.zone)
                block_end = at_local(day, end, period.zone)
                overlap = min(block_end, away_end) - max(block_start, away_start)
                lost += max(overlap.total_seconds(), 0)
            day += timedelta(days=1)
    return lost


def available_seconds(
    period: Period,
    blocks: dict[int, list[Block]],
    away: dict[int, list[Interval]],
    closed: list[Interval],
) -> dict[int, float]:
    """Per key (a therapist's id), the seconds of its blocks in the period that nothing in
    `away[key]` or `closed` takes away."""
    counts = weekday_counts(period.start, period.end)
    result = {}
    for key, its_blocks in blocks.items():
        total = sum(_seconds(start, end) * counts[weekday] for weekday, start, end in its_blocks)
        lost = _lost_seconds(its_blocks, [*away.get(key, ()), *closed], period)
        result[key] = max(total - lost, 0.0)
    return result


def therapist_hours(period: Period, therapist_ids=None) -> dict[int, float]:
    """Available seconds per therapist id over the period (two queries)."""
    hours = WorkingHours.objects.all()
    off = TimeOff.objects.filter(starts_at__lt=period.ends_at, ends_at__gt=period.starts_at)
    if therapist_ids is not None:
        hours = hours.filter(therapist_id__in=therapist_ids)
        off = off.filter(therapist_id__in=therapist_ids)
    blocks: dict[int, list[Block]] = defaultdict(list)
    for therapist_id, weekday, start, end in hours.values_list(
        "therapist_id", "weekday", "start_time", "end_time"
    ):
        blocks[therapist_id].append((weekday, start, end))
    away: dict[int, list[Interval]] = defaultdict(list)
    for therapist_id, starts_at, ends_at in off.values_list("therapist_id", "starts_at", "ends_at"):
        away[therapist_id].append((starts_at, ends_at))
    return available_seconds(period, blocks, away, closures(period))


def opening_seconds(period: Period) -> float:
    """Seconds the clinic is open in the period: any therapist's hours, merged per weekday,
    minus closures. A room could be used for this long (one query)."""
    per_weekday: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, start, end in WorkingHours.objects.values_list(
        "weekday", "start_time", "end_time"
    ):
        per_weekday[weekday].append((start, end))
    blocks: list[Block] = []
    for weekday, spans in per_weekday.items():
        for start, end in merge(spans):
            blocks.append((weekday, start, end))
    return available_seconds(period, {0: blocks}, {}, closures(period))[0]
