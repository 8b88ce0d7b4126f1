"""The date range a report covers: local (clinic time zone) days in, UTC instants out.

The range comes from a query string (`?start=2026-11-01&end=2026-11-30`), so it is untrusted:
a day that is not an ISO date, or an end before its start, is refused with a `DomainError`
(400); a range longer than `MAX_DAYS` is cut to its last `MAX_DAYS` days, and says so, so one
request cannot ask the database for a century of figures.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from clinic.core.clinic_time import clinic_zone, day_bounds, today
from clinic.core.errors import DomainError
from clinic.core.inputs import parse_day

MAX_DAYS = 366
DEFAULT_DAYS = 28


class BadPeriod(DomainError):
    code = "REPORT_BAD_PERIOD"
    status = 400


@dataclass(frozen=True)
class Period:
    """Days `start` to `end`, both included, in the clinic's zone."""

    start: date
    end: date
    zone: ZoneInfo
    capped: bool = False

    @property
    def starts_at(self) -> datetime:
        """The first instant of `start` (UTC)."""
        return day_bounds(self.start, self.zone)[0]

    @property
    def ends_at(self) -> datetime:
        """The first instant after `end` (UTC): ranges are half-open."""
        return day_bounds(self.end, self.zone)[1]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def query(self) -> str:
        return f"start={self.start.isoformat()}&end={self.end.isoformat()}"


def _day(params, name: str) -> date | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    day = parse_day(value)
    if day is None:
        raise BadPeriod(f"“{value}” is not a date: write it as YYYY-MM-DD.", name)
    return day


def parse_period(params) -> Period:
    """The period a query string asks for; the last four weeks up to today by default."""
    zone = clinic_zone()
    end = _day(params, "end") or today(zone)
    start = _day(params, "start") or end - timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        raise BadPeriod("The end date is before the start date.", "end")
    capped = (end - start).days + 1 > MAX_DAYS
    if capped:
        start = end - timedelta(days=MAX_DAYS - 1)
    return Period(start=start, end=end, zone=zone, capped=capped)
