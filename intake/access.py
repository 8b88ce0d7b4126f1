"""Loading a client's screening for a page: a clinical read of the intake is audited here,
once per request, and the page's template tags only show what was loaded."""

from clinic.accounts.roles import can_manage_screening
from clinic.audit.log import record
from clinic.audit.models import AuditAction

from .status import ScreeningStatus, screening_status


def screening_for(request, client) -> ScreeningStatus:
    """The client's current screening status for `request`'s page.

    When the viewer may read the answers (an admin or the client's own therapist, as
    roles.can_manage_screening says), reading the intake is audited as a view.
    """
    status = screening_status(client)
    if status.intake is not None and can_manage_screening(request.user, client):
        record(request, AuditAction.VIEW, status.intake)
    return status


def own_screening_for(request, client) -> ScreeningStatus:
    """The client's screening for their own page, which shows them their answers: a read of
    the intake like any other, so it is audited as a view too."""
    status = screening_status(client)
    if status.intake is not None:
        record(request, AuditAction.VIEW, status.intake, detail="own page")
    return status


def document_read(request, document) -> None:
    """Audit opening a clearance's file or a client's upload (a read of the record)."""
    record(request, AuditAction.VIEW, document, detail="document")
