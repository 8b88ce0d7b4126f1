"""DRF object permissions built on roles.py: a view lists them and DRF asks them of each object.

Generic views ask them in get_object(); a view that loads an object by hand calls
`self.check_object_permissions(request, obj)`, and a function view calls `check_object`.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from . import roles
from .models import Client


def client_of(obj):
    """The client a clinical object (plan, note, intake, clearance) belongs to, or the client."""
    return obj if isinstance(obj, Client) else obj.client


class ClientRule(BasePermission):
    """Allows an object when `rule(user, client)` from roles.py allows its client."""

    rule = None

    def has_object_permission(self, request, view, obj):
        return self.rule(request.user, client_of(obj))


def readable(request, client):
    """Whether the user may read the client's record; a therapist who may break the glass is
    refused with NotTreating, which the API answers with code `not_treating` and where to ask."""
    if roles.can_read_treatment(request.user, client):
        return True
    if roles.can_break_glass(request.user, client):
        raise roles.NotTreating(client)
    return False


class TreatmentAccess(BasePermission):
    """Read a client's treatment with a safe method; write it (any other method) as their
    therapist."""

    message = "This client's treatment is not yours to see or change."

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return readable(request, client_of(obj))
        return roles.can_write_treatment(request.user, client_of(obj))


class ChartsVisit(BasePermission):
    """A visit's note (or the visit, when starting it) is written and signed only by the
    visit's own therapist; reading is TreatmentAccess's question."""

    message = "Only the visit's own therapist writes and signs its note."

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return roles.can_chart_visit(request.user, getattr(obj, "appointment", obj))


class ManagesScreening(BasePermission):
    """Intake answers, findings and clearances: an admin or the client's own therapist (to read,
    also a therapist who broke the glass for them today)."""

    message = "This client is not one of yours."

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return readable(request, client_of(obj))
        return roles.can_record_screening(request.user, client_of(obj))


class RecordsPractice(ClientRule):
    """Home-care practice: the client themself or a therapist who treats them."""

    message = "Not your client."
    rule = staticmethod(roles.can_record_practice)


def check_object(request, obj):
    """Ask a function view's permission classes about an object it loaded by hand."""
    request.parser_context["view"].check_object_permissions(request, obj)
