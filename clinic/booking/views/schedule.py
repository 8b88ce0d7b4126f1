"""The schedule pages every staff member reads: the day view, a therapist's week, one visit."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from clinic.accounts.models import Therapist
from clinic.accounts.roles import (
    STAFF,
    Role,
    can_manage_bookings,
    can_regenerate_feed,
    can_view_client_contact,
    own_therapist,
    permitted_visit_actions,
    role_required,
)
from clinic.core.clinic_time import local_date, today, week_start
from clinic.core.models import ClinicSettings

from .. import transitions
from ..booking import LATE_CANCELLATION
from ..calendar import client_ics
from ..models import Appointment
from ..selectors import day_columns, week_columns, with_screening


def _day_from(request, default=None):
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return default or today()


def actions_for(user, appointment):
    """Which buttons a user sees on a visit: the booking service still decides."""
    allowed = transitions.actions_from(appointment.status)
    return permitted_visit_actions(user, appointment, allowed)


@role_required(*STAFF)
def day_view(request):
    """The front desk's main page: one column per therapist, each visit with its screening."""
    day = _day_from(request)
    columns = day_columns(day)
    for column in columns:
        for visit in column.appointments:
            visit.actions = actions_for(request.user, visit)
    return render(
        request,
        "booking/day.html",
        {
            "day": day,
            "columns": columns,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "today": today(),
            "visit_count": sum(len(c.appointments) for c in columns),
            "can_book": can_manage_bookings(request.user),
        },
    )


@role_required(*STAFF)
def week_view(request):
    """One therapist's week, Monday to Sunday; therapists open on their own."""
    therapists = list(Therapist.objects.filter(is_active=True).select_related("user"))
    own = own_therapist(request.user)
    wanted = request.GET.get("therapist", "")
    therapist = next((t for t in therapists if str(t.pk) == wanted), None)
    if therapist is None and wanted.isdigit():
        therapist = get_object_or_404(Therapist.objects.select_related("user"), pk=wanted)
    therapist = therapist or own or (therapists[0] if therapists else None)
    monday = week_start(_day_from(request))
    columns = week_columns(therapist, monday) if therapist else []
    for column in columns:
        for visit in column.appointments:
            visit.actions = actions_for(request.user, visit)
    return render(
        request,
        "booking/week.html",
        {
            "therapist": therapist,
            "therapists": therapists,
            "columns": columns,
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "today": today(),
            "can_regenerate": therapist is not None
            and can_regenerate_feed(request.user, therapist),
        },
    )


def appointment_or_404(pk):
    return get_object_or_404(
        Appointment.objects.select_related(
            "client", "therapist__user", "room", "service", "booked_by", "cancelled_by"
        ),
        pk=pk,
    )


@role_required(*STAFF)
def appointment_detail(request, pk):
    visit = with_screening([appointment_or_404(pk)])[0]
    visit.actions = actions_for(request.user, visit)
    return render(
        request,
        "booking/appointment.html",
        {
            "visit": visit,
            "day": local_date(visit.starts_at),
            "late_window_hours": int(LATE_CANCELLATION.total_seconds() // 3600),
        },
    )


@role_required(*STAFF, Role.CLIENT)
def appointment_ics(request, pk):
    """One visit as a calendar file: for staff, and for the client it belongs to."""
    visit = appointment_or_404(pk)
    if not can_view_client_contact(request.user, visit.client):
        raise PermissionDenied
    response = HttpResponse(client_ics([visit]), content_type="text/calendar")
    name = f"{ClinicSettings.load().name} {visit.starts_at:%Y-%m-%d}".replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response
