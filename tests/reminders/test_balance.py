"""Balance reminders: planned when an invoice is issued unpaid (if the clinic opted in), skipped
when it is paid or credited, checked again at send time, repeated up to the maximum, one message
a day per client listing everything owed, within quiet hours and across DST."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from clinic.billing.checkout import Tender, checkout
from clinic.billing.invoices import credit_note, draft_for_visit
from clinic.billing.payments import record_payment, refund
from clinic.booking.models import AppointmentStatus
from clinic.core.models import ClinicSettings
from clinic.reminders.balance import replan_balances
from clinic.reminders.dispatch import dispatch_pass
from clinic.reminders.models import Reminder, ReminderKind, ReminderStatus, SkipReason
from clinic.reports import reminder_figures
from clinic.reports.period import Period
from clinic.setup.clinic_settings import update_settings
from tests.factories import AppointmentFactory, ServiceFactory

from .conftest import ZONE, at, committed

pytestmark = pytest.mark.django_db


def balance_rows(invoice=None):
    rows = Reminder.objects.filter(kind=ReminderKind.BALANCE).order_by("due_at", "id")
    return rows.filter(invoice=invoice) if invoice is not None else rows


def pay(invoice, amount=None, key="pay-1"):
    with committed():
        return record_payment(
            invoice=invoice,
            method="cash",
            amount=invoice.total if amount is None else amount,
            idempotency_key=key,
            by=None,
        )


def days_ago(days):
    return timezone.now().replace(microsecond=0) - timedelta(days=days)


def test_an_invoice_issued_unpaid_plans_a_reminder_seven_days_later(
    balance_reminders_on, issued_invoice
):
    issued_at = at("2027-03-01", "10:15")
    invoice = issued_invoice(issued_at)
    (row,) = balance_rows(invoice)
    assert row.status == ReminderStatus.PENDING and row.channel == "email"
    assert row.due_at == at("2027-03-08", "10:15")


def test_the_first_reminder_keeps_the_wall_clock_time_across_dst(
    balance_reminders_on, issued_invoice
):
    # Toronto springs forward on 14 March 2027: seven days later is still 10:15 on the clock.
    invoice = issued_invoice(at("2027-03-10", "10:15"))
    assert balance_rows(invoice).get().due_at == at("2027-03-17", "10:15")


def test_no_balance_reminder_when_the_clinic_has_not_opted_in(issued_invoice):
    issued_invoice(days_ago(8))
    assert dispatch_pass(inline=True)["claimed"] == 0
    assert replan_balances() == 0
    assert not balance_rows().exists()


@pytest.mark.parametrize("paid", [True, False])
def test_a_checkout_paid_in_full_leaves_no_reminder_row_and_an_unpaid_one_plans_its_row(
    balance_reminders_on, a_client, therapist, paid
):
    visit = AppointmentFactory(
        client=a_client,
        therapist=therapist,
        service=ServiceFactory(price=Decimal("100.00")),
        starts_at=days_ago(0) - timedelta(hours=1),
        status=AppointmentStatus.COMPLETED,
    )
    draft = draft_for_visit(visit)
    total = sum(line.total for line in draft.lines.all())
    tenders = [Tender("cash", total)] if paid else []
    # Issued and paid in the one transaction: planning after its commit finds nothing owed, so
    # the client's history shows no "Skipped: balance paid" row for a visit paid on the spot.
    with committed():
        invoice, _ = checkout(draft, tenders=tenders, idempotency_key="visit", by=None)
    rows = [(row.status, row.channel) for row in balance_rows(invoice)]
    assert rows == ([] if paid else [(ReminderStatus.PENDING, "email")])


def test_an_invoice_paid_after_its_checkout_skips_its_pending_reminder(
    balance_reminders_on, issued_invoice
):
    invoice = issued_invoice(days_ago(1))
    pay(invoice)
    (row,) = balance_rows(invoice)
    assert (row.status, row.skip_reason) == (ReminderStatus.SKIPPED, SkipReason.BALANCE_PAID)


def test_a_partial_payment_keeps_the_reminder_and_a_refund_brings_one_back(
    balance_reminders_on, issued_invoice
):
    invoice = issued_invoice(days_ago(1))
    pay(invoice, Decimal("50.00"))
    assert balance_rows(invoice).get().status == ReminderStatus.PENDING
    payment = pay(invoice, invoice.total - Decimal("50.00"), key="pay-2")
    assert balance_rows(invoice).get().status == ReminderStatus.SKIPPED
    ten = Decimal("10.00")
    with committed():
        refund(payment=payment, amount=ten, reason="Goodwill", idempotency_key="r-1", by=None)
    # The refunded part is owed again: the same reminder is back in line, not a second one.
    row = balance_rows(invoice).get()
    assert (row.status, row.skip_reason) == (ReminderStatus.PENDING, "")


def test_a_credit_note_skips_the_pending_reminder(balance_reminders_on, issued_invoice):
    invoice = issued_invoice(days_ago(1))
    with committed():
        credit_note(invoice, reason="Billed in error", by=None)
    row = balance_rows(invoice).get()
    assert (row.status, row.skip_reason) == (ReminderStatus.SKIPPED, SkipReason.BALANCE_PAID)


def test_a_due_balance_reminder_says_what_is_owed_and_where_to_see_it(
    balance_reminders_on, issued_invoice, mailoutbox
):
    invoice = issued_invoice(days_ago(8))
    assert dispatch_pass(inline=True)["sent"] == 1
    (message,) = mailoutbox
    assert "balance" in message.subject.lower()
    assert f"{invoice.total} CAD" in message.body
    assert invoice.label in message.body
    assert "/billing/mine/" in message.body
    assert "+1 416 555 0100" in message.body or "416" in message.body
    html, _ = message.alternatives[0]
    assert invoice.label in html and f"{invoice.total} CAD" in html
    # No clinical words: the service's name and what was done stay off the message.
    for text in (message.subject, message.body, html):
        assert "Gluteal" not in text and "Massage therapy" not in text


def test_a_balance_reminder_by_text_is_short_and_carries_the_link(
    balance_reminders_on, issued_invoice, both_channels, sms_outbox
):
    invoice = issued_invoice(days_ago(8))
    assert dispatch_pass(inline=True)["sent"] == 2
    (text,) = sms_outbox
    assert invoice.label in text.body and "/billing/mine/" in text.body
    assert "Gluteal" not in text.body


def test_nothing_is_sent_for_a_balance_paid_before_the_send(
    balance_reminders_on, issued_invoice, mailoutbox
):
    invoice = issued_invoice(days_ago(8))
    # A row planned while the balance was owed, and a payment that did not reach planning
    # (written as if by an older release): the send-time rule still finds it paid.
    Reminder.objects.filter(invoice=invoice).delete()
    pay(invoice)
    due_at = days_ago(0)
    row = Reminder.objects.create(
        kind=ReminderKind.BALANCE,
        client=invoice.client,
        invoice=invoice,
        channel="email",
        due_at=due_at,
        next_attempt_at=due_at,
    )
    dispatch_pass(inline=True)
    row.refresh_from_db()
    assert (row.status, row.skip_reason) == (ReminderStatus.SKIPPED, SkipReason.BALANCE_PAID)
    assert mailoutbox == []


def test_turning_balance_reminders_off_skips_the_pending_ones_and_on_brings_them_back(
    balance_reminders_on, issued_invoice, clinic_admin_user
):
    invoice = issued_invoice(days_ago(1))
    update_settings(changes={"balance_reminders": False}, by=clinic_admin_user)
    row = balance_rows(invoice).get()
    assert (row.status, row.skip_reason) == (ReminderStatus.SKIPPED, SkipReason.BALANCE_OFF)
    update_settings(changes={"balance_reminders": True}, by=clinic_admin_user)
    assert balance_rows(invoice).get().status == ReminderStatus.PENDING


def test_opting_in_later_reminds_of_invoices_already_owed(
    issued_invoice, clinic_admin_user, mailoutbox
):
    issued_invoice(days_ago(8))
    update_settings(changes={"balance_reminders": True}, by=clinic_admin_user)
    assert dispatch_pass(inline=True)["sent"] == 1


def test_reminders_repeat_every_fourteen_days_and_stop_at_the_maximum(
    balance_reminders_on, issued_invoice, mailoutbox
):
    invoice = issued_invoice(days_ago(60))
    # Each sweep plans the next one after the last sent; all are overdue, so each goes at once,
    # and is then dated as sent at its due time (as on the day it went), not today.
    for _ in range(5):
        dispatch_pass(inline=True)
        balance_rows(invoice).filter(status=ReminderStatus.SENT).update(sent_at=F("due_at"))
        replan_balances()
    sent = balance_rows(invoice).filter(status=ReminderStatus.SENT)
    assert sent.count() == 3 == len(mailoutbox)
    # 7 days after issue, then every 14, at the clock time of issue (whatever DST did since).
    issued = invoice.issued_at.astimezone(ZONE)
    assert [r.due_at.astimezone(ZONE) for r in sent] == [
        at((issued.date() + timedelta(days=days)).isoformat(), f"{issued:%H:%M:%S}")
        for days in (7, 21, 35)
    ]
    assert not balance_rows(invoice).filter(status=ReminderStatus.PENDING).exists()


def test_one_message_a_day_lists_every_invoice_owed(
    balance_reminders_on, issued_invoice, mailoutbox
):
    first = issued_invoice(days_ago(9))
    second = issued_invoice(days_ago(8))
    dispatch_pass(inline=True)
    (message,) = mailoutbox
    assert first.label in message.body and second.label in message.body
    assert f"{first.total + second.total} CAD" in message.body
    rows = {row.invoice_id: row for row in balance_rows()}
    assert rows[first.pk].status == ReminderStatus.SENT
    assert rows[second.pk].skip_reason == SkipReason.BALANCE_SENT_TODAY
    # The skipped one counted as delivered: the second invoice's next one is 14 days on.
    replan_balances()
    planned = balance_rows(second).get(status=ReminderStatus.PENDING)
    assert planned.due_at == rows[second.pk].due_at + timedelta(days=14)


def test_a_balance_reminder_waits_for_quiet_hours_to_end(
    balance_reminders_on, issued_invoice, clinic, mailoutbox
):
    clinic.quiet_hours_start, clinic.quiet_hours_end = time(0), time(23, 59)
    clinic.save()
    invoice = issued_invoice(days_ago(8))
    dispatch_pass(inline=True)
    row = balance_rows(invoice).get()
    assert row.status == ReminderStatus.PENDING and mailoutbox == []
    assert row.next_attempt_at.astimezone(ZONE).time() == time(23, 59)


def test_the_settings_group_holds_the_balance_settings():
    from clinic.setup.clinic_settings import GROUPS

    groups = dict(GROUPS)
    assert groups["Balance reminders"][0] == "balance_reminders"
    assert ClinicSettings().balance_reminders is False


def test_the_database_refuses_a_second_pending_reminder_for_one_invoice(
    balance_reminders_on, issued_invoice
):
    invoice = issued_invoice(days_ago(1))
    row = balance_rows(invoice).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            kind=ReminderKind.BALANCE,
            client=invoice.client,
            invoice=invoice,
            channel=row.channel,
            due_at=row.due_at + timedelta(days=1),
            next_attempt_at=row.due_at + timedelta(days=1),
        )


def test_the_client_page_lists_balance_reminders_with_their_invoice(
    balance_reminders_on, issued_invoice, client_as, a_client
):
    invoice = issued_invoice(days_ago(8))
    dispatch_pass(inline=True)
    page = client_as("front_desk").get(f"/clients/{a_client.pk}/").content.decode()
    history = page[page.index('id="reminders"') :]
    assert "Balance owing" in history and f"({invoice.label})" in history


def test_the_reminders_report_counts_balance_reminders_by_kind(
    balance_reminders_on, issued_invoice, therapist
):
    issued_invoice(days_ago(8))
    dispatch_pass(inline=True)
    today = timezone.localdate(timezone=ZONE)
    period = Period(today - timedelta(days=7), today, ZONE)
    for viewer in (None, therapist):  # the invoice's therapist sees it too
        by_kind = reminder_figures.section(period, viewer).tables[1].rows
        (row,) = [r for r in by_kind if r["kind"] == "Balance owing"]
        assert (row["channel"], row["sent"]) == ("Email", 1)


def test_the_hourly_sweep_runs_a_fixed_number_of_queries_however_many_invoices_wait(
    balance_reminders_on, issued_invoice, django_assert_max_num_queries
):
    def issue_some(count, start):
        for n in range(count):  # hours apart: one therapist, no double booking
            issued_invoice(days_ago(2) - timedelta(hours=2 * (start + n)))

    issue_some(3, 0)
    replan_balances()
    with django_assert_max_num_queries(5) as few:
        replan_balances()
    issue_some(30, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert replan_balances() == 0  # each has its reminder pending: nothing to plan


def test_a_claim_for_the_whole_invoice_stops_the_reminder_and_a_denial_brings_it_back(
    balance_reminders_on, issued_invoice, mailoutbox
):
    from clinic.billing.claims import deny_claim, submit_claim

    invoice = issued_invoice(days_ago(8))
    with committed():
        claim = submit_claim(
            invoice,
            insurer="Sun Life",
            member_id="SL-1",
            amount=invoice.total,
            idempotency_key="claim-1",
            by=None,
        )
    # What the insurer is asked for is not the client's to pay: nothing goes out for it.
    assert balance_rows(invoice).get().status == ReminderStatus.SKIPPED
    assert dispatch_pass(inline=True)["sent"] == 0
    with committed():
        deny_claim(claim, reason="Not covered", by=None)
    assert balance_rows(invoice).get().status == ReminderStatus.PENDING
    assert dispatch_pass(inline=True)["sent"] == 1
    assert str(invoice.total) in mailoutbox[0].body


def test_with_a_card_gateway_the_reminder_says_the_balance_can_be_paid_online(
    balance_reminders_on, issued_invoice, mailoutbox, settings
):
    issued_invoice(days_ago(8))
    settings.PAYMENT_GATEWAY = "stripe"
    assert dispatch_pass(inline=True)["sent"] == 1
    assert "pay your invoices online" in mailoutbox[0].body
