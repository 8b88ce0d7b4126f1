"""What Tranquil keeps of cards and payments made online: the gateway's ids and what a client
recognises their card by, never a card number."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clinic.accounts.models import Client


class CardOnFile(models.Model):
    """A client's card kept by the gateway (one per client; replacing it overwrites the row)."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="card_on_file")
    customer = models.CharField(max_length=100, help_text="The gateway's customer id (cus_…).")
    payment_method = models.CharField(max_length=100, help_text="The saved card's id (pm_…).")
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()
    saved_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.label

    @property
    def label(self):
        """How the desk and the client name it: "Visa •••• 4242"."""
        return f"{self.brand.title()} •••• {self.last4}"

    @property
    def expiry(self):
        return f"{self.exp_month:02d}/{self.exp_year}"


class Overpayment(models.Model):
    """Money received online above what the client owed (say a balance paid twice from two
    tabs): kept on the record as the client's credit, flagged for the desk to refund, so the
    balance never goes silently negative."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="overpayments")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    reference = models.CharField(max_length=100, help_text="The gateway's payment id.")
    idempotency_key = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="overpayment_amount_positive"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="overpayment_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self):
        return f"Overpayment {self.amount}"


class OverpaymentRefund(models.Model):
    """An overpayment given back through the gateway (once: one row per overpayment)."""

    overpayment = models.OneToOneField(Overpayment, on_delete=models.PROTECT, related_name="refund")
    reference = models.CharField(max_length=100, help_text="The gateway's refund id.")
    refunded_at = models.DateTimeField(default=timezone.now)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        triggers = [
            pgtrigger.Protect(
                name="overpayment_refund_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self):
        return f"Refund of {self.overpayment}"
