"""Available hours: weekly blocks counted per weekday, minus time off and closures once."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from clinic.accounts.models import Role
from clinic.accounts.roles import report_scope
from clinic.booking.models import Closure
from clinic.core.clinic_time import at_local
from clinic.reports.availability import available_seconds, closures, merge, weekday_counts
from clinic.reports.period import Period

ZONE = ZoneInfo("America/Toronto")
WEEK = Period(start=date(2026, 11, 2), end=date(2026, 11, 15), zone=ZONE)  # two weeks
MONDAYS_9_TO_17 = {1: [(0, time(9), time(17))]}


def local(day, hour):
    return at_local(day, time(hour), ZONE)


def test_weekday_counts_count_each_weekday_in_the_range():
    assert weekday_counts(date(2026, 11, 2), date(2026, 11, 10)) == [2, 2, 1, 1, 1, 1, 1]


def test_overlapping_intervals_merge():
    a, b, c = (datetime(2026, 1, 1, h, tzinfo=UTC) for h in (9, 11, 13))
    assert merge([(b, c), (a, b)]) == [(a, c)]


def test_time_off_and_a_closure_over_the_same_hours_count_once():
    off = [(local(date(2026, 11, 2), 9), local(date(2026, 11, 2), 13))]
    closed = [(local(date(2026, 11, 2), 11), local(date(2026, 11, 2), 17))]
    seconds = available_seconds(WEEK, MONDAYS_9_TO_17, {1: off}, closed)
    assert seconds[1] == 8 * 3600  # the second Monday only


def test_time_off_outside_the_blocks_takes_nothing():
    off = [(local(date(2026, 11, 3), 9), local(date(2026, 11, 3), 17))]  # a Tuesday
    assert available_seconds(WEEK, MONDAYS_9_TO_17, {1: off}, [])[1] == 16 * 3600


@pytest.mark.parametrize(
    ("role", "allowed", "own"),
    [
        (Role.CLINIC_ADMIN, True, False),
        (Role.THERAPIST, True, True),
        (Role.FRONT_DESK, False, False),
    ],
)
def test_report_scope_gives_the_admin_everyone_and_a_therapist_themself(
    user_of, therapist, role, allowed, own
):
    assert report_scope(user_of(role)) == (allowed, therapist if own else None)


@pytest.mark.django_db
def test_a_stored_clinic_closure_is_taken_from_the_hours_available():
    Closure.objects.create(
        first_day=date(2026, 11, 9), last_day=date(2026, 11, 20), reason="Renovation"
    )
    closed = closures(WEEK)
    # Only the part inside the period, as whole local days.
    assert closed == [(local(date(2026, 11, 9), 0), local(date(2026, 11, 16), 0))]
    assert available_seconds(WEEK, MONDAYS_9_TO_17, {}, closed)[1] == 8 * 3600
