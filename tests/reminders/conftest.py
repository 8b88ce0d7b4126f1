"""Reminder scenes: a clinic with no quiet hours (tests that need them set their own), visits
and treatment plans for `a_client`, and the SMS outbox."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase
from django.utils import timezone

from clinic.accounts.models import ReminderChannel
from clinic.billing.invoices import draft_for_visit, issue
from clinic.booking.models import AppointmentStatus
from clinic.core.models import ClinicSettings
from sessions.models import PlanStatus, TreatmentPlan
from tests.factories import (
    AppointmentFactory,
    RoomFactory,
    ServiceFactory,
    WorkingHoursFactory,
)
from tests.sms_outbox import sms_outbox  # noqa: F401 (autouse in this folder)

ZONE = ZoneInfo("America/Toronto")
UTC = ZoneInfo("UTC")


def at(day: str, wall: str) -> datetime:
    """The UTC instant Toronto's clocks show `wall` on `day` (ISO strings)."""
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(wall), ZONE).astimezone(UTC)


def soon(hours=72) -> datetime:
    """A whole hour `hours` from now."""
    return (timezone.now() + timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


@pytest.fixture(autouse=True)
def clinic(db):
    """The clinic's settings, in Toronto, with reminders at 48 and 2 hours and no quiet hours
    (quiet-hour tests set them), saved so every process reads them fresh."""
    row = ClinicSettings.load()
    row.time_zone = "America/Toronto"
    row.first_reminder_hours, row.second_reminder_hours = 48, 2
    row.quiet_hours_start = row.quiet_hours_end = time(0)
    row.phone = "+1 416 555 0100"
    row.save()
    return row


@pytest.fixture
def visit_for(a_client, therapist):
    """Makes a visit (written directly, no booking rules) for `a_client` by default."""
    service = ServiceFactory(name="Gluteal release 60 min", duration_minutes=60)
    room = RoomFactory(name="Willow")

    def make(starts_at, client=None, **extra):
        return AppointmentFactory(
            client=client or a_client,
            therapist=therapist,
            room=room,
            service=service,
            starts_at=starts_at,
            **extra,
        )

    return make


def home_care(days=("mon", "wed", "fri"), at_time="19:30", minutes=10):
    return [
        {
            "tool": "foam_roller",
            "technique": "kneading",
            "minutes": minutes,
            "days": list(days),
            "time": at_time,
        }
    ]


@pytest.fixture
def plan_for(a_client, therapist):
    """Makes an active treatment plan (written directly) for `a_client` by default."""

    def make(client=None, starts_on=date(2026, 1, 5), **extra):
        extra.setdefault("home_care", home_care())
        extra.setdefault("status", PlanStatus.ACTIVE)
        return TreatmentPlan.objects.create(
            client=client or a_client,
            therapist=therapist,
            review_on=starts_on + timedelta(weeks=6),
            starts_on=starts_on,
            **extra,
        )

    return make


@pytest.fixture
def both_channels(a_client):
    a_client.preferred_channel = ReminderChannel.BOTH
    a_client.sms_consent = True
    a_client.save()
    return a_client


@pytest.fixture
def bookable(therapist):
    """`therapist` works 9 to 5 every day, in one room, for a one-hour service."""
    room = RoomFactory(name="Willow")
    for weekday in range(7):
        WorkingHoursFactory(therapist=therapist, weekday=weekday, start_time=time(9), room=room)
    return ServiceFactory(name="Gluteal release 60 min", duration_minutes=60)


def ten_am(days_ahead):
    day = timezone.localdate(timezone=ZONE) + timedelta(days=days_ahead)
    return datetime.combine(day, time(10), ZONE).astimezone(UTC)


def committed():
    """Run what the block leaves for after the commit (balance reminders are planned then), as
    the clinic's own commit would: the test's transaction never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def balance_reminders_on(clinic):
    """The clinic has opted in to balance reminders: first 7 days after issue, then every 14
    days, 3 at most (the defaults)."""
    clinic.balance_reminders = True
    clinic.save()
    return clinic


@pytest.fixture
def issued_invoice(a_client, therapist):
    """Issues, at `issued_at`, the invoice of a completed 100.00 visit for `a_client` by default
    (through billing's own functions, so its signals plan as in the clinic)."""
    service = ServiceFactory(name="Gluteal release 60 min", price=Decimal("100.00"))

    def make(issued_at, client=None):
        visit = AppointmentFactory(
            client=client or a_client,
            therapist=therapist,
            service=service,
            starts_at=issued_at - timedelta(hours=1),
            status=AppointmentStatus.COMPLETED,
        )
        with committed():
            return issue(draft_for_visit(visit), by=None, now=issued_at)

    return make
