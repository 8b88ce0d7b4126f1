"""Insurer claims (direct billing): the part of a visit an insurer is asked to pay, tracked
apart from the client's part until the insurer pays it or denies it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    PAID = "paid", "Paid"
    # The insurer paid less than claimed: the rest is the client's again.
    PARTLY_PAID = "partly_paid", "Partly paid"
    DENIED = "denied", "Denied"


class InsurerClaim(models.Model):
    """One claim against one issued invoice. While submitted, its amount is owed by the insurer,
    not the client; paid, partly paid and denied are final."""

    invoice = models.ForeignKey("billing.Invoice", on_delete=models.PROTECT, related_name="claims")
    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="insurer_claims"
    )
    insurer = models.CharField(max_length=100)
    member_id = models.CharField(max_length=60, help_text="Member, policy or certificate id.")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(
        max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    idempotency_key = models.CharField(max_length=64, unique=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    denial_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=Q(status=ClaimStatus.SUBMITTED, decided_at__isnull=True)
                | (~Q(status=ClaimStatus.SUBMITTED) & Q(decided_at__isnull=False)),
                name="claim_decided_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.insurer} claim {self.amount}"

    @property
    def is_pending(self):
        return self.status == ClaimStatus.SUBMITTED
