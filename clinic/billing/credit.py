"""Partial credit notes: take back chosen lines of an issued invoice and/or an amount of it,
never more than is left uncredited. The note is numbered in the credit-note series like a full
one (invoices.issue: gap-free) and audited; the invoice's and the client's balances follow from
its (negative) total.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from clinic.accounts.models import User
from clinic.audit.log import record
from clinic.audit.models import AuditAction

from .invoices import (
    BillingError,
    credit_reason,
    issue,
    locked_creditable,
    new_credit_note,
    round_money,
)
from .models import ZERO, Invoice, InvoiceLine, LineKind


@dataclass(frozen=True)
class Left:
    """What is still uncredited on one line of an invoice."""

    line: InvoiceLine
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


def left_on_lines(invoice: Invoice) -> list[Left]:
    """Each line of an issued invoice with what credit notes have not taken back yet."""
    taken = {
        row["credits"]: (row["net"], row["tax"])
        for row in InvoiceLine.objects.filter(credits__invoice=invoice)
        .values("credits")
        .annotate(net=Sum("net"), tax=Sum("tax"))
        .order_by()
    }
    rows = []
    for line in invoice.lines.all():
        net, tax = taken.get(line.pk, (ZERO, ZERO))
        rows.append(Left(line, line.net + net, line.tax + tax))
    return rows


def _split(left: Left, gross: Decimal) -> tuple[Decimal, Decimal]:
    """(net, tax) of `gross` taken from a line: all that is left, or a share in the line's own
    net-to-tax proportion (rounded once; the tax is the rest, so the two add up exactly)."""
    if gross == left.gross:
        return left.net, left.tax
    net = round_money(gross * left.net / left.gross)
    return net, gross - net


def _chosen(rows: list[Left], line_ids: list[int] | None) -> list[Left]:
    if not line_ids:
        return rows
    by_id = {row.line.pk: row for row in rows}
    unknown = set(line_ids) - by_id.keys()
    if unknown:
        raise BillingError("No such line on this invoice.", "lines", code="NO_SUCH_LINE")
    return [by_id[pk] for pk in sorted(set(line_ids))]


def _parts(chosen: list[Left], amount: Decimal | None) -> list[tuple[Left, Decimal]]:
    """How much (gross) to take from each chosen line: all that is left of each, or `amount`
    spread over them in order, each up to what is left of it."""
    left = sum((row.gross for row in chosen), ZERO)
    wanted = left if amount is None else round_money(amount)
    if wanted <= 0 and amount is not None:
        raise BillingError("A credit is more than zero.", "amount", code="BAD_AMOUNT")
    if left <= 0:
        raise BillingError("Nothing is left to credit there.", code="NOTHING_LEFT_TO_CREDIT")
    if wanted > left:
        raise BillingError(
            f"Only {left} is left to credit.", "amount", code="CREDIT_OVER_LEFT", status=400
        )
    parts = []
    for row in chosen:
        take = min(wanted, row.gross)
        if take > 0:
            parts.append((row, take))
            wanted -= take
    return parts


def partial_credit_note(
    invoice: Invoice,
    *,
    reason: str,
    by: User | None,
    line_ids: list[int] | None = None,
    amount: Decimal | None = None,
) -> Invoice:
    """A credit note for part of an issued invoice: the chosen lines (all when none are
    chosen) in full, or `amount` of them. Refused above what is left uncredited."""
    reason = credit_reason(reason)
    with transaction.atomic():
        original = locked_creditable(invoice)
        parts = _parts(_chosen(left_on_lines(original), line_ids), amount)
        note = new_credit_note(original, reason)
        for row, gross in parts:
            net, tax = _split(row, gross)
            InvoiceLine.objects.create(
                invoice=note,
                kind=LineKind.CORRECTION,
                description=f"Credit: {row.line.description}",
                unit_price=-net,
                tax_rate=row.line.tax_rate,
                net=-net,
                tax=-tax,
                credits=row.line,
            )
        credited = sum((gross for _row, gross in parts), ZERO)
        record(
            by,
            AuditAction.CREATE,
            note,
            detail=f"credits {credited} of {original.label}: {reason}",
        )
        return issue(note, by=by)


def left_to_credit(invoice: Invoice) -> Decimal:
    """What credit notes have not taken back of an issued invoice yet."""
    return sum((row.gross for row in left_on_lines(invoice)), ZERO)
