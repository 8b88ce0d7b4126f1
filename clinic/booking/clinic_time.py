"""The clinic's wall clock: local days and times turned into aware UTC instants and back.

Hours are kept in local time ("9:00 on Mondays") and appointments in UTC, so every conversion
goes through here, where a DST day is 23 or 25 hours long.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from clinic.core.models import ClinicSettings


def clinic_zone() -> ZoneInfo:
    return ClinicSettings.load().zone


def at_local(day: date, wall: time, zone: ZoneInfo | None = None) -> datetime:
    """The instant (in UTC) the clinic's clocks show `wall` on `day`.

    On fall-back the first of the two such instants; a time the spring-forward skips (02:30)
    counts with the offset before the jump, landing after the gap (03:30).
    UTC because Python adds and compares datetimes sharing a zone by wall clock, which is
    wrong across a DST change.
    """
    zone = zone or clinic_zone()
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def day_bounds(day: date, zone: ZoneInfo | None = None) -> tuple[datetime, datetime]:
    """The first instant of a local day and of the next (23 or 25 hours apart on DST days)."""
    zone = zone or clinic_zone()
    return at_local(day, time.min, zone), at_local(day + timedelta(days=1), time.min, zone)


def local(moment: datetime, zone: ZoneInfo | None = None) -> datetime:
    return timezone.localtime(moment, zone or clinic_zone())


def local_date(moment: datetime, zone: ZoneInfo | None = None) -> date:
    return local(moment, zone).date()


def today(zone: ZoneInfo | None = None) -> date:
    return timezone.localdate(timezone=zone or clinic_zone())


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def describe_span(starts_at: datetime, ends_at: datetime, zone: ZoneInfo | None = None) -> str:
    """`Tue Mar 10, 10:00–11:15` in the clinic's time."""
    start, end = local(starts_at, zone), local(ends_at, zone)
    return f"{start:%a %b} {start.day}, {start:%H:%M}–{end:%H:%M}"
