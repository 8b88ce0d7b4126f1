"""Payments and refunds, recorded exactly once, and what each invoice and client still owes.

A double click or a retried request sends the same idempotency key: the first records the
payment, every repeat gets that same payment back and writes nothing.
"""

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum

from clinic.accounts.models import Client, User
from clinic.audit.log import record
from clinic.audit.models import AuditAction

from .invoices import BillingError, round_money
from .models import (
    ZERO,
    ClaimStatus,
    InsurerClaim,
    Invoice,
    InvoiceStatus,
    NumberSeries,
    Payer,
    Payment,
    PaymentMethod,
    Refund,
)
from .signals import balance_changed

KEY_MAX = 64


def _sum(queryset: QuerySet[Any], field: str = "amount") -> Decimal:
    total: Decimal | None = queryset.aggregate(total=Sum(field))["total"]
    return total if total is not None else ZERO


def paid_on(invoice: Invoice) -> Decimal:
    """What has been received for the invoice, less what was refunded."""
    paid = _sum(Payment.objects.filter(invoice=invoice))
    return paid - _sum(Refund.objects.filter(payment__invoice=invoice))


def due_on(invoice: Invoice) -> Decimal:
    """What the invoice still asks for (a credit note takes its whole total back)."""
    if not invoice.is_issued:
        return ZERO
    credited = _sum(invoice.credit_notes.filter(status=InvoiceStatus.ISSUED), "total")
    total: Decimal = invoice.total
    return total + credited - paid_on(invoice)


def claimed_on(invoice: Invoice) -> Decimal:
    """What insurers are asked for on the invoice and have not answered yet."""
    return _sum(InsurerClaim.objects.filter(invoice=invoice, status=ClaimStatus.SUBMITTED))


def client_due_on(invoice: Invoice) -> Decimal:
    """The client's part of what the invoice still asks for: pending claims are the insurer's."""
    return due_on(invoice) - claimed_on(invoice)


def client_balance(client: Client) -> Decimal:
    """What the client's account owes the clinic (negative: the clinic owes them), leaving out
    what insurers are asked for and have not answered yet."""
    issued = Invoice.objects.filter(client=client, status=InvoiceStatus.ISSUED)
    payments = Payment.objects.filter(client=client)
    refunds = Refund.objects.filter(payment__client=client)
    pending = InsurerClaim.objects.filter(client=client, status=ClaimStatus.SUBMITTED)
    return _sum(issued, "total") - _sum(payments) + _sum(refunds) - _sum(pending)


def _clean_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX:
        raise BillingError(
            f"An idempotency key of 1 to {KEY_MAX} characters is required.",
            "idempotency_key",
            code="BAD_IDEMPOTENCY_KEY",
        )
    return key


def _repeat[Row: (Payment, Refund)](existing: Row, same: bool) -> Row:
    if not same:
        raise BillingError(
            "This idempotency key was already used for a different amount.",
            "idempotency_key",
            code="IDEMPOTENCY_KEY_REUSED",
            status=409,
        )
    return existing


def _existing_payment(key: str, invoice: Invoice, amount: Decimal) -> Payment | None:
    found = Payment.objects.filter(idempotency_key=key).first()
    if found is None:
        return None
    return _repeat(found, found.invoice_id == invoice.pk and found.amount == amount)


def record_payment(
    *,
    invoice: Invoice,
    method: str,
    amount: Decimal,
    idempotency_key: str,
    by: User | None,
    payer: str = Payer.CLIENT,
    reference: str = "",
    claim: InsurerClaim | None = None,
) -> Payment:
    """Record money received against an issued invoice, once per idempotency key.

    Refuses an amount above what the invoice still asks for; the invoice row is locked while
    that is checked, so two payments at once cannot both take the same balance.
    """
    key = _clean_key(idempotency_key)
    amount = round_money(amount)
    if method not in PaymentMethod.values or payer not in Payer.values:
        raise BillingError("Choose a payment method and payer.", "method", code="BAD_METHOD")
    if amount <= 0:
        raise BillingError("A payment is more than zero.", "amount", code="BAD_AMOUNT")
    if found := _existing_payment(key, invoice, amount):
        return found
    with transaction.atomic():
        current = Invoice.objects.select_for_update().get(pk=invoice.pk)
        # A concurrent repeat of this key held the lock before us: it has committed now.
        if found := _existing_payment(key, current, amount):
            return found
        if not current.is_issued or current.kind != NumberSeries.INVOICE:
            raise BillingError("Issue the invoice before taking payment.", code="NOT_ISSUED")
        # The client cannot pay what an insurer is asked for; the insurer pays its claim.
        due = due_on(current)
        if claim is not None:
            due = min(due, claim.amount)
        else:
            due -= claimed_on(current)
        if amount > due:
            raise BillingError(
                f"That is more than the {due} still owed.", "amount", code="OVERPAYMENT"
            )
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    invoice=current,
                    client=current.client,
                    method=method,
                    payer=payer,
                    amount=amount,
                    reference=(reference or "").strip()[:100],
                    idempotency_key=key,
                    received_by=by if by is not None and by.is_authenticated else None,
                    claim=claim,
                )
        except IntegrityError:
            # The same key committed for another invoice between our checks.
            return _repeat(Payment.objects.get(idempotency_key=key), False)
        record(
            by, AuditAction.CREATE, payment, detail=f"payment {amount} {method} on {current.label}"
        )
        balance_changed.send(sender=Invoice, invoice_id=current.pk)
    return payment


def refund(
    *, payment: Payment, amount: Decimal, reason: str, idempotency_key: str, by: User | None
) -> Refund:
    """Give back up to what is left of a payment, once per idempotency key."""
    key = _clean_key(idempotency_key)
    amount = round_money(amount)
    reason = (reason or "").strip()
    if not reason:
        raise BillingError("Say why the money is refunded.", "reason", code="REFUND_NEEDS_REASON")
    if amount <= 0:
        raise BillingError("A refund is more than zero.", "amount", code="BAD_AMOUNT")
    with transaction.atomic():
        # Locking the payment serialises refunds of it; the lock is no update (append-only).
        current = Payment.objects.select_for_update().get(pk=payment.pk)
        found = Refund.objects.filter(idempotency_key=key).first()
        if found is not None:
            return _repeat(found, found.payment_id == current.pk and found.amount == amount)
        left = current.amount - _sum(current.refunds.all())
        if amount > left:
            raise BillingError(
                f"Only {left} of this payment is left to refund.", "amount", code="OVER_REFUND"
            )
        made = Refund.objects.create(
            payment=current,
            amount=amount,
            reason=reason,
            idempotency_key=key,
            refunded_by=by if by is not None and by.is_authenticated else None,
        )
        record(
            by, AuditAction.CREATE, made, client=current.client, detail=f"refund {amount}: {reason}"
        )
        balance_changed.send(sender=Invoice, invoice_id=current.invoice_id)
    return made
