"""Receipts an insurer accepts (the CMTO's list): a PDF of an issued invoice and its payments.

Every copy is counted: the first is the original, each later one is marked DUPLICATE. The
copy row and its audit row are written in one transaction with the PDF's making.
"""

import base64
from datetime import date

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string

from clinic.accounts.models import Client
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.clinic_time import day_bounds, local
from clinic.core.models import ClinicSettings

from .invoices import BillingError
from .models import (
    ZERO,
    ClaimStatus,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    ReceiptCopy,
    Refund,
)
from .payments import paid_on


def _signature_data_uri(therapist) -> str:
    """The therapist's signature inlined (works whatever the file storage), or ''."""
    if therapist is None or not therapist.signature:
        return ""
    try:
        with therapist.signature.open("rb") as image:
            data = image.read()
    except OSError:
        return ""
    kind = "png" if data[:4] == b"\x89PNG" else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def _copy(invoice: Invoice, by) -> ReceiptCopy:
    # Locking the invoice row serialises copy numbers (a lock is no update: the trigger allows it).
    Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
    last = invoice.receipt_copies.aggregate(last=Max("copy"))["last"] or 0
    user = getattr(by, "user", by)  # a request or a user
    user = user if user is not None and user.is_authenticated else None
    return ReceiptCopy.objects.create(invoice=invoice, copy=last + 1, printed_by=user)


def receipt_pdf(invoice: Invoice, *, by) -> tuple[bytes, ReceiptCopy]:
    """Make the receipt PDF of an issued invoice, counted as its next copy and audited."""
    if not invoice.is_issued:
        raise BillingError("A receipt is made from an issued invoice.", code="NOT_ISSUED")
    # Imported here: WeasyPrint parses its stylesheets on import, which every command would pay.
    from weasyprint import HTML

    visit = invoice.appointment
    therapist = invoice.therapist
    with transaction.atomic():
        copy = _copy(invoice, by)
        html = render_to_string(
            "billing/receipt.html",
            {
                "invoice": invoice,
                "copy": copy,
                "clinic": ClinicSettings.load(),
                "visit": visit,
                "starts_at": local(visit.starts_at) if visit else None,
                "minutes": int((visit.ends_at - visit.starts_at).total_seconds() // 60)
                if visit
                else None,
                "therapist": therapist,
                "signature": _signature_data_uri(therapist),
                "lines": list(invoice.lines.all()),
                "credit_notes": list(invoice.credit_notes.filter(status=InvoiceStatus.ISSUED)),
                "payments": list(invoice.payments.prefetch_related("refunds")),
                "paid": paid_on(invoice),
                # Insurers want to see what was claimed and is not paid yet.
                "pending_claims": list(
                    invoice.claims.filter(status=ClaimStatus.SUBMITTED).order_by("submitted_at")
                ),
                "gift": PaymentMethod.GIFT_CERTIFICATE,
            },
        )
        pdf = HTML(string=html).write_pdf()
        record(by, AuditAction.EXPORT, invoice, detail=f"receipt copy {copy.copy}")
    return pdf, copy


def filename(invoice: Invoice, copy: ReceiptCopy) -> str:
    suffix = "-duplicate" if copy.is_duplicate else ""
    return f"receipt-{invoice.label}{suffix}.pdf"


def email_receipt(invoice: Invoice, *, by) -> bool:
    """Email the receipt to the client (sent once the copy is committed); False without an
    address."""
    client = invoice.client
    if not client.email:
        return False
    pdf, copy = receipt_pdf(invoice, by=by)
    clinic = ClinicSettings.load()
    message = EmailMessage(
        subject=f"Your receipt from {clinic.name}",
        body=f"Dear {client.first_name},\n\nYour receipt {invoice.label} is attached.\n\n"
        f"{clinic.name}",
        to=[client.email],
    )
    message.attach(filename(invoice, copy), pdf, "application/pdf")
    transaction.on_commit(lambda: message.send(fail_silently=True), robust=True)
    return True


def statement_pdf(client: Client, year: int, *, by) -> bytes:
    """A client's yearly statement for their taxes: every invoice issued and every payment and
    refund received in the calendar year (clinic time), with the year's totals. Audited."""
    from weasyprint import HTML

    starts_at = day_bounds(date(year, 1, 1))[0]
    ends_at = day_bounds(date(year, 12, 31))[1]
    issued = Invoice.objects.filter(
        client=client, status=InvoiceStatus.ISSUED, issued_at__gte=starts_at, issued_at__lt=ends_at
    ).select_related("therapist__user", "appointment")
    paid = Payment.objects.filter(
        client=client, received_at__gte=starts_at, received_at__lt=ends_at
    )
    refunded = Refund.objects.filter(
        payment__client=client, refunded_at__gte=starts_at, refunded_at__lt=ends_at
    )
    invoices, payments, refunds = list(issued), list(paid), list(refunded)
    html = render_to_string(
        "billing/statement.html",
        {
            "client": client,
            "year": year,
            "clinic": ClinicSettings.load(),
            "invoices": invoices,
            "payments": payments,
            "refunds": refunds,
            "invoiced": sum((i.total for i in invoices), ZERO),
            "net_paid": sum((p.amount for p in payments), ZERO)
            - sum((r.amount for r in refunds), ZERO),
        },
    )
    pdf = HTML(string=html).write_pdf()
    record(by, AuditAction.EXPORT, client, detail=f"billing statement {year}")
    return pdf
