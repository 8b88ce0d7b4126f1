"""The day's close-out and the accountant's export: reads only, a fixed number of queries."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from clinic.core.clinic_time import day_bounds, local
from clinic.core.models import ClinicSettings

from .claims import claims_in, insurers_owe
from .models import (
    ZERO,
    ClaimStatus,
    InsurerClaim,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    NumberSeries,
    Overpayment,
    OverpaymentRefund,
    Payer,
    Payment,
    PaymentMethod,
    Refund,
)

MONEY = DecimalField(max_digits=12, decimal_places=2)
# Money paid online above a balance belongs to no invoice: its own line in the close-out.
OVERPAID = "credit_online"
OVERPAID_LABEL = "Credit card (online, above the balance)"
UNASSIGNED = "Unassigned"


def _summed(queryset, field="amount"):
    return Coalesce(
        Subquery(queryset.values(total=Sum(field))[:1]), Value(ZERO), output_field=MONEY
    )


@dataclass(frozen=True)
class CloseOut:
    day: date
    by_method: list[dict]
    by_therapist: list[dict]
    refunds: Decimal
    taken: Decimal
    insurers: Decimal
    outstanding: list[Invoice]
    # Pending insurer claims by insurer, aged (claims.insurers_owe).
    insurers_owe: list[dict]


def owing_invoices() -> QuerySet[Invoice]:
    """Issued invoices still owed, with `due` (all still owed on it) and `claimed` (of that, the
    part pending with insurers) on each."""
    paid = Payment.objects.filter(invoice=OuterRef("pk")).order_by().values("invoice")
    refunded = Refund.objects.filter(payment__invoice=OuterRef("pk")).order_by()
    credited = Invoice.objects.filter(
        corrects=OuterRef("pk"), status=InvoiceStatus.ISSUED
    ).order_by()
    claimed = InsurerClaim.objects.filter(
        invoice=OuterRef("pk"), status=ClaimStatus.SUBMITTED
    ).order_by()
    return (
        Invoice.objects.filter(status=InvoiceStatus.ISSUED, kind=NumberSeries.INVOICE)
        .annotate(
            due=F("total")
            + _summed(credited.values("corrects"), "total")
            - _summed(paid)
            + _summed(refunded.values("payment__invoice")),
            # Of what is owed, the part insurers are asked for and have not answered.
            claimed=_summed(claimed.values("invoice")),
        )
        .filter(due__gt=0)
    )


def client_owing_invoices() -> QuerySet[Invoice]:
    """Issued invoices the client still owes on, with `client_due`: what is owed less what is
    pending with insurers (a balance reminder asks only for this)."""
    return owing_invoices().annotate(client_due=F("due") - F("claimed")).filter(client_due__gt=0)


def outstanding_invoices() -> list[Invoice]:
    """Issued invoices still owed, with `due` and `claimed` on each, oldest first."""
    return list(owing_invoices().select_related("client", "therapist__user").order_by("issued_at"))


def _overpaid_on(start: datetime, end: datetime) -> dict:
    """The day's overpayments (received) and their refunds (given back), in one query."""
    received = Q(received_at__gte=start, received_at__lt=end)
    given_back = Q(refund__refunded_at__gte=start, refund__refunded_at__lt=end)
    return Overpayment.objects.filter(received | given_back).aggregate(
        total=Sum("amount", filter=received),
        count=Count("id", filter=received),
        refunded=Sum("amount", filter=given_back),
    )


def close_out(day: date) -> CloseOut:
    """The day's payments by method and by therapist, its refunds, and what is outstanding.
    Money paid online above a balance (an overpayment) was taken too: its own method line,
    unassigned to a therapist; its refund counts among the refunds."""
    start, end = day_bounds(day)
    payments = Payment.objects.filter(received_at__gte=start, received_at__lt=end)
    refunds = Refund.objects.filter(refunded_at__gte=start, refunded_at__lt=end)
    overpaid = _overpaid_on(start, end)
    by_method = list(
        payments.values("method")
        .annotate(total=Sum("amount"), count=Sum(Value(1)))
        .order_by("method")
    )
    for row in by_method:
        row["label"] = PaymentMethod(row["method"]).label
    if overpaid["count"]:
        by_method.append(
            {
                "method": OVERPAID,
                "label": OVERPAID_LABEL,
                "total": overpaid["total"],
                "count": overpaid["count"],
            }
        )
    by_therapist = _by_therapist(payments, overpaid["total"] or ZERO)
    refunded = (refunds.aggregate(total=Sum("amount"))["total"] or ZERO) + (
        overpaid["refunded"] or ZERO
    )
    taken = sum((row["total"] for row in by_method), ZERO)
    insurers = payments.filter(payer=Payer.INSURER).aggregate(total=Sum("amount"))["total"] or ZERO
    return CloseOut(
        day,
        by_method,
        by_therapist,
        refunded,
        taken - refunded,
        insurers,
        outstanding_invoices(),
        insurers_owe(day),
    )


def _by_therapist(payments: QuerySet[Payment], overpaid: Decimal) -> list[dict]:
    """{"name", "total"} per therapist; payments on invoices without one, and overpayments,
    go to one "Unassigned" row, last."""
    rows = (
        payments.values(
            "invoice__therapist__user__first_name", "invoice__therapist__user__last_name"
        )
        .annotate(total=Sum("amount"))
        .order_by("invoice__therapist__user__first_name", "invoice__therapist__user__last_name")
    )
    named, unassigned = [], overpaid
    for row in rows:
        first = row["invoice__therapist__user__first_name"]
        last = row["invoice__therapist__user__last_name"]
        name = f"{first or ''} {last or ''}".strip()
        if name:
            named.append({"name": name, "total": row["total"]})
        else:
            unassigned += row["total"]
    if unassigned:
        named.append({"name": UNASSIGNED, "total": unassigned})
    return named


