"""Loading a client, plan or note for a request, refused (403) unless roles.py allows it.

The loader is where a read is audited, once per request whichever page, API or PDF reads:
`audit` is the row to write (by default a view for a read, none for a write, whose row the
service writes), or False for none.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from clinic.accounts.models import Client
from clinic.accounts.roles import (
    can_chart_visit,
    can_read_treatment,
    can_write_treatment,
    treatment_refusal,
)
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.booking.models import Appointment

from .models import SessionNote, TreatmentPlan


def _allowed(request, client, write):
    check = can_write_treatment if write else can_read_treatment
    if not check(request.user, client):
        raise treatment_refusal(request.user, client)


def visit_for_charting(request, appointment_id):
    """The visit whose note the user writes: only the visit's own therapist (403 otherwise)."""
    appointment = get_object_or_404(
        Appointment.objects.select_related("client", "therapist__user"), pk=appointment_id
    )
    if not can_chart_visit(request.user, appointment):
        raise PermissionDenied
    return appointment


def _audit(request, obj, write, audit, detail, client=None):
    action = (None if write else AuditAction.VIEW) if audit is None else audit
    if action:
        record(request, action, obj, client, detail=detail)


def view_on_get(request):
    """For a write page: its GET shows the record (a view); its POST is the service's row."""
    return AuditAction.VIEW if request.method == "GET" else False


def client_for(request, client_id, write=False, audit=None, part="record", detail=""):
    """The client; `part` names what of them is read ("record", "progress") for the audit."""
    client = get_object_or_404(
        Client.objects.select_related("primary_therapist__user"), pk=client_id
    )
    _allowed(request, client, write)
    _audit(request, (part, client.pk), write, audit, detail, client)
    return client


def plan_for(request, pk, write=False, audit=None, detail=""):
    plan = get_object_or_404(
        TreatmentPlan.objects.select_related("client", "therapist__user"), pk=pk
    )
    _allowed(request, plan.client, write)
    _audit(request, plan, write, audit, detail)
    return plan


def note_for(request, pk, write=False, audit=None, detail="", charting=False):
    """The note; `charting` (writing the note itself, or signing it) is for the visit's own
    therapist only, where `write` (amending) is for any therapist who treats the client."""
    note = get_object_or_404(
        SessionNote.objects.select_related(
            "client", "therapist__user", "appointment", "signed_by", "treatment_plan"
        ),
        pk=pk,
    )
    _allowed(request, note.client, write or charting)
    if charting and not can_chart_visit(request.user, note.appointment):
        raise PermissionDenied
    _audit(request, note, write or charting, audit, detail)
    return note
