"""Permission-matrix rows for billing: the front desk and clinic admins take payments; a
client reaches their own receipts; a therapist sees no money (their visits' billing status is a
panel on the visit page, tested apart)."""

from decimal import Decimal

from django.utils import timezone

from clinic.accounts.models import Role
from clinic.billing.claims import submit_claim
from clinic.billing.invoices import issue
from clinic.billing.models import CardOnFile, Invoice, InvoiceLine
from clinic.billing.payments import record_payment
from clinic.core.models import ClinicSettings

from . import PUBLIC, Route

DESK = frozenset({Role.FRONT_DESK, Role.CLINIC_ADMIN})
CLIENT = frozenset({Role.CLIENT})
THERAPIST = frozenset({Role.THERAPIST})


def add_to_world(world):
    """An issued invoice for the world's client and visit, with an insurer claim; superbills
    on (a US clinic)."""
    settings = ClinicSettings.load()
    settings.superbill_enabled = True
    settings.save()
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
    world.payment = record_payment(
        invoice=world.invoice,
        method="cash",
        amount=Decimal("10.00"),
        idempotency_key="matrix-world",
        by=None,
    )
    CardOnFile.objects.create(
        client=world.client,
        customer="cus_matrix",
        payment_method="pm_matrix",
        brand="visa",
        last4="4242",
        exp_month=12,
        exp_year=2034,
    )
    world.claim = submit_claim(
        world.invoice,
        insurer="Sun Life",
        member_id="SL-1",
        amount=Decimal("50.00"),
        idempotency_key="matrix-world-claim",
        by=None,
    )


def this_year():
    return timezone.localdate().year


def invoice(w):
    return {"pk": w.invoice.pk}


def visit(w):
    return {"pk": w.appointment.pk}


ROUTES = {
    "billing-checkout": Route(DESK, kwargs=visit),
    "billing-receipt": Route(DESK | CLIENT, kwargs=lambda w: {"pk": w.invoice.pk}),
    "billing-my-invoices": Route(CLIENT),
    # Superbills (US clinics): the visit's therapist may choose the codes, never print money.
    "billing-superbill-codes": Route(DESK | THERAPIST, kwargs=invoice),
    "billing-superbill": Route(DESK | CLIENT, kwargs=invoice),
    "billing-my-statement": Route(CLIENT, kwargs=lambda w: {"year": this_year()}),
    "billing-client-statement": Route(
        DESK, kwargs=lambda w: {"client_id": w.client.pk, "year": this_year()}
    ),
    # Cards online (the matrix runs with the manual gateway: each answers a clear message).
    "billing-my-card": Route(CLIENT),
    "billing-my-card-saved": Route(CLIENT),
    "billing-my-pay": Route(CLIENT, method="post"),
    "billing-my-paid": Route(CLIENT),
    "billing-book-with-card": Route(CLIENT, kwargs=lambda w: {"pk": w.appointment.service_id}),
    "billing-close-out": Route(DESK),
    "billing-export": Route(DESK),
    # Anyone may knock; an unsigned request is a 400 (tests/billing/test_gateways.py).
    "billing-stripe-webhook": Route(PUBLIC, method="post"),
    "api-invoices": Route(DESK | CLIENT),
    "api-invoice": Route(DESK | CLIENT, kwargs=invoice),
    "api-invoice-receipt": Route(DESK | CLIENT, kwargs=invoice),
    # Issuing an issued invoice is refused (409) after the role check lets the desk through.
    "api-invoice-issue": Route(DESK, kwargs=invoice, method="post"),
    "api-invoice-credit": Route(
        DESK, kwargs=invoice, method="post", data=lambda w: {"reason": "Matrix check"}
    ),
    "api-payments": Route(
        DESK,
        method="post",
        data=lambda w: {
            "invoice": w.invoice.pk,
            "method": "cash",
            "amount": "1.00",
            "idempotency_key": "matrix",
        },
    ),
    "api-payment-refunds": Route(
        DESK,
        kwargs=lambda w: {"pk": w.payment.pk},
        method="post",
        data=lambda w: {"amount": "1.00", "reason": "matrix", "idempotency_key": "matrix-r"},
    ),
    # The world's client has a card; the charge is refused (manual gateway) after the role check.
    "api-client-card": Route(DESK | CLIENT, kwargs=lambda w: {"pk": w.client.pk}),
    "api-invoice-charge-card": Route(
        DESK,
        kwargs=invoice,
        method="post",
        data=lambda w: {"amount": "1.00", "idempotency_key": "matrix-charge"},
    ),
    "api-appointment-billing-status": Route(DESK | THERAPIST, kwargs=visit),
    "api-claims": Route(DESK | CLIENT),
    "api-invoice-claims": Route(
        DESK,
        kwargs=invoice,
        method="post",
        data=lambda w: {
            "insurer": "Manulife",
            "member_id": "M-1",
            "amount": "1.00",
            "idempotency_key": "matrix-claim",
        },
    ),
    "api-claim-payment": Route(
        DESK,
        kwargs=lambda w: {"pk": w.claim.pk},
        method="post",
        data=lambda w: {"amount": "50.00", "idempotency_key": "matrix-claim-paid"},
    ),
    "api-claim-denial": Route(
        DESK,
        kwargs=lambda w: {"pk": w.claim.pk},
        method="post",
        data=lambda w: {"reason": "Not covered"},
    ),
}
