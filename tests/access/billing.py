"""Permission-matrix rows for billing: the front desk and clinic admins take payments."""

from clinic.accounts.models import Role

from . import Route

DESK = frozenset({Role.FRONT_DESK, Role.CLINIC_ADMIN})


def visit(w):
    return {"pk": w.appointment.pk}


ROUTES = {
    "billing-checkout": Route(DESK, kwargs=visit),
}
