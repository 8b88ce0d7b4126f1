"""Balance reminders: a client who leaves an issued invoice unpaid is reminded of it, when the
clinic has turned balance reminders on (they are off by default).

Billing announces every change to what an invoice asks for (issued, paid, refunded, credited)
through `balance_changed`, inside its own transaction (receivers.py); planning runs once that
transaction has committed (`plan_after_commit`), so an invoice issued and paid in full in one
checkout plans nothing and leaves no skipped row in the client's history. Should the process die
between the commit and the callback, the hourly sweep plans any owed invoice with nothing
pending, so no reminder is lost. Planning keeps at most
one pending row per invoice and channel (the database refuses a second): the first is due
`balance_reminder_days` after the invoice was issued, each next one
`balance_reminder_repeat_days` after the last one delivered, up to `balance_reminder_max` in
all, at the same local wall-clock time. A paid or credited balance skips the pending rows, and
the send-time rules check the balance again, so nothing goes for a balance no longer owed. The
hourly planning task (`replan_balances`) plans the next row once the previous one has gone.

One message a day per client and channel: a balance reminder lists everything the client owes,
and a second one due the same local day is skipped as already sent, which still counts as one of
its invoice's reminders. Sending decides that under a per-client lock (`sent_today_reason`).
"""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone

from clinic.billing.cards import online_payments
from clinic.billing.models import Invoice, InvoiceStatus, NumberSeries
from clinic.billing.selectors import invoice_owed, owed_amounts, owed_invoices
from clinic.core.clinic_time import at_local, day_bounds
from clinic.core.models import ClinicSettings

from .channels import wanted_channels
from .models import BALANCE_DELIVERED, Reminder, ReminderKind, ReminderStatus, SkipReason

# The settings that decide which balance reminders exist and when.
SETTINGS = {
    "balance_reminders",
    "balance_reminder_days",
    "balance_reminder_repeat_days",
    "balance_reminder_max",
}
# Skipped by planning, not by a send-time rule: planning may want them again.
REVIVABLE = (SkipReason.BALANCE_PAID, SkipReason.BALANCE_OFF)
# pg_advisory_xact_lock's first key: this lock's namespace, so it meets no other lock.
LOCK_NAMESPACE = 7316


def _days_later(moment: datetime, days: int, zone: ZoneInfo) -> datetime:
    """`days` local days after `moment`, at the same time on the clinic's clock (DST-proof)."""
    local = moment.astimezone(zone)
    return at_local(local.date() + timedelta(days=days), local.time(), zone)


def next_due(
    issued_at: datetime, delivered: set[datetime], clinic: ClinicSettings
) -> datetime | None:
    """When an invoice's next balance reminder is due, given the due times of those already
    delivered (on any channel); None once the clinic's maximum is reached."""
    if len(delivered) >= clinic.balance_reminder_max:
        return None
    if not delivered:
        return _days_later(issued_at, clinic.balance_reminder_days, clinic.zone)
    return _days_later(max(delivered), clinic.balance_reminder_repeat_days, clinic.zone)


def _pending(invoice_id: int) -> QuerySet[Reminder]:
    return Reminder.objects.filter(
        invoice_id=invoice_id, kind=ReminderKind.BALANCE, status=ReminderStatus.PENDING
    )


def _skip(rows: QuerySet[Reminder], reason: str, now: datetime) -> int:
    # A compare-and-swap on the status: a row a worker is sending is left alone.
    return rows.filter(status=ReminderStatus.PENDING).update(
        status=ReminderStatus.SKIPPED, skip_reason=reason, claimed_at=None, updated_at=now
    )


def plan_for_invoice(
    invoice_id: int, now: datetime | None = None, *, owed: Decimal | None = None
) -> None:
    """Plan, or skip, an invoice's balance reminders to match what the client owes on it;
    call it in a transaction (plan_after_commit does, once the change is committed). Does
    nothing while the clinic has balance reminders off (turning them off skips every pending
    one: replan_balances)."""
    clinic = ClinicSettings.load()
    if not clinic.balance_reminders:
        return
    now = now or timezone.now()
    owed = invoice_owed(invoice_id) if owed is None else owed
    if owed <= 0:
        _skip(_pending(invoice_id), SkipReason.BALANCE_PAID, now)
        return
    invoice = Invoice.objects.select_related("client").get(pk=invoice_id)
    issued_at = invoice.issued_at
    if invoice.kind != NumberSeries.INVOICE or invoice.status != InvoiceStatus.ISSUED:
        return
    if issued_at is None:  # never, for an issued invoice (a check constraint): for the types
        return
    channels = wanted_channels(invoice.client)
    _skip(_pending(invoice_id).exclude(channel__in=channels), SkipReason.CHANNEL_CHANGED, now)
    delivered = set(
        Reminder.objects.filter(invoice_id=invoice_id, kind=ReminderKind.BALANCE)
        .filter(BALANCE_DELIVERED)
        .values_list("due_at", flat=True)
    )
    due_at = next_due(issued_at, delivered, clinic)
    if due_at is None:
        return
    _revive(invoice_id, due_at, channels, now)
    # A channel with a row still pending keeps it: the unique key on pending rows refuses this
    # one, and a concurrent planner's copy is refused the same way.
    Reminder.objects.bulk_create(
        [
            Reminder(
                kind=ReminderKind.BALANCE,
                client=invoice.client,
                invoice=invoice,
                channel=channel,
                due_at=due_at,
                next_attempt_at=due_at,
            )
            for channel in channels
        ],
        ignore_conflicts=True,
    )


