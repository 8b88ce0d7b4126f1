"""Checkout at the desk: issue the visit's invoice and record its payments, all or nothing.

A submitted checkout carries one idempotency key; its payments use that key with their row
number, so a double click or a retried request issues once and records each payment once.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from clinic.accounts.models import User

from .claims import submit_claim
from .invoices import BillingError, issue
from .models import Invoice, Payer, Payment, PaymentMethod
from .payments import record_payment


@dataclass(frozen=True)
class ClaimPart:
    """The part of the visit billed to the client's insurer (direct billing)."""

    insurer: str
    member_id: str
    amount: Decimal


@dataclass(frozen=True)
class Tender:
    """One part of a (possibly split) payment."""

    method: str
    amount: Decimal
    reference: str = ""

    @property
    def payer(self) -> str:
        return Payer.INSURER if self.method == PaymentMethod.INSURER else Payer.CLIENT


def checkout(
    invoice: Invoice,
    *,
    tenders: list[Tender],
    idempotency_key: str,
    by: User | None,
    claim: ClaimPart | None = None,
) -> tuple[Invoice, list[Payment]]:
    """Issue the invoice if it is still a draft, bill the insurer its part (before the client
    pays theirs), then record each tender against it."""
    if not idempotency_key:
        raise BillingError("The checkout form is missing its key; reload the page.")
    with transaction.atomic():
        issued = invoice if invoice.is_issued else issue(invoice, by=by)
        if claim is not None:
            submit_claim(
                issued,
                insurer=claim.insurer,
                member_id=claim.member_id,
                amount=claim.amount,
                idempotency_key=f"{idempotency_key}-claim",
                by=by,
            )
        payments = [
            record_payment(
                invoice=issued,
                method=tender.method,
                payer=tender.payer,
                amount=tender.amount,
                reference=tender.reference,
                idempotency_key=f"{idempotency_key}-{row}",
                by=by,
            )
            for row, tender in enumerate(tenders, start=1)
        ]
    return issued, payments
