"""Invoices, their lines, payments and refunds: the money side of a visit.

Money is never lost or counted twice because the database says so: an issued invoice and its
lines cannot change (triggers, as for signed notes), a payment or refund is never updated or
deleted, each idempotency key is unique, and invoice numbers come from a counter row locked in
the issuing transaction (a rolled-back checkout rolls its number back: no gaps).
"""

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clinic.accounts.models import Client, Therapist
from clinic.booking.models import Appointment

ZERO = Decimal("0.00")


def _money(**kwargs):
    return models.DecimalField(max_digits=10, decimal_places=2, **kwargs)


class NumberSeries(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit_note", "Credit note"


class NumberCounter(models.Model):
    """The last number given in a series; its row is locked while a number is taken."""

    series = models.CharField(max_length=20, choices=NumberSeries.choices, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.series} {self.last}"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"


class Invoice(models.Model):
    """A visit's invoice (or a credit note correcting one): a draft until checkout issues it."""

    kind = models.CharField(
        max_length=20, choices=NumberSeries.choices, default=NumberSeries.INVOICE
    )
    status = models.CharField(
        max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    number = models.PositiveIntegerField(null=True, blank=True)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="invoices")
    therapist = models.ForeignKey(
        Therapist, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    # A credit note names the invoice it corrects.
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    reason = models.TextField(blank=True, help_text="Why a credit note was written.")
    currency = models.CharField(max_length=3)
    # Totals are written once, at issue, from the lines (each rounded once).
    subtotal = _money(default=ZERO)
    tax = _money(default=ZERO)
    total = _money(default=ZERO)
    created_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-created_at"]),
            models.Index(fields=["issued_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="invoice_number_unique"),
            # One invoice per visit; credit notes are separate rows.
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(kind=NumberSeries.INVOICE),
                name="one_invoice_per_visit",
            ),
            models.CheckConstraint(
                condition=Q(status=InvoiceStatus.DRAFT, number__isnull=True)
                | Q(status=InvoiceStatus.ISSUED, number__isnull=False, issued_at__isnull=False),
                name="invoice_issued_has_number",
            ),
            models.CheckConstraint(
                condition=Q(kind=NumberSeries.INVOICE) | Q(corrects__isnull=False),
                name="credit_note_corrects_an_invoice",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="invoice_issued_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="issued"),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_issued(self):
        return self.status == InvoiceStatus.ISSUED

    @property
    def label(self):
        """How the invoice is named on paper: INV-000042, CN-000003, or a draft."""
        if self.number is None:
            return f"Draft {self.pk}"
        prefix = "INV" if self.kind == NumberSeries.INVOICE else "CN"
        return f"{prefix}-{self.number:06d}"


class LineKind(models.TextChoices):
    SERVICE = "service", "Service"
    LATE_CANCEL_FEE = "late_cancel_fee", "Late cancellation fee"
    NO_SHOW_FEE = "no_show_fee", "No-show fee"
    CORRECTION = "correction", "Correction"


# Lines of an issued invoice never change: a trigger refuses any write under one.
_LINE_LOCKED = pgtrigger.Func(
    # NEW is null on DELETE and OLD on INSERT (PostgreSQL 11+), so one test covers all three.
    "IF EXISTS (SELECT 1 FROM billing_invoice WHERE id IN (NEW.invoice_id, OLD.invoice_id) "
    "AND status = 'issued') THEN "
    "RAISE EXCEPTION 'pgtrigger: the lines of an issued invoice cannot change'; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW;"
)


class InvoiceLine(models.Model):
    """One line: its amounts are fixed when it is added (tax rounded once, per line)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(max_length=20, choices=LineKind.choices)
    description = models.CharField(max_length=200)
    unit_price = _money()
    discount = _money(default=ZERO)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=ZERO)
    net = _money()
    tax = _money()
    # A policy fee the desk waived: kept on the record with its reason, charging nothing.
    waived_reason = models.TextField(blank=True)
    # A credit note's line names the line it takes back (in whole or in part).
    credits = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credited_by"
    )

    class Meta:
        ordering = ["id"]
        triggers = [
            pgtrigger.Trigger(
                name="invoice_line_locked_when_issued",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                func=_LINE_LOCKED,
            )
        ]

    def __str__(self):
        return self.description

    @property
    def total(self):
        return self.net + self.tax


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    DEBIT = "debit", "Debit"
    CREDIT = "credit", "Credit card"
    E_TRANSFER = "e_transfer", "E-transfer"
    GIFT_CERTIFICATE = "gift_certificate", "Gift certificate"
    INSURER = "insurer", "Insurer direct billing"


class Payer(models.TextChoices):
    CLIENT = "client", "Client"
    INSURER = "insurer", "Insurer"


class Payment(models.Model):
    """Money received against an issued invoice. Never updated or deleted: a refund undoes."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    payer = models.CharField(max_length=10, choices=Payer.choices, default=Payer.CLIENT)
    amount = _money()
    reference = models.CharField(
        max_length=100, blank=True, help_text="Terminal slip, e-transfer or certificate number."
    )
    idempotency_key = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An insurer's payment names the claim it settles.
    claim = models.ForeignKey(
        "billing.InsurerClaim",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["received_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="payment_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.amount}"


class Refund(models.Model):
    """Money given back against one payment; the sum never exceeds the payment."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = _money()
    reason = models.TextField()
    idempotency_key = models.CharField(max_length=64, unique=True)
    refunded_at = models.DateTimeField(default=timezone.now)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["refunded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="refund_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self):
        return f"Refund {self.amount}"


class ReceiptCopy(models.Model):
    """Each time a receipt is printed or sent: the first is the original, every later one a
    duplicate and says so (insurers must not be shown two originals for one visit)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="receipt_copies")
    copy = models.PositiveIntegerField()
    printed_at = models.DateTimeField(default=timezone.now)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["invoice", "copy"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "copy"], name="receipt_copy_unique")
        ]
        triggers = [
            pgtrigger.Protect(
                name="receipt_copy_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self):
        return f"{self.invoice.label} copy {self.copy}"

    @property
    def is_duplicate(self):
        return self.copy > 1


class GatewayEvent(models.Model):
    """A webhook event the gateway sent, kept by its id so a redelivery is handled once."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"


# Insurer claims, cards and payments online, and superbill codes live in their own modules;
# imported here so Django registers their models.
from .claim_models import ClaimStatus, InsurerClaim  # noqa: E402, F401
from .online_models import CardOnFile, Overpayment, OverpaymentRefund  # noqa: E402, F401
from .superbill_models import SuperbillCodes  # noqa: E402, F401