def plan_after_commit(invoice_id: int) -> None:
    """Plan an invoice's balance reminders once the current transaction commits (at once
    outside one): once per invoice however many changes the transaction made, and robust, since
    a failure here must not fail a committed payment (the hourly sweep plans it later)."""
    # Each entry is (savepoint ids, callback, robust).
    callbacks = [entry[1] for entry in connection.run_on_commit]
    if any(
        isinstance(func, _PlanCommitted) and func.invoice_id == invoice_id and not func.ran
        for func in callbacks
    ):
        return
    transaction.on_commit(_PlanCommitted(invoice_id), robust=True)


class _PlanCommitted:
    """The after-commit planning of one invoice; `ran` once called, so a later change (say in
    a test, whose transaction never commits) registers its own."""

    def __init__(self, invoice_id: int):
        self.invoice_id, self.ran = invoice_id, False

    def __call__(self) -> None:
        self.ran = True
        with transaction.atomic():
            plan_for_invoice(self.invoice_id)


def _revive(invoice_id: int, due_at: datetime, channels: list[str], now: datetime) -> None:
    """Put back in line the wanted reminder if planning skipped it (paid, then refunded; or
    reminders turned off, then on), on each channel without a pending one."""
    waiting = set(_pending(invoice_id).values_list("channel", flat=True))
    rows = Reminder.objects.filter(
        invoice_id=invoice_id,
        kind=ReminderKind.BALANCE,
        due_at=due_at,
        channel__in=[c for c in channels if c not in waiting],
        status=ReminderStatus.SKIPPED,
        skip_reason__in=REVIVABLE,
    )
    try:
        # A savepoint: a concurrent planner's pending row refuses this one, and must not undo
        # the payment or invoice this runs inside.
        with transaction.atomic():
            rows.update(
                status=ReminderStatus.PENDING,
                skip_reason="",
                next_attempt_at=F("due_at"),
                claimed_at=None,
                updated_at=now,
            )
    except IntegrityError:
        pass


def replan_balances(now: datetime | None = None) -> int:
    """Plan the next balance reminder of every invoice still owed (the sweep after each one
    sent), and skip the pending ones of invoices no longer owed. Run hourly by the planning
    task and when the balance settings change (a row already pending keeps its time). Returns
    how many owed invoices it planned."""
    now = now or timezone.now()
    pending = Reminder.objects.filter(kind=ReminderKind.BALANCE, status=ReminderStatus.PENDING)
    if not ClinicSettings.load().balance_reminders:
        _skip(pending, SkipReason.BALANCE_OFF, now)
        return 0
    owed = owed_amounts()
    _skip(pending.exclude(invoice_id__in=list(owed)), SkipReason.BALANCE_PAID, now)
    # Only invoices with nothing pending and reminders left to send need planning: three
    # queries however many are owed, then a few for each invoice whose last reminder just went.
    waiting = set(pending.values_list("invoice_id", flat=True))
    done = set(
        Reminder.objects.filter(kind=ReminderKind.BALANCE, invoice_id__in=list(owed))
        .filter(BALANCE_DELIVERED)
        .values("invoice_id")
        .annotate(rounds=Count("due_at", distinct=True))
        .filter(rounds__gte=ClinicSettings.load().balance_reminder_max)
        .values_list("invoice_id", flat=True)
    )
    planned = [pk for pk in owed if pk not in waiting and pk not in done]
    for invoice_id in planned:
        plan_for_invoice(invoice_id, now, owed=owed[invoice_id])
    return len(planned)


def stale_reason(reminder: Reminder, clinic: ClinicSettings) -> str | None:
    """Why a balance reminder should not go now: reminders turned off, or nothing owed."""
    if not clinic.balance_reminders:
        return SkipReason.BALANCE_OFF
    if reminder.invoice_id is None or invoice_owed(reminder.invoice_id) <= 0:
        return SkipReason.BALANCE_PAID
    return None


def sent_today_reason(reminder: Reminder, clinic: ClinicSettings, now: datetime) -> str | None:
    """Call in the transaction that sends a balance reminder, before marking it sent: takes
    the client's balance-reminder lock (held to the commit, so the client's reminders on other
    rows wait and then see this one sent), then says why it should not go: one on its channel
    already went today (it listed everything owed), or the balance is no longer owed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, reminder.client_id]
            )
    starts_at, ends_at = day_bounds(now.astimezone(clinic.zone).date(), clinic.zone)
    sent_today = (
        Reminder.objects.filter(
            client_id=reminder.client_id,
            kind=ReminderKind.BALANCE,
            channel=reminder.channel,
            status=ReminderStatus.SENT,
            sent_at__gte=starts_at,
            sent_at__lt=ends_at,
        )
        .exclude(pk=reminder.pk)
        .exists()
    )
    if sent_today:
        return SkipReason.BALANCE_SENT_TODAY
    return stale_reason(reminder, clinic)


def message_context(reminder: Reminder, clinic: ClinicSettings) -> dict[str, Any]:
    """What a balance reminder says: every invoice the client owes on, and the total."""
    invoices = owed_invoices(reminder.client_id)
    return {
        "invoices": invoices,
        # `client_due` is annotated on each by the selector.
        "owed": sum((invoice.client_due for invoice in invoices), Decimal("0.00")),  # type: ignore[attr-defined]
        "currency": clinic.currency,
        "numbers": ", ".join(invoice.label for invoice in invoices),
        # With a card gateway the invoices page has a "Pay online" button.
        "pay_online": online_payments(),
    }
