"""Invoices: drafted at check-in (or for a policy fee), changed only as drafts, issued at
checkout with the next gap-free number, corrected afterwards only by a credit note.

Every function here writes its audit row in the same transaction as the change.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from clinic.accounts.models import User
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.errors import DomainError
from clinic.core.models import ClinicSettings

from .models import (
    ZERO,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    NumberCounter,
    NumberSeries,
)
from .signals import balance_changed

CENT = Decimal("0.01")
SERVICE_DESCRIPTION = "Massage therapy"


class BillingError(DomainError):
    code = "BILLING_REFUSED"


def round_money(amount: Decimal) -> Decimal:
    """Round to the cent, half up: the one rounding every amount goes through, once."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def line_amounts(
    unit_price: Decimal, discount: Decimal, tax_rate: Decimal
) -> tuple[Decimal, Decimal]:
    """(net, tax) of one line: the price less its discount, and the tax on that rounded once."""
    net = round_money(unit_price - discount)
    return net, round_money(net * tax_rate / 100)


def _tax_rate(taxed: bool) -> Decimal:
    return ClinicSettings.load().tax_rate if taxed else ZERO


def _add_line(
    invoice: Invoice,
    *,
    kind: str,
    description: str,
    unit_price: Decimal,
    taxed: bool,
    discount: Decimal = ZERO,
) -> InvoiceLine:
    rate = _tax_rate(taxed)
    net, tax = line_amounts(unit_price, discount, rate)
    return InvoiceLine.objects.create(
        invoice=invoice,
        kind=kind,
        description=description,
        unit_price=unit_price,
        discount=discount,
        tax_rate=rate,
        net=net,
        tax=tax,
    )


# A visit's status and the policy fee its invoice carries (none for a visit that took place).
FEES: dict[str, tuple[str, str]] = {
    AppointmentStatus.NO_SHOW: (LineKind.NO_SHOW_FEE, "no_show_fee"),
    AppointmentStatus.CANCELLED: (LineKind.LATE_CANCEL_FEE, "late_cancel_fee"),
}


def draft_for_visit(appointment: Appointment, *, by: User | None = None) -> Invoice | None:
    """The visit's invoice, drafted when it is first needed, or None when nothing is owed.

    A checked-in or completed visit owes its service at its price; a no-show or a late
    cancellation owes the policy's fee when the clinic charges one. Called from booking's
    signal inside the visit's transaction, and by checkout.
    """
    status = appointment.status
    clinic = ClinicSettings.load()
    service = appointment.service
    if status in (AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED):
        kind: str = LineKind.SERVICE
        description, price = SERVICE_DESCRIPTION, service.price
    elif status in FEES and (
        status != AppointmentStatus.CANCELLED or appointment.late_cancellation
    ):
        kind, setting = FEES[status]
        price = Decimal(getattr(clinic, setting))
        description = LineKind(kind).label
        if price <= 0:
            return None
    else:
        return None
    existing = Invoice.objects.filter(appointment=appointment, kind=NumberSeries.INVOICE).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        invoice = Invoice.objects.create(
            client=appointment.client,
            therapist=appointment.therapist,
            appointment=appointment,
            currency=clinic.currency,
        )
        _add_line(
            invoice,
            kind=kind,
            description=f"{description}: {service.name}",
            unit_price=price,
            taxed=not service.tax_exempt,
        )
        record(by, AuditAction.CREATE, invoice, detail=f"drafted for visit {appointment.pk}")
    return invoice


def _locked_draft(invoice: Invoice) -> Invoice:
    current = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if current.is_issued:
        raise BillingError(
            f"Invoice {current.label} is issued and cannot change; write a credit note.",
            code="INVOICE_ISSUED",
            status=409,
        )
    return current


def _line_of(invoice: Invoice, line_id: int) -> InvoiceLine:
    line = invoice.lines.filter(pk=line_id).first()
    if line is None:
        raise BillingError("No such line on this invoice.", "line", code="NO_SUCH_LINE")
    return line


def set_discount(
    invoice: Invoice, *, line_id: int, discount: Decimal, by: User | None
) -> InvoiceLine:
    """Take `discount` off a draft line's price (tax is then on the discounted price)."""
    with transaction.atomic():
        current = _locked_draft(invoice)
        line = _line_of(current, line_id)
        discount = round_money(discount)
        if not ZERO <= discount <= line.unit_price:
            raise BillingError(
                "A discount is between 0 and the line's price.", "discount", code="BAD_DISCOUNT"
            )
        line.discount = discount
        line.net, line.tax = line_amounts(line.unit_price, discount, line.tax_rate)
        line.save(update_fields=["discount", "net", "tax"])
        record(by, AuditAction.UPDATE, current, detail=f"discount {discount} on line {line.pk}")
    return line


