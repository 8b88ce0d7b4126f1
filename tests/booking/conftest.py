"""Booking scenes: a service with a buffer, two rooms, a therapist working every day 9 to 5."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from clinic.core.clinic_time import at_local
from tests.factories import RoomFactory, ServiceFactory, WorkingHoursFactory

ZONE = ZoneInfo("America/Toronto")
# Every scene happens in March 2026 and is planned from this moment, a Monday morning.
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("UTC"))


def at(day: str, wall: str) -> datetime:
    """The instant the clinic's clocks show `wall` on `day` (ISO strings)."""
    return at_local(date.fromisoformat(day), time.fromisoformat(wall), ZONE)


@pytest.fixture
def service(db):
    return ServiceFactory(name="Gluteal release 60 min", duration_minutes=60, buffer_minutes=15)


@pytest.fixture
def room(db):
    return RoomFactory(name="Willow")


@pytest.fixture
def other_room(db):
    return RoomFactory(name="Cedar")


def working_every_day(therapist, room=None, start=time(9), end=time(17)):
    return [
        WorkingHoursFactory(
            therapist=therapist, weekday=d, start_time=start, end_time=end, room=room
        )
        for d in range(7)
    ]


@pytest.fixture
def hours(therapist, room):
    """`therapist` works 9:00 to 17:00 every day, usually in `room`."""
    return working_every_day(therapist, room)
