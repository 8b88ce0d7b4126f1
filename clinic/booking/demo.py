"""Demo rooms, services, weekly hours and a week of visits; found-or-created, never duplicated.

Visits are laid out by date (this week, Monday to Saturday), not by "now", so seeding again
on any day of the week finds the same rows.
"""

from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from clinic.core.clinic_time import at_local, today, week_start

from .booking import plan_visit
from .conflicts import find_conflicts
from .models import Appointment, AppointmentStatus, Room, Service, WorkingHours

ROOMS = ["Willow", "Cedar", "Birch"]
SERVICES = [
    ("Gluteal release 60 min", 60, 15, "Deep work on the gluteal muscles and piriformis."),
    ("Low back and hips 45 min", 45, 15, "Lower back and hip muscles, lighter pressure."),
    ("Initial assessment and treatment 75 min", 75, 15, "First visit: assessment and treatment."),
    ("Follow-up 30 min", 30, 10, "A short follow-up treatment."),
]
VISIT_TIMES = [time(9, 30), time(11, 0), time(14, 0)]


def _hours(therapists, rooms):
    for index, therapist in enumerate(therapists):
        for weekday in range(5):
            WorkingHours.objects.get_or_create(
                therapist=therapist,
                weekday=weekday,
                start_time=time(9),
                defaults={"end_time": time(17), "room": rooms[index % len(rooms)]},
            )
    WorkingHours.objects.get_or_create(
        therapist=therapists[0],
        weekday=5,
        start_time=time(10),
        defaults={"end_time": time(14), "room": rooms[0]},
    )


def _visits(people, rooms, services):
    now = timezone.now()
    monday = week_start(today())
    for day in (monday + timedelta(days=n) for n in range(6)):
        for i, therapist in enumerate(people.therapists):
            for k, wall in enumerate(VISIT_TIMES):
                client = people.clients[(i + 3 * k + day.weekday()) % len(people.clients)]
                service = services[(i + k) % 3]
                starts_at = at_local(day, wall)
                if Appointment.objects.filter(therapist=therapist, starts_at=starts_at).exists():
                    continue
                visit = plan_visit(client, therapist, rooms[i].pk, service, starts_at)
                if find_conflicts(visit, therapist):
                    continue  # outside hours, or a clash with a visit booked by hand
                status = AppointmentStatus.BOOKED
                if visit.ends_at <= now:
                    status = AppointmentStatus.COMPLETED
                elif starts_at <= now:
                    status = AppointmentStatus.CHECKED_IN
                Appointment.objects.create(
                    client=client,
                    therapist=therapist,
                    room=rooms[i],
                    service=service,
                    starts_at=starts_at,
                    ends_at=visit.ends_at,
                    busy_until=visit.busy_until,
                    status=status,
                    booked_by=people.front_desk,
                    booked_at=now,
                    self_booked=(k == 2 and i == 1),
                )


def seed(people):
    """Three rooms, four services, weekday hours for the demo therapists, this week's visits."""
    rooms = [Room.objects.get_or_create(name=name)[0] for name in ROOMS]
    services = [
        Service.objects.get_or_create(
            name=name,
            defaults={
                "duration_minutes": minutes,
                "buffer_minutes": buffer,
                "description": description,
                # Demo prices, before tax (the clinic's tax rate is added on receipts).
                "price": Decimal(minutes * 2),
            },
        )[0]
        for name, minutes, buffer, description in SERVICES
    ]
    _hours(people.therapists, rooms)
    _visits(people, rooms, services)
