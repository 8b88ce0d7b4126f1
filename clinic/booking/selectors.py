"""Read paths for the booking pages: a fixed number of queries whatever the clinic's size."""

import re
from datetime import date

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from clinic.accounts.models import Client, Therapist
from clinic.accounts.search import phone_digits
from clinic.core.clinic_time import day_bounds, local_date
from intake.status import screening_statuses

from .availability import free_slots
from .models import LIVE, Appointment, AppointmentStatus


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


def search_clients(query: str, limit=50):
    """Clients matching a name, an email or a phone number (any punctuation), with each one's
    screening status (`.screening`) and next visit time (`.next_visit`)."""
    query = (query or "").strip()
    if not query:
        return []
    digits = re.sub(r"\D", "", query)
    clients = Client.objects.current()
    if "@" in query:
        clients = clients.filter(email__icontains=query)
    elif len(digits) >= 3 and not re.search(r"[^\d\s\-().+]", query):
        clients = clients.annotate(phone_digits=phone_digits()).filter(
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


def future_visits_of(therapist, now=None):
    """A therapist's live visits from now on, soonest first: what the desk must move when the
    therapist leaves or is away."""
    return (
        Appointment.objects.filter(LIVE, therapist=therapist, starts_at__gte=now or timezone.now())
        .select_related("client", "service", "room")
        .order_by("starts_at")
    )
