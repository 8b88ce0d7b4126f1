"""The clinic's wall clock: local days and times turned into aware UTC instants and back.

Hours, quiet hours and home-care times are kept in local time ("9:00 on Mondays") and
appointments and reminders in UTC, so every conversion goes through here, where a DST day is
23 or 25 hours long. Results are in UTC because Python adds and compares datetimes sharing a
zone by wall clock, which is wrong across a DST change.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format

from .models import ClinicSettings


def clinic_zone() -> ZoneInfo:
    """The clinic's time zone (which is its clients' zone too)."""
    zone: ZoneInfo = ClinicSettings.load().zone
    return zone


def at_local(day: date, wall: time, zone: ZoneInfo | None = None) -> datetime:
    """The instant (in UTC) the clinic's clocks show `wall` on `day`.

    On fall-back the first of the two such instants; a time the spring-forward skips (02:30)
    counts with the offset before the jump, landing after the gap (03:30).
    """
    zone = zone or clinic_zone()
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def day_bounds(day: date, zone: ZoneInfo | None = None) -> tuple[datetime, datetime]:
    """The first instant of a local day and of the next (23 or 25 hours apart on DST days)."""
    zone = zone or clinic_zone()
    return at_local(day, time.min, zone), at_local(day + timedelta(days=1), time.min, zone)


def end_of_local_day(moment: datetime, zone: ZoneInfo | None = None) -> datetime:
    """The first instant of the local day after the one `moment` falls on (UTC)."""
    zone = zone or clinic_zone()
    return day_bounds(local_date(moment, zone), zone)[1]


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
    """`Tue 10 Mar 2026, 10:00–11:15` in the clinic's time (its one date format)."""
    start, end = local(starts_at, zone), local(ends_at, zone)
    return f"{date_format(start, 'DATE_FORMAT')}, {start:%H:%M}–{end:%H:%M}"


def quiet_until(moment: datetime, start: time, end: time, zone: ZoneInfo) -> datetime | None:
    """When the quiet hours `moment` falls in end (UTC), or None outside quiet hours.

    Quiet hours may wrap midnight (21:00-08:00); equal start and end mean none.
    """
    if start == end:
        return None
    wall_clock = moment.astimezone(zone)
    wall, day = wall_clock.time(), wall_clock.date()
    if start < end:
        quiet, end_day = start <= wall < end, day
    else:
        quiet = wall >= start or wall < end
        end_day = day + timedelta(days=1) if wall >= start else day
    return at_local(end_day, end, zone) if quiet else None


def care_horizon(now: datetime | None = None) -> datetime:
    """The end of the care window: a booked visit starting before this instant (UTC) makes its
    therapist one who treats the client (clinic/accounts/querysets.py).

    The window runs to the end of the clinic day `care_window_days` after today, so "within 7
    days" means the same all day long, and 0 means visits today or in the past only.
    """
    clinic = ClinicSettings.load()
    day = local_date(now or timezone.now(), clinic.zone)
    return day_bounds(day + timedelta(days=clinic.care_window_days), clinic.zone)[1]
