"""Local wall-clock times (the clinic's zone, which is the clients' zone too) to UTC and back."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant local clocks show `wall` on `day`, right across DST changes.

    A time the spring-forward skips (02:30) lands just after the gap (03:30); a time the
    fall-back repeats counts once, at its first occurrence.
    """
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def end_of_local_day(moment: datetime, zone: ZoneInfo) -> datetime:
    """The first instant of the local day after the one `moment` falls on (UTC)."""
    day = moment.astimezone(zone).date()
    return local_instant(day + timedelta(days=1), time.min, zone)


def quiet_until(moment: datetime, start: time, end: time, zone: ZoneInfo) -> datetime | None:
    """When the quiet hours `moment` falls in end (UTC), or None outside quiet hours.

    Quiet hours may wrap midnight (21:00-08:00); equal start and end mean none.
    """
    if start == end:
        return None
    local = moment.astimezone(zone)
    wall, day = local.time(), local.date()
    if start < end:
        quiet, end_day = start <= wall < end, day
    else:
        quiet = wall >= start or wall < end
        end_day = day + timedelta(days=1) if wall >= start else day
    return local_instant(end_day, end, zone) if quiet else None
