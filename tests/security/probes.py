"""What the bad-input probes of the clinic admin's screens check after each request: a clear
4xx, and no row added anywhere."""

from clinic.accounts.models import Therapist, User
from clinic.audit.models import AuditEvent
from clinic.booking.models import Closure, Room, Service
from clinic.privacy.models import AccessRequest, Breach

CLEAN_4XX = (400, 403, 404, 405, 409)


def answered_clearly(response):
    """A 4xx the user can act on: a server error would be 500."""
    assert response.status_code in CLEAN_4XX, response.status_code
    return response


def counts():
    models = (User, Therapist, Service, Room, Closure, AccessRequest, Breach, AuditEvent)
    return [model.objects.count() for model in models]