def waive_fee(invoice: Invoice, *, line_id: int, reason: str, by: User | None) -> InvoiceLine:
    """Waive a policy fee (late cancellation, no-show): it stays listed, charging nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise BillingError("Say why the fee is waived.", "reason", code="WAIVE_NEEDS_REASON")
    with transaction.atomic():
        current = _locked_draft(invoice)
        line = _line_of(current, line_id)
        if line.kind not in (LineKind.LATE_CANCEL_FEE, LineKind.NO_SHOW_FEE):
            raise BillingError("Only a policy fee can be waived.", "line", code="NOT_A_FEE")
        line.waived_reason = reason
        line.discount, line.net, line.tax = line.unit_price, ZERO, ZERO
        line.save(update_fields=["waived_reason", "discount", "net", "tax"])
        record(by, AuditAction.UPDATE, current, detail=f"fee waived: {reason}")
    return line


def next_number(series: str) -> int:
    """The next number in a series. Call inside the transaction that uses it: the counter row
    stays locked until it commits, and a rollback gives the number back (no gaps)."""
    counter, _ = NumberCounter.objects.select_for_update().get_or_create(series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _totals(invoice: Invoice) -> tuple[Decimal, Decimal]:
    net = tax = ZERO
    for line in invoice.lines.all():
        net += line.net
        tax += line.tax
    return net, tax


def issue(invoice: Invoice, *, by: User | None, now: datetime | None = None) -> Invoice:
    """Issue a draft: number it, write its totals from its lines, and freeze it for good."""
    with transaction.atomic():
        current = _locked_draft(invoice)
        if not current.lines.exists():
            raise BillingError("An invoice without lines cannot be issued.", code="EMPTY_INVOICE")
        current.subtotal, current.tax = _totals(current)
        current.total = current.subtotal + current.tax
        current.number = next_number(current.kind)
        current.status = InvoiceStatus.ISSUED
        current.issued_at = now or timezone.now()
        current.issued_by = by if by is not None and by.is_authenticated else None
        current.save()
        record(by, AuditAction.UPDATE, current, detail=f"issued {current.label} {current.total}")
        balance_changed.send(sender=Invoice, invoice_id=current.corrects_id or current.pk)
    return current


def credit_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise BillingError("Say why the invoice is credited.", "reason", code="CREDIT_NEEDS_REASON")
    return reason


def locked_creditable(invoice: Invoice) -> Invoice:
    """The issued invoice, locked: credit notes against it are written one at a time."""
    original = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not original.is_issued or original.kind != NumberSeries.INVOICE:
        raise BillingError("Only an issued invoice can be credited.", code="NOT_CREDITABLE")
    return original


def new_credit_note(original: Invoice, reason: str) -> Invoice:
    """A draft credit note against `original`, for its lines to be added and then issued."""
    return Invoice.objects.create(
        kind=NumberSeries.CREDIT_NOTE,
        client=original.client,
        therapist=original.therapist,
        appointment=original.appointment,
        corrects=original,
        reason=reason,
        currency=original.currency,
    )


def credit_note(invoice: Invoice, *, reason: str, by: User | None) -> Invoice:
    """Correct an issued invoice: a credit note that takes back every line, issued at once.
    (credit.partial_credit_note takes back part of one.)"""
    reason = credit_reason(reason)
    with transaction.atomic():
        original = locked_creditable(invoice)
        if original.credit_notes.exists():
            raise BillingError(
                f"Invoice {original.label} is already credited.", code="ALREADY_CREDITED"
            )
        note = new_credit_note(original, reason)
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=note,
                kind=LineKind.CORRECTION,
                description=f"Credit: {line.description}",
                unit_price=-line.unit_price,
                discount=-line.discount,
                tax_rate=line.tax_rate,
                net=-line.net,
                tax=-line.tax,
                credits=line,
            )
            for line in original.lines.all()
        )
        record(by, AuditAction.CREATE, note, detail=f"credits {original.label}: {reason}")
        return issue(note, by=by)
