"""Insurer claims (direct billing): the desk bills part of an issued invoice to the client's
insurer; the insurer pays it (in full or in part) or denies it.

While a claim is submitted its amount is the insurer's to pay, not the client's (see
payments.client_balance). An insurer's payment settles the claim; whatever it did not pay, and
the whole of a denied claim, is the client's again. Every change writes its audit row in the
same transaction.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from clinic.accounts.models import User
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.clinic_time import day_bounds

from .invoices import BillingError, round_money
from .models import ZERO, ClaimStatus, InsurerClaim, Invoice, NumberSeries, Payer, PaymentMethod
from .payments import _clean_key, client_due_on, record_payment
from .signals import balance_changed

# Ageing buckets of what insurers owe: (label, first day, last day or None).
AGEING = [
    ("0–30 days", 0, 30),
    ("31–60 days", 31, 60),
    ("61–90 days", 61, 90),
    ("Over 90", 91, None),
]


def _user(by: User | None) -> User | None:
    return by if by is not None and by.is_authenticated else None


def _text(value: str, field: str, limit: int, message: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise BillingError(message, field, code="CLAIM_BAD_INPUT")
    return value


def submit_claim(
    invoice: Invoice,
    *,
    insurer: str,
    member_id: str,
    amount: Decimal,
    idempotency_key: str,
    by: User | None,
) -> InsurerClaim:
    """Bill `amount` of an issued invoice to the client's insurer, once per idempotency key.

    Refuses more than the client's part still owed (an earlier pending claim is the insurer's
    already); the invoice row is locked while that is checked."""
    key = _clean_key(idempotency_key)
    insurer = _text(insurer, "insurer", 100, "Name the insurer (up to 100 characters).")
    member_id = _text(member_id, "member_id", 60, "Give the member id (up to 60 characters).")
    amount = round_money(amount)
    if amount <= 0:
        raise BillingError("A claim is more than zero.", "amount", code="BAD_AMOUNT")
    with transaction.atomic():
        current = Invoice.objects.select_for_update().get(pk=invoice.pk)
        found = InsurerClaim.objects.filter(idempotency_key=key).first()
        if found is not None:
            if found.invoice_id != current.pk or found.amount != amount:
                raise BillingError(
                    "This idempotency key was already used for a different claim.",
                    "idempotency_key",
                    code="IDEMPOTENCY_KEY_REUSED",
                    status=409,
                )
            return found
        if not current.is_issued or current.kind != NumberSeries.INVOICE:
            raise BillingError("Issue the invoice before billing an insurer.", code="NOT_ISSUED")
        owed = client_due_on(current)
        if amount > owed:
            raise BillingError(
                f"That is more than the {owed} the client still owes.",
                "amount",
                code="CLAIM_OVER_DUE",
            )
        claim = InsurerClaim.objects.create(
            invoice=current,
            client=current.client,
            insurer=insurer,
            member_id=member_id,
            amount=amount,
            idempotency_key=key,
            submitted_by=_user(by),
        )
        record(
            by,
            AuditAction.CREATE,
            claim,
            detail=f"claim {amount} to {insurer} on {current.label}",
        )
        balance_changed.send(sender=Invoice, invoice_id=current.pk)
    return claim


def _locked_pending(claim: InsurerClaim) -> InsurerClaim:
    current = InsurerClaim.objects.select_for_update().get(pk=claim.pk)
    if not current.is_pending:
        raise BillingError(
            f"This claim is already {current.get_status_display().lower()}.",
            code="CLAIM_DECIDED",
            status=409,
        )
    return current


def record_insurer_payment(
    claim: InsurerClaim,
    *,
    amount: Decimal,
    idempotency_key: str,
    by: User | None,
    reference: str = "",
):
    """The insurer paid its claim: in full (paid) or less (partly paid, the rest is the
    client's). A repeat of the same key answers the first payment."""
    key = _clean_key(idempotency_key)
    amount = round_money(amount)
    if amount <= 0:
        raise BillingError("A payment is more than zero.", "amount", code="BAD_AMOUNT")
    with transaction.atomic():
        repeat = claim.payments.filter(idempotency_key=key).first()
        if repeat is not None and repeat.amount == amount:
            return repeat
        current = _locked_pending(claim)
        if amount > current.amount:
            raise BillingError(
                f"The claim is for {current.amount}; the insurer cannot pay more.",
                "amount",
                code="OVER_CLAIM",
            )
        payment = record_payment(
            invoice=current.invoice,
            method=PaymentMethod.INSURER,
            payer=Payer.INSURER,
            amount=amount,
            reference=reference,
            idempotency_key=key,
            by=by,
            claim=current,
        )
        current.status = ClaimStatus.PAID if amount == current.amount else ClaimStatus.PARTLY_PAID
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "decided_at"])
        record(
            by,
            AuditAction.UPDATE,
            current,
            detail=f"claim {current.get_status_display().lower()}: {amount} of {current.amount}",
        )
        # Again after the status: a part the insurer did not pay is the client's to pay.
        balance_changed.send(sender=Invoice, invoice_id=current.invoice_id)
    return payment


def deny_claim(claim: InsurerClaim, *, reason: str, by: User | None) -> InsurerClaim:
    """The insurer refused the claim: its whole amount is the client's to pay again."""
    reason = _text(reason, "reason", 500, "Say why the insurer denied the claim.")
    with transaction.atomic():
        current = _locked_pending(claim)
        current.status = ClaimStatus.DENIED
        current.denial_reason = reason
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "denial_reason", "decided_at"])
        record(by, AuditAction.UPDATE, current, detail=f"claim denied: {reason}")
        balance_changed.send(sender=Invoice, invoice_id=current.invoice_id)
    return current


def insurers_owe(today: date) -> list[dict]:
    """What each insurer owes on pending claims, aged by the days since submission (one
    query): {"insurer", "claims", "total", "ageing": [amount per AGEING bucket]}."""
    start_of_today = day_bounds(today)[0]

    def since(days: int) -> datetime:
        return start_of_today - timedelta(days=days)

    buckets = {}
    for index, (_label, first, last) in enumerate(AGEING):
        # Submitted on the day `first` days ago or before, and after `last + 1` days ago.
        window = Q(submitted_at__lt=since(first - 1)) if first else Q()
        if last is not None:
            window &= Q(submitted_at__gte=since(last))
        buckets[f"bucket{index}"] = Sum("amount", filter=window)
    rows = (
        InsurerClaim.objects.filter(status=ClaimStatus.SUBMITTED)
        .values("insurer")
        .annotate(claims=Count("id"), total=Sum("amount"), **buckets)
        .order_by("insurer")
    )
    return [
        {
            "insurer": row["insurer"],
            "claims": row["claims"],
            "total": row["total"],
            "ageing": [row[f"bucket{i}"] or ZERO for i in range(len(AGEING))],
        }
        for row in rows
    ]


def claims_in(starts_at: datetime, ends_at: datetime):
    """Claims submitted or decided in [starts_at, ends_at), for the accountant's export."""
    submitted = Q(submitted_at__gte=starts_at, submitted_at__lt=ends_at)
    decided = Q(decided_at__gte=starts_at, decided_at__lt=ends_at)
    return (
        InsurerClaim.objects.filter(submitted | decided)
        .select_related("invoice__client", "invoice__therapist__user")
        .annotate(paid=Sum("payments__amount"))
        .order_by("submitted_at", "id")
    )