EXPORT_HEADER = [
    "type",
    "date",
    "document",
    "client",
    "therapist",
    "description",
    "method",
    "net",
    "tax",
    "amount",
    "currency",
]


def _when(moment: datetime | None) -> str:
    return local(moment).date().isoformat() if moment else ""


def _write(writer, row: list) -> None:
    # A spreadsheet runs text starting with =, +, - or @ as a formula: quote it (amounts are
    # Decimals, not text, and stay numbers).
    writer.writerow(
        ["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row]
    )


def export_csv(start: date, end: date) -> str:
    """One row per invoice line (by the day its invoice was issued) and per payment and refund
    (by the day it was received), start to end included: for the accountant's import."""
    starts_at, ends_at = day_bounds(start)[0], day_bounds(end)[1]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    lines = (
        InvoiceLine.objects.filter(
            invoice__status=InvoiceStatus.ISSUED,
            invoice__issued_at__gte=starts_at,
            invoice__issued_at__lt=ends_at,
        )
        .select_related("invoice__client", "invoice__therapist__user")
        .order_by("invoice__number", "id")
    )
    for line in lines:
        invoice = line.invoice
        _write(
            writer,
            [
                "line",
                _when(invoice.issued_at),
                invoice.label,
                invoice.client.full_name,
                invoice.therapist.name if invoice.therapist else "",
                line.description,
                "",
                line.net,
                line.tax,
                line.total,
                invoice.currency,
            ],
        )
    payments = Payment.objects.filter(received_at__gte=starts_at, received_at__lt=ends_at)
    for payment in payments.select_related("invoice__client", "invoice__therapist__user"):
        invoice = payment.invoice
        _write(
            writer,
            [
                "payment",
                _when(payment.received_at),
                invoice.label,
                invoice.client.full_name,
                invoice.therapist.name if invoice.therapist else "",
                payment.get_payer_display(),
                payment.method,
                "",
                "",
                payment.amount,
                invoice.currency,
            ],
        )
    refunds = Refund.objects.filter(refunded_at__gte=starts_at, refunded_at__lt=ends_at)
    for refund in refunds.select_related(
        "payment__invoice__client", "payment__invoice__therapist__user"
    ):
        invoice = refund.payment.invoice
        _write(
            writer,
            [
                "refund",
                _when(refund.refunded_at),
                invoice.label,
                invoice.client.full_name,
                invoice.therapist.name if invoice.therapist else "",
                refund.reason[:100],
                refund.payment.method,
                "",
                "",
                -refund.amount,
                invoice.currency,
            ],
        )
    _claim_rows(writer, starts_at, ends_at)
    _overpayment_rows(writer, starts_at, ends_at)
    return out.getvalue()


def _overpayment_rows(writer, starts_at: datetime, ends_at: datetime) -> None:
    """Money paid online above a balance (no invoice: the document is the gateway's payment
    id) on the day received, and its refund (negative) on the day given back."""
    currency = ClinicSettings.load().currency
    received = Overpayment.objects.filter(received_at__gte=starts_at, received_at__lt=ends_at)
    given_back = OverpaymentRefund.objects.filter(
        refunded_at__gte=starts_at, refunded_at__lt=ends_at
    ).select_related("overpayment__client")
    rows = [
        ("overpayment", extra.received_at, extra, "Paid online above the balance: to refund", 1)
        for extra in received.select_related("client")
    ] + [
        ("overpayment_refund", done.refunded_at, done.overpayment, "Given back to the card", -1)
        for done in given_back.order_by("refunded_at", "id")
    ]
    for kind, moment, extra, description, sign in rows:
        _write(
            writer,
            [
                kind,
                _when(moment),
                extra.reference,
                extra.client.full_name,
                "",
                description,
                PaymentMethod.CREDIT.value,
                "",
                "",
                sign * extra.amount,
                currency,
            ],
        )


def _claim_rows(writer, starts_at: datetime, ends_at: datetime) -> None:
    """A claim's submission (what the insurer is asked for) and, once decided, what it did not
    pay going back to the client (negative), each on the day it happened."""
    for claim in claims_in(starts_at, ends_at):
        invoice = claim.invoice
        common = [
            invoice.label,
            invoice.client.full_name,
            invoice.therapist.name if invoice.therapist else "",
        ]
        if starts_at <= claim.submitted_at < ends_at:
            _write(
                writer,
                [
                    "claim",
                    _when(claim.submitted_at),
                    *common,
                    f"Claim to {claim.insurer} ({claim.member_id})",
                    "insurer",
                    "",
                    "",
                    claim.amount,
                    invoice.currency,
                ],
            )
        unpaid = claim.amount - (claim.paid or ZERO)
        decided = claim.decided_at
        if decided and starts_at <= decided < ends_at and unpaid > 0:
            _write(
                writer,
                [
                    "claim_" + claim.status,
                    _when(decided),
                    *common,
                    f"{claim.insurer} {claim.get_status_display().lower()}: back to the client",
                    "insurer",
                    "",
                    "",
                    -unpaid,
                    invoice.currency,
                ],
            )
