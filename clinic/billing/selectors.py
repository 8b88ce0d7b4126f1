"""Reads other apps ask of billing: a visit's billing status, what a client owes, and revenue
for the reports."""

from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum

from .closeout import client_owing_invoices
from .models import ZERO, Invoice, InvoiceStatus, NumberSeries
from .payments import claimed_on, due_on


def visit_billing_status(appointment) -> str:
    """In a few words, no amounts: not invoiced, drafted, paid, or owing."""
    invoice = Invoice.objects.filter(appointment=appointment, kind=NumberSeries.INVOICE).first()
    if invoice is None:
        return "Not invoiced"
    if not invoice.is_issued:
        return "Invoice drafted, not issued"
    due, claimed = due_on(invoice), claimed_on(invoice)
    if due <= 0:
        state = "paid"
    elif claimed <= 0:
        state = "payment owing"
    elif due > claimed:
        state = "insurer claim pending, client payment owing"
    else:
        state = "insurer claim pending"
    return f"Invoice {invoice.label}: {state}"


def owed_invoices(client_id: int) -> list[Invoice]:
    """The client's issued invoices they still owe money on, oldest first, each with `client_due`
    (what the client owes on it: credit notes, payments and refunds counted). One query."""
    return list(client_owing_invoices().filter(client_id=client_id).order_by("issued_at", "pk"))


def owed_amounts() -> dict[int, Decimal]:
    """What clients still owe, per issued invoice id, for every invoice owed on (one query)."""
    return dict(client_owing_invoices().values_list("pk", "client_due"))


def invoice_owed(invoice_id: int) -> Decimal:
    """What the client still owes on one issued invoice (zero when paid or credited)."""
    due: Decimal | None = (
        client_owing_invoices().filter(pk=invoice_id).values_list("client_due", flat=True).first()
    )
    return due if due is not None else ZERO


def revenue(*, starts_at: datetime, ends_at: datetime, therapist=None) -> list[dict]:
    """Issued invoices less credit notes, issued in [starts_at, ends_at), per service and
    therapist: {"service", "therapist", "invoices", "net", "tax", "gross"} (one query)."""
    issued = Invoice.objects.filter(
        status=InvoiceStatus.ISSUED, issued_at__gte=starts_at, issued_at__lt=ends_at
    )
    if therapist is not None:
        issued = issued.filter(therapist=therapist)
    grouped = (
        issued.values(
            "appointment__service__name",
            "therapist__user__first_name",
            "therapist__user__last_name",
        )
        .annotate(
            invoices=Count("id", filter=Q(kind=NumberSeries.INVOICE)),
            net=Sum("subtotal"),
            tax_total=Sum("tax"),
            gross=Sum("total"),
        )
        .order_by("appointment__service__name", "therapist__user__first_name")
    )
    return [
        {
            "service": row["appointment__service__name"] or "—",
            "therapist": " ".join(
                filter(
                    None, [row["therapist__user__first_name"], row["therapist__user__last_name"]]
                )
            )
            or "—",
            "invoices": row["invoices"],
            "net": row["net"] or ZERO,
            "tax": row["tax_total"] or ZERO,
            "gross": row["gross"] or ZERO,
        }
        for row in grouped
    ]


def billed_by_therapist(visits) -> dict[int, Decimal]:
    """What was invoiced for these visits (an id queryset), less credit notes, per therapist
    id (one query)."""
    rows = (
        Invoice.objects.filter(status=InvoiceStatus.ISSUED, appointment__in=visits)
        .values("therapist_id")
        .annotate(kept=Sum("total"))
        .order_by()
    )
    return {row["therapist_id"]: row["kept"] or ZERO for row in rows}
