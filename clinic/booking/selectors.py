"""Read paths for the booking pages: a fixed number of queries whatever the clinic's size."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Replace
from django.utils import timezone

from clinic.accounts.models import Client, Therapist
from clinic.core.clinic_time import clinic_zone, day_bounds, local_date
from intake.status import screening_statuses

from .availability import free_slots
from .models import LIVE, Appointment, AppointmentStatus, TimeOff, WorkingHours


@dataclass
class Column:
    """One therapist's (day view) or one day's (week view) hours, time off and visits."""

    therapist: Therapist | None = None
    day: date | None = None
    hours: list = field(default_factory=list)
    time_off: list = field(default_factory=list)
    appointments: list = field(default_factory=list)


def with_screening(appointments):
    """Set `.screening` (intake status) on each appointment, in one query for all of them."""
    appointments = list(appointments)
    statuses = screening_statuses([a.client_id for a in appointments])
    for appointment in appointments:
        appointment.screening = statuses[appointment.client_id]
    return appointments


def _visits(start, end):
    return (
        Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("client", "service", "room")
        .order_by("starts_at")
    )


def day_columns(day: date) -> list[Column]:
    """The day view: a column per active therapist (and any other with visits that day)."""
    zone = clinic_zone()
    start, end = day_bounds(day, zone)
    visits = with_screening(_visits(start, end))
    booked_ids = {a.therapist_id for a in visits}
    therapists = Therapist.objects.filter(Q(is_active=True) | Q(pk__in=booked_ids)).select_related(
        "user"
    )
    columns = {t.pk: Column(therapist=t, day=day) for t in therapists}
    for block in WorkingHours.objects.filter(weekday=day.weekday(), therapist_id__in=columns):
        columns[block.therapist_id].hours.append(block)
    for off in TimeOff.objects.filter(
        therapist_id__in=columns, starts_at__lt=end, ends_at__gt=start
    ):
        columns[off.therapist_id].time_off.append(off)
    for visit in visits:
        visit.therapist = columns[visit.therapist_id].therapist
        columns[visit.therapist_id].appointments.append(visit)
    return list(columns.values())


def week_columns(therapist: Therapist, monday: date) -> list[Column]:
    """The week view of one therapist: a column per day, Monday to Sunday."""
    zone = clinic_zone()
    days = [monday + timedelta(days=n) for n in range(7)]
    start, end = day_bounds(days[0], zone)[0], day_bounds(days[-1], zone)[1]
    columns = {d: Column(therapist=therapist, day=d) for d in days}
    by_weekday = {d.weekday(): columns[d] for d in days}
    for block in WorkingHours.objects.filter(therapist=therapist):
        by_weekday[block.weekday].hours.append(block)
    for off in TimeOff.objects.filter(therapist=therapist, starts_at__lt=end, ends_at__gt=start):
        for d in days:
            day_start, day_end = day_bounds(d, zone)
            if off.starts_at < day_end and off.ends_at > day_start:
                columns[d].time_off.append(off)
    for visit in with_screening(_visits(start, end).filter(therapist=therapist)):
        visit.therapist = therapist
        columns[local_date(visit.starts_at, zone)].appointments.append(visit)
    return list(columns.values())


def todays_visits(therapist=None, limit=None):
    """Today's visits (of one therapist, or everyone's), with their screening status."""
    start, end = day_bounds(local_date(timezone.now()))
    visits = _visits(start, end).select_related("therapist__user")
    if therapist is not None:
        visits = visits.filter(therapist=therapist)
    return with_screening(visits[:limit] if limit else visits)


def client_schedule(client, upcoming=10, recent=5):
    """A client's next live visits and their latest past ones (any status), in two queries."""
    now = timezone.now()
    visits = Appointment.objects.filter(client=client).select_related(
        "therapist__user", "service", "room"
    )
    return (
        list(visits.filter(LIVE, starts_at__gte=now).order_by("starts_at")[:upcoming]),
        list(visits.filter(starts_at__lt=now).order_by("-starts_at")[:recent]),
    )


def _phone_digits():
    expression = F("phone")
    for character in " -().+":
        expression = Replace(expression, Value(character), Value(""))
    return expression


def search_clients(query: str, limit=50):
    """Clients matching a name, an email or a phone number (any punctuation), with each one's
    screening status (`.screening`) and next visit time (`.next_visit`)."""
    query = (query or "").strip()
    if not query:
        return []
    digits = re.sub(r"\D", "", query)
    clients = Client.objects.all()
    if "@" in query:
        clients = clients.filter(email__icontains=query)
    elif len(digits) >= 3 and not re.search(r"[^\d\s\-().+]", query):
        clients = clients.annotate(phone_digits=_phone_digits()).filter(
            phone_digits__contains=digits
        )
    else:
        for term in query.split():
            clients = clients.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(email__icontains=term)
            )
    upcoming = Appointment.objects.filter(
        LIVE, client=OuterRef("pk"), starts_at__gte=timezone.now()
    ).order_by("starts_at")
    clients = list(
        clients.annotate(next_visit=Subquery(upcoming.values("starts_at")[:1])).order_by(
            "last_name", "first_name"
        )[:limit]
    )
    statuses = screening_statuses([c.pk for c in clients])
    for client in clients:
        client.screening = statuses[client.pk]
    return clients


def slots_by_therapist(service, day: date, therapist=None):
    """Free slots on a local day, grouped as [(therapist, [slot, ...]), ...] by name."""
    start, end = day_bounds(day)
    slots = free_slots(service, start, end, therapist)
    therapists = {
        t.pk: t
        for t in Therapist.objects.filter(pk__in={s.therapist_id for s in slots}).select_related(
            "user"
        )
    }
    groups = {}
    for slot in slots:
        groups.setdefault(slot.therapist_id, []).append(slot)
    return sorted(
        ((therapists[pk], group) for pk, group in groups.items()), key=lambda g: g[0].name
    )
