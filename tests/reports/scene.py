"""A small clinic week with figures known in advance, for the report tests.

The period is Monday 2 to Sunday 8 November 2026 (clinic time). `therapist` (the `therapist`
fixture) works Monday 9-17 and Tuesday 9-13, off Tuesday 9-11: 10 hours available. `other`
works Monday 9-17: 8 hours.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.utils import timezone

from clinic.accounts.models import Therapist
from clinic.booking.models import AppointmentStatus, TimeOff
from clinic.core.clinic_time import at_local
from clinic.reports.period import Period
from sessions.models import Frequency, SessionNote, TreatmentPlan
from tests.factories import (
    AppointmentFactory,
    ClientFactory,
    RoomFactory,
    ServiceFactory,
    TherapistFactory,
    WorkingHoursFactory,
)

S = AppointmentStatus
MONDAY = date(2026, 11, 2)
HOME_CARE = [{"tool": "ball", "technique": "kneading", "minutes": 5, "days": ["mon", "wed"]}]


def period(zone) -> Period:
    return Period(start=MONDAY, end=MONDAY + timedelta(days=6), zone=zone)


def at(day_offset: int, hour: int, minute: int = 0):
    return at_local(MONDAY + timedelta(days=day_offset), time(hour, minute))


@dataclass
class Scene:
    therapist: Therapist
    other: Therapist
    clients: list = field(default_factory=list)
    plans: dict = field(default_factory=dict)


def visit(scene, client, therapist, starts_at, status=S.COMPLETED, **extra):
    return AppointmentFactory(
        client=client,
        therapist=therapist,
        room=scene.room,
        service=scene.service,
        starts_at=starts_at,
        status=status,
        **extra,
    )


def plan(client, therapist, frequency=Frequency.WEEKLY, home_care=()):
    return TreatmentPlan.objects.create(
        client=client,
        therapist=therapist,
        frequency_weeks=frequency,
        home_care=list(home_care),
        starts_on=date(2026, 10, 1),
        review_on=date(2027, 1, 1),
    )


def note(appointment, plan=None, **fields):
    return SessionNote.objects.create(
        appointment=appointment,
        client=appointment.client,
        therapist=appointment.therapist,
        treatment_plan=plan,
        session_on=appointment.starts_at.date(),
        **fields,
    )


def build(therapist) -> Scene:
    """The week described above; see each line for the figure it makes."""
    scene = Scene(therapist=therapist, other=TherapistFactory())
    scene.room, scene.service = (
        RoomFactory(name="Room A"),
        ServiceFactory(duration_minutes=60, buffer_minutes=0),
    )
    for weekday, start, end in ((0, 9, 17), (1, 9, 13)):
        WorkingHoursFactory(
            therapist=therapist, weekday=weekday, start_time=time(start), end_time=time(end)
        )
    WorkingHoursFactory(therapist=scene.other, weekday=0, start_time=time(9), end_time=time(17))
    TimeOff.objects.create(therapist=therapist, starts_at=at(1, 9), ends_at=at(1, 11))
    c1, c2, c3, c4 = scene.clients = [ClientFactory() for _ in range(4)]
    # c1 came before the period: a returning client; c2, c3 and c4 are new.
    visit(scene, c1, therapist, at(-13, 10))
    v1 = visit(scene, c1, therapist, at(0, 11))
    v2 = visit(scene, c2, therapist, at(0, 12))
    visit(scene, c3, therapist, at(0, 13), S.NO_SHOW)
    visit(scene, c1, therapist, at(0, 14), S.CANCELLED, late_cancellation=True)
    v3 = visit(scene, c3, therapist, at(1, 11), S.CHECKED_IN)
    visit(scene, c4, scene.other, at(0, 10))
    # c2 booked their next visit at checkout (the same day); c1 came back within 14 days.
    visit(scene, c2, therapist, at(7, 12), S.BOOKED, booked_at=at(0, 12, 30))
    visit(scene, c1, therapist, at(10, 11))
    # Plans: c1 and c2 weekly, c3 fortnightly and never back (missed); c2 has a visit ahead.
    scene.plans = {
        "c1": plan(c1, therapist, home_care=HOME_CARE),
        "c2": plan(c2, therapist),
        "c3": plan(c3, therapist, Frequency.FORTNIGHTLY),
    }
    note(v1, scene.plans["c1"])
    note(v2, scene.plans["c2"])
    note(v3, scene.plans["c3"])
    ahead = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=30)
    visit(scene, c2, therapist, ahead, S.BOOKED)
    return scene
