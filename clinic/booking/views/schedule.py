"""One visit's page and calendar file, and which buttons a visit offers (the day and week
grids are in views/grid.py)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from clinic.accounts.roles import (
    STAFF,
    Role,
    can_view_client_contact,
    permitted_visit_actions,
    role_required,
)
from clinic.core.clinic_time import clinic_zone, local_date
from clinic.core.models import ClinicSettings

from .. import transitions
from ..booking import late_window_hours
from ..calendar import client_ics
from ..models import Appointment
from ..selectors import with_screening


def actions_for(user, appointment, *, now=None, zone=None):
    """Which buttons a user sees on a visit: those its status and the clock allow now, of
    those the user's role may take (the booking service still decides on the press)."""
    allowed = transitions.actions_now(appointment, now or timezone.now(), zone or clinic_zone())
    return permitted_visit_actions(user, appointment, allowed)


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
            "late_window_hours": late_window_hours(),
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
