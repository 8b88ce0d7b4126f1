"""Waitlist scenes: a clinic with no quiet hours, a therapist working 8 to 20 every day in one
room, a one-hour service, a visit three days ahead to cancel, and waiting clients."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from clinic.core.clinic_time import at_local
from clinic.core.models import ClinicSettings
from clinic.waitlist import joining
from intake.services import submit_intake
from tests.factories import (
    AppointmentFactory,
    ClientWithLoginFactory,
    RoomFactory,
    ServiceFactory,
    WorkingHoursFactory,
)
from tests.intake.answers_fixtures import clear_answers
from tests.sms_outbox import sms_outbox  # noqa: F401 (autouse in this folder)

EVERY_DAY = list(range(7))


@pytest.fixture(autouse=True)
def clinic(db):
    row = ClinicSettings.load()
    row.time_zone = "America/Toronto"
    row.quiet_hours_start = row.quiet_hours_end = time(0)
    row.waitlist_hold_minutes = 20
    row.save()
    return row


@pytest.fixture
def service(db):
    return ServiceFactory(name="Gluteal release 60 min", duration_minutes=60, buffer_minutes=0)


@pytest.fixture
def room(db):
    return RoomFactory(name="Willow")


@pytest.fixture
def hours(therapist, room):
    for weekday in range(7):
        WorkingHoursFactory(
            therapist=therapist, weekday=weekday, start_time=time(8), end_time=time(20), room=room
        )


def ten_am(days_ahead=3) -> datetime:
    day = timezone.localdate() + timedelta(days=days_ahead)
    return at_local(day, time(10))


@pytest.fixture
def visit(hours, therapist, room, service):
    """A booked visit three days ahead at 10:00, by a client who will cancel it."""
    return AppointmentFactory(therapist=therapist, room=room, service=service, starts_at=ten_am())


@pytest.fixture
def waiting(service):
    """Makes a client with a login and a clear intake, waiting for the service every day
    8 to 20 (or as given)."""

    def make(*, created_at=None, answers=None, **window):
        client = ClientWithLoginFactory()
        submit_intake(client, clear_answers(**(answers or {})), None)
        window.setdefault("weekdays", EVERY_DAY)
        window.setdefault("earliest", time(8))
        window.setdefault("latest", time(20))
        return joining.join(
            client=client, service=service, by=None, now=created_at or timezone.now(), **window
        )

    return make
