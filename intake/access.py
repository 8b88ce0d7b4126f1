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
