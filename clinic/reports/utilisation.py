"""Utilisation: booked hours ÷ available hours, per therapist and per room.

Booked hours are the visits in the period that were not cancelled (a no-show's hour was kept
for the client, so it counts as booked). A therapist is available for their weekly hours minus
time off and closures (clinic/reports/availability.py); a room for the clinic's opening hours,
the union of every therapist's hours, minus closures.
"""

from datetime import timedelta

from django.db.models import DurationField, ExpressionWrapper, F, Sum

from clinic.accounts.models import Therapist
from clinic.booking.models import Appointment, AppointmentStatus, Room

from .availability import opening_seconds, therapist_hours
from .period import Period
from .tables import Chart, Section, Table, hours, rate

LENGTH = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def _booked(period: Period, therapist, by: str) -> dict[int, float]:
    visits = Appointment.objects.filter(
        starts_at__gte=period.starts_at, starts_at__lt=period.ends_at
    ).exclude(status=AppointmentStatus.CANCELLED)
    if therapist is not None:
        visits = visits.filter(therapist=therapist)
    totals = visits.values(by).annotate(booked=Sum(LENGTH)).values_list(by, "booked")
    return {key: (booked or timedelta()).total_seconds() for key, booked in totals}


def therapist_rows(period: Period, therapist=None) -> list[dict]:
    """One row per therapist (or only `therapist`) with hours, in name order (four queries)."""
    people = Therapist.objects.select_related("user")
    if therapist is not None:
        people = people.filter(pk=therapist.pk)
    people = list(people)
    available = therapist_hours(period, [t.pk for t in people])
    booked = _booked(period, therapist, "therapist")
    rows = []
    for person in people:
        if person.pk not in available and person.pk not in booked:
            continue  # no hours and no visits: nothing to report
        free, used = available.get(person.pk, 0), booked.get(person.pk, 0)
        rows.append(
            {
                "therapist": person.name,
                "available_hours": hours(free),
                "booked_hours": hours(used),
                "utilisation_percent": rate(used, free),
            }
        )
    return rows


def room_rows(period: Period) -> list[dict]:
    """One row per room: its booked hours over the clinic's opening hours (three queries)."""
    opening = opening_seconds(period)
    booked = _booked(period, None, "room")
    return [
        {
            "room": room.name,
            "available_hours": hours(opening),
            "booked_hours": hours(booked.get(room.pk, 0)),
            "utilisation_percent": rate(booked.get(room.pk, 0), opening),
        }
        for room in Room.objects.all()
        if room.is_active or room.pk in booked
    ]


COLUMNS = [
    ("available_hours", "Available hours"),
    ("booked_hours", "Booked hours"),
    ("utilisation_percent", "Utilisation (%)"),
]


def section(period: Period, therapist=None) -> Section:
    by_therapist = therapist_rows(period, therapist)
    tables = [
        Table(
            "utilisation-therapists",
            "Utilisation per therapist: booked hours ÷ available hours",
            [("therapist", "Therapist"), *COLUMNS],
            by_therapist,
        )
    ]
    if therapist is None:
        tables.append(
            Table(
                "utilisation-rooms",
                "Utilisation per room: booked hours ÷ the clinic's opening hours",
                [("room", "Room"), *COLUMNS],
                room_rows(period),
            )
        )
    chart = Chart(
        "bar",
        [row["therapist"] for row in by_therapist],
        [
            {
                "label": "Utilisation (%)",
                "data": [float(row["utilisation_percent"] or 0) for row in by_therapist],
            }
        ],
        "%",
    )
    return Section("utilisation", "Utilisation", tables=tables, chart=chart)
