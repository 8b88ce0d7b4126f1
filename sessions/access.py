"""Loading a client, plan or note for a request, refused (403) unless roles.py allows it."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from clinic.accounts.models import Client, Role
from clinic.accounts.roles import can_read_treatment, can_write_treatment, role_of
from clinic.booking.models import Appointment, AppointmentStatus

from .models import SessionNote, TreatmentPlan


def _allowed(request, client, write):
    check = can_write_treatment if write else can_read_treatment
    if not check(request.user, client):
        raise PermissionDenied


def client_for(request, client_id, write=False):
    client = get_object_or_404(
        Client.objects.select_related("primary_therapist__user"), pk=client_id
    )
    _allowed(request, client, write)
    return client


def plan_for(request, pk, write=False):
    plan = get_object_or_404(
        TreatmentPlan.objects.select_related("client", "therapist__user"), pk=pk
    )
    _allowed(request, plan.client, write)
    return plan


def note_for(request, pk, write=False):
    note = get_object_or_404(
        SessionNote.objects.select_related(
            "client", "therapist__user", "appointment", "signed_by", "treatment_plan"
        ),
        pk=pk,
    )
    _allowed(request, note.client, write)
    return note


def readable_client_ids(user):
    """Clients whose treatment the user may read, as a subquery for API lists.

    Mirrors roles.can_read_treatment (admins: all; therapists: their primary clients and those
    they have a visit with that was not cancelled), so a list shows what a detail would allow.
    """
    role = role_of(user)
    if role == Role.CLINIC_ADMIN:
        return Client.objects.values("pk")
    therapist = getattr(user, "therapist", None) if role == Role.THERAPIST else None
    if therapist is None:
        return Client.objects.none().values("pk")
    visits = Appointment.objects.filter(therapist=therapist).exclude(
        status=AppointmentStatus.CANCELLED
    )
    return Client.objects.filter(
        Q(primary_therapist=therapist) | Q(pk__in=visits.values("client_id"))
    ).values("pk")
