"""Loading a client, plan or note for a request, refused (403) unless roles.py allows it."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from clinic.accounts.models import Client
from clinic.accounts.roles import can_read_treatment, can_write_treatment

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
