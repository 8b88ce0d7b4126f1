"""Permission-matrix rows for billing: the front desk and clinic admins take payments; a
client reaches their own receipts; a therapist sees no money (their visits' billing status is a
panel on the visit page, tested apart)."""

from decimal import Decimal

from clinic.accounts.models import Role
from clinic.billing.invoices import issue
from clinic.billing.models import Invoice, InvoiceLine

from . import Route

DESK = frozenset({Role.FRONT_DESK, Role.CLINIC_ADMIN})
CLIENT = frozenset({Role.CLIENT})


def add_to_world(world):
    """An issued invoice for the world's client and visit."""
    invoice = Invoice.objects.create(
        client=world.client,
        therapist=world.therapist,
        appointment=world.appointment,
        currency="CAD",
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        kind="service",
        description="Massage therapy",
        unit_price=Decimal("100.00"),
        net=Decimal("100.00"),
        tax=Decimal("13.00"),
    )
    world.invoice = issue(invoice, by=None)


def visit(w):
    return {"pk": w.appointment.pk}


ROUTES = {
    "billing-checkout": Route(DESK, kwargs=visit),
    "billing-receipt": Route(DESK | CLIENT, kwargs=lambda w: {"pk": w.invoice.pk}),
    "billing-my-invoices": Route(CLIENT),
}
